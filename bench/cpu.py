"""Where the machine's CPU went during a measured window: web workers, sweep workers, database, ...

`bench/run.py` wraps the filing and sweep scenarios in a `CpuMeter`: a throughput target on a
machine whose cores are all busy is a question of CPU per unit of work, and this says whose.
Read from /proc (Linux only): every live process's own time plus the time of the children it
has reaped, so a database backend or a load generator that exits inside the window is still
counted, once, under the process that reaped it. Clock ticks are 10 ms; the windows measured
are seconds long.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICK = 1 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01

# The groups, in the order they are reported.
WEB, WORKERS, DATABASE, BROKER, LOAD, BENCH, OTHER = (
    "web (gunicorn)",
    "sweep workers (celery)",
    "database (postgres)",
    "broker (redis)",
    "load generator",
    "bench process",
    "other",
)
GROUPS = (WEB, WORKERS, DATABASE, BROKER, LOAD, BENCH, OTHER)


@dataclass(frozen=True)
class Sample:
    own: float  # seconds of CPU the process used itself
    reaped: float  # seconds its reaped children used


def parse_stat(text: str) -> tuple[str, Sample]:
    """The command name and CPU times in one /proc/<pid>/stat line.

    The name is in parentheses and may hold spaces or parentheses itself, so the fields are
    counted from the last ")": utime, stime, cutime, cstime are fields 14-17 of the line.
    """
    start, end = text.index("("), text.rindex(")")
    name = text[start + 1 : end]
    fields = text[end + 2 :].split()
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return name, Sample(own=(utime + stime) * TICK, reaped=(cutime + cstime) * TICK)


def classify(name: str, cmdline: str, pid: int, bench_pid: int) -> tuple[str, str]:
    """The group a process's own time and its reaped children's time belong to."""
    if pid == bench_pid:
        # The bench reaps the load generator (bench/loadgen.py), its only child that exits mid-run.
        return BENCH, LOAD
    if "gunicorn" in cmdline:
        return WEB, WEB
    if "celery" in cmdline:
        return WORKERS, WORKERS
    if name.startswith("postgres"):
        return DATABASE, DATABASE
    if name.startswith("redis-server"):
        return BROKER, BROKER
    if "loadgen.py" in cmdline:
        return LOAD, LOAD
    return OTHER, OTHER


def snapshot(bench_pid: int | None = None) -> dict[str, float]:
    """CPU seconds so far, by group, of every process alive now."""
    bench_pid = bench_pid or os.getpid()
    totals = dict.fromkeys(GROUPS, 0.0)
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, sample = parse_stat((entry / "stat").read_text())
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue  # exited meanwhile, or a kernel thread without a command line
        own, reaped = classify(name, cmdline, int(entry.name), bench_pid)
        totals[own] += sample.own
        totals[reaped] += sample.reaped
    return totals


def machine_busy() -> tuple[float, float]:
    """(busy, total) seconds of all CPUs since boot, from the first line of /proc/stat."""
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already inside user time
    return (total - idle) * TICK, total * TICK


class CpuMeter:
    """`with CpuMeter() as meter: ...`, then `meter.used` (seconds by group) and `meter.busy` (share)."""

    def __enter__(self) -> CpuMeter:
        self._start = snapshot()
        self._machine = machine_busy()
        return self

    def __exit__(self, *exc: object) -> None:
        end = snapshot()
        busy, total = machine_busy()
        self.used = {group: max(0.0, end[group] - self._start[group]) for group in GROUPS}
        elapsed_cpu = total - self._machine[1]
        self.busy = (busy - self._machine[0]) / elapsed_cpu if elapsed_cpu > 0 else 0.0

    def per_unit_ms(self, units: int) -> dict[str, float]:
        """Milliseconds of CPU per unit of work (a filing, a page), by group, with the sum."""
        if units <= 0:
            return {}
        shares = {group: round(self.used[group] * 1000 / units, 2) for group in GROUPS if self.used[group]}
        shares["total"] = round(sum(self.used.values()) * 1000 / units, 2)
        return shares


def ceiling_per_second(cpu_ms_per_unit: float, cores: int | None = None) -> float:
    """The most units a second the machine's cores could do at this CPU per unit, were nothing else running."""
    cores = cores or os.cpu_count() or 1
    return cores * 1000 / cpu_ms_per_unit if cpu_ms_per_unit > 0 else float("inf")
