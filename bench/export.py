"""Export the whole open data as CSV and report its time and peak memory (docs/open-data.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/redress_bench .venv/bin/python bench/export.py

Streams every published complaint through the same generator the CSV endpoint sends
(`complaints.api.open_data.csv_lines`) into /dev/null (or `--out FILE`), while a thread samples
the process's resident memory every 0.2 s. Flat memory means the samples stay near the start
value whatever the row count. On a terminal it shows progress and an estimate; otherwise it prints
only the result.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from complaints.api.open_data import csv_lines  # noqa: E402
from complaints.open_data import Filters, published_open_data  # noqa: E402


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(rss_mib())
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.devnull, help="Where to write the CSV (default: nowhere).")
    args = parser.parse_args()
    tty = sys.stderr.isatty()
    expected = published_open_data(Filters()).count() if tty else 0
    sampler = Sampler()
    start_rss = rss_mib()
    sampler.start()
    started = time.monotonic()
    rows = -1  # the header is not a row
    size = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for line in csv_lines(Filters()):
            out.write(line)
            size += len(line)
            rows += 1
            if tty and rows and rows % 20_000 == 0:
                elapsed = time.monotonic() - started
                left = elapsed / rows * max(expected - rows, 0)
                print(
                    f"\r{rows:,} of {expected:,} rows, {rss_mib():.0f} MiB, about {left:.0f} s left",
                    end="",
                    file=sys.stderr,
                )
    elapsed = time.monotonic() - started
    sampler.stop.set()
    sampler.join()
    if tty:
        print(file=sys.stderr)
    samples = sampler.samples or [start_rss]
    print(
        f"rows={rows} bytes={size} seconds={elapsed:.1f} rows_per_second={rows / max(elapsed, 1e-9):.0f} "
        f"rss_start_mib={start_rss:.1f} rss_peak_mib={max(samples):.1f} "
        f"rss_at_10pct_mib={samples[len(samples) // 10]:.1f} rss_at_90pct_mib={samples[len(samples) * 9 // 10]:.1f}"
    )


if __name__ == "__main__":
    main()
