#!/usr/bin/env bash
# Where the whole machine's CPU goes while the erasure bench runs (docs/performance.md, eighteenth round): Linux perf
# samples every process (the services, PostgreSQL, RabbitMQ, the kernel) for a while in the fixed-rate or the saturation
# phase, with the services' JIT-compiled code named through their perf maps, and prints each process's share, split
# into the kernel, the runtime and native libraries, and compiled .NET code, then the top symbols. Unlike --profile
# (dotnet-trace), which samples every managed thread, waiting or not, this counts only CPU actually spent.
#   usage: bash bench/perf.sh [--phase fixed|saturation] [--seconds S] [--out DIR] [bench options...]
#          bash bench/perf.sh --report DIR        (the summary of a recording taken before)
#   e.g.   bash bench/perf.sh --phase fixed --seconds 30 --rate 20 --duration 60 --saturation 0
set -euo pipefail
cd "$(dirname "$0")/.."

phase=fixed seconds=30 out=bench/results/perf-$(date -u +%Y%m%dT%H%M%SZ) report_only=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --phase) phase=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --report) out=$2; report_only=1; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
case "$phase" in
  fixed) marker='^warm-up:' ;;
  # The fixed-rate phase's CPU table is printed as it ends, just before the saturation starts.
  saturation) marker='^== c\. Fixed rate: CPU by process' ;;
  *) echo "perf.sh: --phase takes fixed or saturation" >&2; exit 2 ;;
esac
if ! command -v perf >/dev/null; then
  # Debian's package; installed here rather than by scripts/setup.sh, as nothing but this script needs it.
  echo "perf.sh: installing Linux perf (Debian's linux-perf)"
  as_root=(); [ "$(id -u)" = 0 ] || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends linux-perf >/dev/null
fi

if [ -z "$report_only" ]; then
  mkdir -p "$out"
  log="$out/bench.txt"
  # bench/run.sh sets up, builds and runs the bench. Perf maps name the JIT-compiled methods; without W^X the code lives
  # where perf can match the map to it.
  bash bench/run.sh "${args[@]}" --service-env DOTNET_PerfMapEnabled=1 --service-env DOTNET_EnableWriteXorExecute=0 > "$log" 2>&1 &
  bench=$!
  trap 'kill $bench 2>/dev/null || true' EXIT
  until grep -Eq "$marker" "$log" 2>/dev/null; do
    sleep 1
    kill -0 $bench 2>/dev/null || { cat "$log"; echo "perf.sh: the bench ended before the $phase phase" >&2; exit 1; }
  done
  sleep 5
  echo "perf: sampling the whole machine for $seconds s in the $phase phase…"
  # The processes as they run, for the summary's names (a thread's name is all perf keeps).
  ps -eo pid=,args= > "$out/processes.txt"
  perf record -e cpu-clock -F 297 -a -g -o "$out/perf.data" -- sleep "$seconds" 2> "$out/perf-record.txt"
  wait $bench || true
  trap - EXIT
  cat "$log"
fi

# Per process (the services named by their perf maps, which name their own assembly), split into the kernel, the
# runtime and libraries, and compiled .NET code; then the top symbols of the whole machine.
perf script -i "$out/perf.data" -F pid,comm,ip,sym,dso 2>/dev/null | python3 bench/perf-summary.py "$out/processes.txt"
echo "(perf data kept in $out/perf.data: perf report -i $out/perf.data)"
