#!/usr/bin/env bash
# The console benchmark (docs/performance.md, "The staff console"): builds in Release and runs bench/Procexon.Bench.Console,
# which starts the platform from its AppHost on free ports in a temporary folder, enters 10 000 written requests through
# the gateway, and times the console in Debian's chromium: the inbox through the login (an empty cache; the scripts
# cached), the inbox signed in, and one request's page among them.
#   usage: bash bench/console.sh [--requests 10000] [--samples 20] [--warmup 3] [--concurrency 16] [--api-calls 200]
#                                [--scripts deployed|development]
# The output is also kept in bench/results/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)
echo "machine: $(nproc) cores (${cpu:-unknown CPU}), $(free -m | awk '/^Mem:/ {print $2}') MiB memory, $(uname -sr), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /'), $(/usr/bin/chromium --version 2>/dev/null || echo 'no chromium')"
echo "uptime: $(uptime)"

dotnet build bench/Procexon.Bench.Console/Procexon.Bench.Console.csproj -c Release --nologo -v quiet -clp:NoSummary

mkdir -p bench/results
log="bench/results/console-$(date -u +%Y%m%dT%H%M%SZ).txt"
dotnet run --project bench/Procexon.Bench.Console -c Release --no-build -- "$@" 2>&1 | tee "$log"
echo "(output kept in $log)"
