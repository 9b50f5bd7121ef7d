#!/usr/bin/env bash
# Conformance of the generated Finnish privacy notice with the controller's published one: section by section, the
# key phrases, registers, legal bases, recipients and rights of the notice at PATH must be in the notice the Registry
# generates from its catalogue. Ends with one line: "Notice conformance: N passed, N failed".
#   usage: bash scripts/check-notice.sh PATH   (the published notice as plain text, e.g. ../shared/seed/tietosuojaseloste.txt)
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: bash scripts/check-notice.sh PATH" >&2
  exit 2
fi
if [ ! -f "$1" ]; then
  echo "check-notice.sh: no notice at $1" >&2
  exit 2
fi
notice=$(realpath "$1")
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
PROCEXON_NOTICE=$notice dotnet test tests/Procexon.NoticeConformance.Tests --nologo 2>&1 | tee "$log" || status=$?
read -r passed failed < <(grep -E '(Passed|Failed)! +- +Failed: ' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' \
  | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
echo "Notice conformance: $passed passed, $failed failed ($notice)"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "check-notice.sh: no check ran" >&2
  exit 1
fi
exit "$status"
