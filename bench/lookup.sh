#!/usr/bin/env bash
# The subject-lookup benchmark (docs/performance.md, "Subject lookup at 1M subjects"): builds in Release and runs
# bench/Procexon.Bench.Lookup, which starts the platform from its AppHost on free ports in a temporary folder, bulk-loads
# demo subjects, measures baselines and lookups by identifier, and prints the figures.
#   usage: bash bench/lookup.sh [--subjects 1000000] [--lookups 4000] [--concurrency 16] [--duration 20] [--chunk 100000]
# The output is also kept in bench/results/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)
echo "machine: $(nproc) cores (${cpu:-unknown CPU}), $(free -m | awk '/^Mem:/ {print $2}') MiB memory, $(uname -sr), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /')"

dotnet build bench/Procexon.Bench.Lookup/Procexon.Bench.Lookup.csproj -c Release --nologo -v quiet -clp:NoSummary

mkdir -p bench/results
log="bench/results/lookup-$(date -u +%Y%m%dT%H%M%SZ).txt"
dotnet run --project bench/Procexon.Bench.Lookup -c Release --no-build -- "$@" 2>&1 | tee "$log"
echo "(output kept in $log)"
