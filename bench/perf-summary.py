"""Summarises `perf script -F pid,comm,ip,sym,dso` of a whole-machine recording (bench/perf.sh): the share of each
process, split into the kernel, the runtime and native libraries, and compiled .NET code, then the top symbols. A .NET
process is named by its perf map (/tmp/perf-PID.map), which names its own assembly."""
import collections
import os
import re
import sys

SERVICE = re.compile(r"Procexon\.(Processors\.AccountingFirm|Registry|RightsRequests|Retention|DisclosureLog|Gateway|Identity|Console|Bench)\.")


# What other processes are, by their command line (bench/perf.sh lists them while it records).
KNOWN = [("postgres", "PostgreSQL"), ("beam.smp", "RabbitMQ"), ("/dcp", "Aspire DCP"), ("dcpproc", "Aspire DCP"),
         ("Procexon.Bench", "the bench"), ("aiosmtpd", "mail server"), ("node", "WebsiteCompany (Node.js)")]
THREAD_NAMES = {"postgres": "postgres", "erl_child_setup": "beam.smp", "dcp": "/dcp"}


def read_processes(path: str | None) -> dict[str, str]:
    processes: dict[str, str] = {}
    if path and os.path.exists(path):
        with open(path, errors="ignore") as listing:
            for line in listing:
                pid, _, args = line.strip().partition(" ")
                processes[pid] = args
    return processes


def service_of(pid: str, comm: str, processes: dict[str, str]) -> str:
    try:
        with open(f"/tmp/perf-{pid}.map", errors="ignore") as perf_map:
            found = SERVICE.search(perf_map.read())
            if found:
                return found.group(1)
    except OSError:
        pass
    # A process that started after the listing is known by its thread's name alone.
    args = processes.get(pid) or THREAD_NAMES.get(comm, "")
    return next((name for marker, name in KNOWN if marker in args), comm if not args else f"other: {args.split()[0][-30:]}")


def main() -> None:
    processes = read_processes(sys.argv[1] if len(sys.argv) > 1 else None)
    total = 0
    by_process: collections.Counter[str] = collections.Counter()
    parts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    symbols: collections.Counter[tuple[str, str]] = collections.Counter()
    names: dict[str, str] = {}
    for sample in sys.stdin.read().split("\n\n"):
        lines = [line.strip() for line in sample.strip().splitlines() if line.strip()]
        if len(lines) < 2:
            continue
        total += 1
        head = lines[0].split()
        pid = next(x for x in head if x.isdigit())
        comm = " ".join(x for x in head if not x.isdigit())
        if pid not in names:
            names[pid] = service_of(pid, comm, processes)
        name = names[pid]
        by_process[name] += 1
        leaf = lines[1]
        part = "kernel" if "[kernel" in leaf else "jit" if "[JIT]" in leaf or "/tmp/perf-" in leaf else "native"
        parts[name][part] += 1
        symbol = leaf.split(None, 1)[1].rsplit(" (", 1)[0] if " " in leaf else leaf
        symbols[(name, symbol[:150])] += 1

    def pct(n: int) -> str:
        return f"{100 * n / total:6.1f}%"

    print(f"\n== perf: share of all {total} samples (two cores) by process, and where in it")
    print(f"{'share':>7}  {'process':<28} {'kernel':>7} {'runtime, native':>16} {'compiled .NET':>14}")
    for name, n in by_process.most_common(18):
        p = parts[name]
        print(f"{pct(n)}  {name[:28]:<28} {pct(p['kernel'])} {pct(p['native']):>16} {pct(p['jit']):>14}")
    print("\n== perf: top symbols (share of all samples)")
    for (name, symbol), n in symbols.most_common(30):
        print(f"{100 * n / total:6.2f}%  {name[:26]:<26} {symbol}")


main()
