#!/usr/bin/env bash
# The erasure benchmark (docs/performance.md): builds in Release and runs bench/Procexon.Bench, which starts the whole
# platform from its AppHost on free ports in a temporary folder (or uses a running one: --gateway http://localhost:8080),
# loads demo subjects, measures baselines, erasures at a fixed offered rate and at saturation, and prints the figures.
#   usage: bash bench/run.sh [--rate 50] [--duration 20] [--saturation 1000] [--subjects N] [--gateway URL] ... (--help)
# The output is also kept in bench/results/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)
echo "machine: $(nproc) cores (${cpu:-unknown CPU}), $(free -m | awk '/^Mem:/ {print $2}') MiB memory, $(uname -sr), $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /')"

# --profile samples the services' stacks with dotnet-trace, a dotnet global tool.
if [[ " $* " == *" --profile "* ]] && ! command -v dotnet-trace >/dev/null && [[ ! -x "$HOME/.dotnet/tools/dotnet-trace" ]]; then
  dotnet tool install -g dotnet-trace
fi

dotnet build bench/Procexon.Bench/Procexon.Bench.csproj -c Release --nologo -v quiet -clp:NoSummary

mkdir -p bench/results
log="bench/results/erasure-$(date -u +%Y%m%dT%H%M%SZ).txt"
dotnet run --project bench/Procexon.Bench -c Release --no-build -- "$@" 2>&1 | tee "$log"
echo "(output kept in $log)"
