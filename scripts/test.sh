#!/usr/bin/env bash
# Command 2: installs what is missing, builds (warnings are errors) and runs every test against real PostgreSQL and
# RabbitMQ, which the test fixtures start themselves. Ends with one line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build Procexon.Platform.sln --nologo -v quiet -clp:NoSummary

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# The notice's conformance with the controller's published notice needs that notice, which is not in the repository:
# scripts/check-notice.sh PATH runs it. The service and integration tests run side by side; the end-to-end tests, which start the whole platform and kill
# parts of it, then run on their own so that a restart is not timed against the rest of the suite's load.
dotnet test Procexon.Platform.sln --no-build --nologo --filter "FullyQualifiedName!~Procexon.EndToEnd&FullyQualifiedName!~Procexon.NoticeConformance" "$@" 2>&1 | tee "$log" || status=$?
dotnet test tests/Procexon.EndToEnd.Tests --no-build --nologo "$@" 2>&1 | tee -a "$log" || status=$?

# dotnet test prints one summary per test assembly; add them up into the line CI reads.
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
if [ "$skipped" -ne 0 ]; then
  echo "test.sh: $skipped test(s) skipped; nothing is skipped in this project" >&2
  status=1
fi
exit "$status"
