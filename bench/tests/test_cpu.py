"""The bench's CPU accounting: reading /proc lines, grouping processes, per-unit shares."""

from __future__ import annotations

import time

import pytest

from bench import cpu

# A /proc/<pid>/stat line whose command name holds a space and a parenthesis, as names may.
STAT = (
    "4242 (post gres: x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 "
    "250 50 70 30 20 0 1 0 12345 1000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
)


def test_a_stat_line_is_read_from_after_the_last_parenthesis():
    name, sample = cpu.parse_stat(STAT)
    assert name == "post gres: x"
    # utime 250 + stime 50 ticks; cutime 70 + cstime 30 ticks.
    assert sample.own == pytest.approx(300 * cpu.TICK)
    assert sample.reaped == pytest.approx(100 * cpu.TICK)


@pytest.mark.parametrize(
    ("name", "cmdline", "expected"),
    [
        ("gunicorn", "/srv/.venv/bin/python /srv/.venv/bin/gunicorn config.wsgi:application", (cpu.WEB, cpu.WEB)),
        ("celery", "/srv/.venv/bin/python /srv/.venv/bin/celery -A config worker", (cpu.WORKERS, cpu.WORKERS)),
        ("postgres", "postgres: postgres redress_bench 127.0.0.1(5000) idle", (cpu.DATABASE, cpu.DATABASE)),
        ("redis-server", "redis-server 127.0.0.1:6379", (cpu.BROKER, cpu.BROKER)),
        ("python", "/usr/bin/python3 bench/loadgen.py", (cpu.LOAD, cpu.LOAD)),
        ("bash", "bash", (cpu.OTHER, cpu.OTHER)),
    ],
)
def test_processes_are_grouped_by_what_they_run(name, cmdline, expected):
    assert cpu.classify(name, cmdline, pid=10, bench_pid=1) == expected


def test_the_bench_process_reaps_the_load_generator():
    # The bench's own time is its own; the children it reaped (bench/loadgen.py) are the load's.
    assert cpu.classify("python", "python bench/run.py", pid=7, bench_pid=7) == (cpu.BENCH, cpu.LOAD)


def test_per_unit_shares_and_their_sum():
    meter = cpu.CpuMeter()
    meter.used = dict.fromkeys(cpu.GROUPS, 0.0) | {cpu.WEB: 1.8, cpu.DATABASE: 0.6}
    assert meter.per_unit_ms(200) == {cpu.WEB: 9.0, cpu.DATABASE: 3.0, "total": 12.0}
    assert meter.per_unit_ms(0) == {}


def test_the_ceiling_a_machine_allows():
    # 12 ms of CPU a unit on 2 cores: 2,000 ms a second / 12 ms.
    assert cpu.ceiling_per_second(12.0, cores=2) == pytest.approx(166.67, abs=0.01)
    assert cpu.ceiling_per_second(0.0, cores=2) == float("inf")


def test_a_window_of_busy_python_is_counted_as_the_measuring_process():
    began = time.process_time()
    with cpu.CpuMeter() as meter:
        while time.process_time() - began < 0.3:
            pass
    # The process that measures is the bench's own group, whatever script it runs.
    assert meter.used[cpu.BENCH] >= 0.2
    assert 0 < meter.busy <= 1
