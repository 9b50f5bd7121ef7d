#!/usr/bin/env bash
# Where one erasure's time goes, from its trace (docs/performance.md, fifth round): starts the whole platform from its
# AppHost in Release with the Aspire dashboard, loads N demo subjects, verifies their erasure requests one at a time
# (2 s apart, each in a trace of its own), reads each trace back from the dashboard with the Aspire CLI, prints when
# each step of the flow started and the PostgreSQL round trips per service, and stops the platform.
#   usage: bash bench/traces.sh [ERASURES=12]      (GATEWAY_PORT=18080 by default; the spans stay in bench/results/)
set -euo pipefail
cd "$(dirname "$0")/.."
erasures=${1:-12}
port=${GATEWAY_PORT:-18080}
bash scripts/setup.sh

if ! command -v python3 >/dev/null; then
  echo "traces: installing python3 from Debian's packages"
  as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 >/dev/null
fi
aspire=$(command -v aspire || echo "$HOME/.dotnet/tools/aspire")
if [ ! -x "$aspire" ]; then
  echo "traces: installing the Aspire CLI (it reads the traces from the dashboard)"
  dotnet tool install -g Aspire.Cli --version 13.6.5 >/dev/null
fi

out="bench/results/traces-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
dotnet build Procexon.AppHost -c Release --nologo -v quiet -clp:NoSummary
dotnet run --project Procexon.AppHost -c Release --no-build -- "Gateway:Port=$port" > "$out/apphost.log" 2>&1 &
runner=$!
stop() {
  # The AppHost stops its services and servers when it gets SIGTERM; `dotnet run` does not pass it on.
  pkill -TERM -P "$runner" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
}
trap stop EXIT

echo "traces: waiting for the gateway on :$port"
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/registers" || true)" = 200 ] && break
  sleep 2
done
sleep 20  # the services' start-up work (demo data, migrations) settles first
python3 bench/traces/erasure_traces.py send "http://localhost:$port" "$erasures" | tee "$out/traces.txt"
sleep 3
while read -r _ trace _; do
  "$aspire" otel spans --apphost Procexon.AppHost --trace-id "$trace" --format Json --nologo -n 5000 2>/dev/null \
    | sed -n '/^\[/,$p' > "$out/$trace.json"
done < "$out/traces.txt"
python3 bench/traces/erasure_traces.py summarize "$out" | tee "$out/summary.txt"
echo "(spans and summary kept in $out)"
