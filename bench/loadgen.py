"""A small closed-loop load generator: N client threads, each with one keep-alive connection.

Run by `bench/run.py` as a separate process so the clients do not share the interpreter (and its
GIL) with the benchmark's own bookkeeping. Reads a JSON job on stdin:

    {"host": "127.0.0.1", "port": 8150, "method": "POST", "path": "/api/v1/complaints/",
     "bodies": [...], "headers": [{...}, ...], "concurrency": 16, "seconds": 20, "warmup_seconds": 3,
     "expect": [201]}

Client i sends `headers[i % len(headers)]` and cycles through `bodies`. Prints one JSON object:
the count of requests in the measured window, the count sent in all (warm-up included), errors
by status, elapsed seconds and every latency.
Only loopback hosts are accepted.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from collections import Counter

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def client(job: dict, index: int, start_at: float, measure_from: float, stop_at: float, out: dict) -> None:
    headers = {"Content-Type": "application/json", **job["headers"][index % len(job["headers"])]}
    bodies = job["bodies"]
    expect = set(job.get("expect", [200, 201]))
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    sent = 0
    conn = http.client.HTTPConnection(job["host"], job["port"], timeout=30)
    n = index
    while time.perf_counter() < start_at:
        time.sleep(0.001)
    while True:
        began = time.perf_counter()
        if began >= stop_at:
            break
        body = json.dumps(bodies[n % len(bodies)]).encode() if bodies else None
        n += job["concurrency"]
        try:
            conn.request(job["method"], job["path"], body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status: int | str = response.status
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(job["host"], job["port"], timeout=30)
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection(job["host"], job["port"], timeout=30)
        ended = time.perf_counter()
        sent += 1
        if began >= measure_from:
            latencies.append(ended - began)
            if status not in expect:
                errors[str(status)] += 1
    conn.close()
    out[index] = (latencies, errors, sent)


def main() -> None:
    job = json.load(sys.stdin)
    if job["host"] not in LOOPBACK:
        raise SystemExit("The load generator only talks to loopback.")
    results: dict[int, tuple[list[float], Counter[str], int]] = {}
    start_at = time.perf_counter() + 0.2
    measure_from = start_at + job.get("warmup_seconds", 0)
    stop_at = measure_from + job["seconds"]
    threads = [
        threading.Thread(target=client, args=(job, i, start_at, measure_from, stop_at, results))
        for i in range(job["concurrency"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = [value for lat, _, _ in results.values() for value in lat]
    errors: Counter[str] = Counter()
    for _, errs, _ in results.values():
        errors.update(errs)
    sent = sum(count for _, _, count in results.values())
    json.dump(
        {
            "requests": len(latencies),
            "sent": sent,
            "errors": dict(errors),
            "seconds": job["seconds"],
            "latencies": latencies,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
