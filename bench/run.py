"""Run every benchmark scenario against the seeded database and report the figures.

    .venv/bin/python bench/seed.py      # once: builds the dataset (see bench/README.md)
    .venv/bin/python bench/run.py       # every scenario; table on stdout, bench/results/latest.json

Pages are served by gunicorn on 127.0.0.1 (bench.settings: production settings, the bench
database, throttles lifted). Each page scenario sends 500 sequential requests from one
keep-alive client after a warm-up and reports p50/p95/p99; beside it, the "floor" is the same
rows fetched by one hand-written SQL query through psycopg2, timed in the same run, and the
ratio is page p50 / floor p50. Filing runs concurrent clients from a second process
(bench/loadgen.py). The deadline sweep runs after the due rows are put back as the seed left
them, three ways: in-process (`manage.py enforce_deadlines`), then queued a task per page to one
and to two real `celery -A config worker` processes started by the bench (from the first page
queued to the last page applied).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import html
import http.client
import json
import os
import platform
import re
import runpy
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import seed  # noqa: E402
from bench.cpu import CpuMeter, ceiling_per_second  # noqa: E402
from complaints.views.dashboard import DASHBOARD_PAGE_SIZE  # noqa: E402
from workbench.selectors import PAGE_SIZE as WORKBENCH_PAGE_SIZE  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PROFILE_SLUG = "bench-published"
PUBLIC_STATES = ("resolved", "answered", "unanswered", "unresolved", "unpursuable")


@dataclass
class Figure:
    scenario: str
    n: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    target: str
    passed: bool | None
    floor_p50_ms: float | None = None
    ratio: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# The server ------------------------------------------------------------------------------------


class Server:
    """gunicorn with the production settings file (config/gunicorn.py), on a loopback port."""

    def __init__(self, port: int, workers: int | None):
        self.port, self.workers = port, workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "CONN_MAX_AGE": "600",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "none",
        }
        if self.workers:
            env["WEB_CONCURRENCY"] = str(self.workers)
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "-c",
            str(ROOT / "config" / "gunicorn.py"),
            "--log-level",
            "warning",
        ]
        log = open(RESULTS / "gunicorn.log", "w")  # kept open for the life of the server
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/")
                if status < 500:
                    return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start; see bench/results/gunicorn.log")

    def worker_peak_rss_mb(self) -> dict[int, float]:
        """Each gunicorn worker's peak resident memory so far (VmHWM in /proc/<pid>/status), in MB."""
        if self.process is None:
            return {}
        peaks = {}
        for child in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split():
            try:
                status = Path(f"/proc/{child}/status").read_text()
            except OSError:
                continue  # the worker exited meanwhile
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks[int(child)] = round(int(match.group(1)) / 1024, 1)
        return peaks

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


@dataclass(frozen=True)
class Get:
    """One GET a scenario times: its path and headers, the status it must answer, what runs ahead of it."""

    path: str
    headers: dict | None = None
    expect: int = 200
    before: Callable[[], None] | None = None  # run ahead of each request, outside the time (to drop a cache, say)


def time_alternating(port: int, gets: list[Get], n: int, warmup: int = 20) -> list[tuple]:
    """Send `warmup` + `n` rounds of `gets`, one of each in turn, on one keep-alive connection.

    Pages judged against each other (figures cold against warm, page 200 against page 1) are
    timed in turn like this, so that the host's speed, which drifts by up to two times within
    minutes here, is the same for both. For each GET: (latencies, errors, size), or (None, the
    status, 0) if its first answer was not the status it expects (it is then not sent again).
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    results: list[tuple] = [([], 0, 0) for _ in gets]
    for i in range(warmup + n):
        for k, get in enumerate(gets):
            latencies, errors, _ = results[k]
            if latencies is None:
                continue
            if get.before is not None:
                get.before()
            began = time.perf_counter()
            conn.request("GET", get.path, headers=get.headers or {})
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - began
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if i >= warmup:
                latencies.append(elapsed)
                results[k] = (latencies, errors + (response.status != get.expect), len(body))
            elif i == 0 and response.status != get.expect:
                results[k] = (None, response.status, 0)
    conn.close()
    return results


def time_requests(
    port: int,
    path: str,
    n: int,
    headers: dict | None = None,
    warmup: int = 20,
    expect: int = 200,
    before: Callable[[], None] | None = None,
):
    """Send `warmup` + `n` sequential GETs on one keep-alive connection; return latencies and errors.

    A response other than `expect` (200, or 304 for a repeat visit) is an error. `before` runs
    ahead of each request, outside the time (to drop a cache, say)."""
    (timed,) = time_alternating(port, [Get(path, headers, expect, before)], n, warmup)
    return timed


# Floors: the same rows by one hand-written query ---------------------------------------------------


def pg_connect():
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )


def time_sql(cur, sql: str, params: tuple, n: int, warmup: int = 20) -> list[float]:
    latencies = []
    for i in range(warmup + n):
        began = time.perf_counter()
        cur.execute(sql, params)
        cur.fetchall()
        if i >= warmup:
            latencies.append(time.perf_counter() - began)
    return latencies


PUBLISHED_FLOOR = """
SELECT c.id, c.number, c.type, c.status, c.filed_at, c.closed_at, c.publish_consent, c.description_masked,
       c.late_response, thread.items
FROM (
    SELECT id FROM complaints_complaint
    WHERE business_id = %s AND status = ANY(%s) AND closed_at >= %s {extra}
    ORDER BY filed_at DESC, id DESC
    LIMIT %s OFFSET %s
) page
JOIN complaints_complaint c ON c.id = page.id
CROSS JOIN LATERAL (
    SELECT json_agg(t ORDER BY t.created_at) AS items FROM (
        SELECT 'response' AS kind, r.created_at, r.text_masked, r.is_late, '' AS verdict
        FROM disputes_businessresponse r WHERE r.complaint_id = c.id
        UNION ALL
        SELECT 'answer', a.created_at, a.text_masked, false, a.verdict
        FROM disputes_customeranswer a WHERE a.complaint_id = c.id
    ) t
) thread
ORDER BY c.filed_at DESC, c.id DESC
"""

DASHBOARD_FLOOR = """
SELECT c.id, c.number, c.status, c.type, c.filed_at, c.due_at, c.due_kind, c.business_id, b.name,
       u.name AS complainant
FROM complaints_complaint c
JOIN accounts_business b ON b.id = c.business_id
JOIN accounts_user u ON u.id = c.complainant_id
WHERE c.business_id IN %s AND c.forwarded_at IS NOT NULL
ORDER BY c.due_at ASC NULLS LAST, c.filed_at DESC, c.id
LIMIT %s
"""


def published_floor(cur, n: int, *, per_page: int, page: int, status: str = "", type_: str = "") -> list[float]:
    from complaints.publication import publication_cutoff

    extra, params = "", [seed.PUBLISHED_BUSINESS, list(PUBLIC_STATES), publication_cutoff()]
    if status:
        extra += " AND status = %s"
        params.append(status)
    if type_:
        extra += " AND type = %s"
        params.append(type_)
    params += [per_page, (page - 1) * per_page]
    return time_sql(cur, PUBLISHED_FLOOR.format(extra=extra), tuple(params), n)


# Scenarios -------------------------------------------------------------------------------------


def page_figure(
    name,
    port,
    path,
    n,
    target_ms,
    floor: Callable[[], list[float]] | None,
    headers=None,
    expect=200,
    at="p95",
    p95_ms: float | None = None,
    before: Callable[[], None] | None = None,
    timed: tuple | None = None,
) -> Figure:
    """`target_ms` applies to the p95 (or the p50 with at="p50"; `p95_ms` adds a p95 bound to it).

    `timed`: the page's timings where they were taken already (`time_alternating`).
    """
    if timed is None:
        timed = time_requests(port, path, n, headers=headers, expect=expect, before=before)
    latencies, errors, size = timed
    target = f"{at} <= {target_ms} ms" + (f", p95 <= {p95_ms} ms" if p95_ms is not None else "")
    if latencies is None:
        return Figure(name, 0, None, None, None, target, None, note=f"not available (HTTP {errors})")
    p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    floor_p50 = ratio = None
    if floor is not None:
        floor_p50 = percentile(floor(), 0.5)
        ratio = round(p50 / floor_p50, 1) if floor_p50 else None
    note = f"{size:,} bytes" + (f", {errors} errors" if errors else "")
    return Figure(
        name,
        len(latencies),
        ms(p50),
        ms(p95),
        ms(p99),
        target,
        (p50 if at == "p50" else p95) * 1000 <= target_ms and (p95_ms is None or p95 * 1000 <= p95_ms) and not errors,
        ms(floor_p50) if floor_p50 else None,
        ratio,
        note,
        {"path": path},
    )


# The search's candidates (complaints/search.py, `candidate_ids`) and its page, in SQL on the
# columns every bench schema has. %(window)s is a filing-time bound, or NULL for the whole record.
SEARCH_CANDIDATES = """
SELECT c.id FROM complaints_complaint c JOIN accounts_business b ON b.id = c.business_id
WHERE b.is_listed AND c.closed_at >= %(cutoff)s AND c.status = ANY(%(states)s)
  AND c.masked_at IS NOT NULL AND c.publish_consent
  AND c.search_vector @@ websearch_to_tsquery('english', %(q)s)
  AND (%(since)s::timestamptz IS NULL OR c.filed_at >= %(since)s::timestamptz)
ORDER BY c.filed_at DESC, c.id DESC LIMIT 501
"""

SEARCH_PAGE = """
SELECT c.number, c.filed_at, c.closed_at, b.name, b.slug, c.type, c.status, c.publish_consent, c.masked_at,
       c.description_masked, ts_rank(c.search_vector, websearch_to_tsquery('english', %(q)s)) AS rank
FROM complaints_complaint c LEFT JOIN accounts_business b ON b.id = c.business_id
WHERE c.id = ANY(%(ids)s)
ORDER BY rank DESC, c.filed_at DESC, c.id DESC LIMIT 20
"""

SEARCH_NAMED = (
    "SELECT id FROM accounts_business WHERE is_listed AND UPPER(name) LIKE UPPER(%(like)s) ORDER BY id LIMIT 50"
)


def search_once(cur, q: str) -> tuple[int, int]:
    """The three steps of one search; returns (windows tried, candidates found)."""
    from datetime import timedelta

    from django.utils import timezone

    from complaints.publication import publication_cutoff
    from complaints.search import CANDIDATES, WINDOWS

    base = {"q": q, "cutoff": publication_cutoff(), "states": list(PUBLIC_STATES), "like": f"%{q}%"}
    cur.execute(SEARCH_NAMED, base)
    cur.fetchall()
    tried, ids = 0, []
    for since in [timezone.now() - timedelta(days=days) for days in WINDOWS] + [None]:
        tried += 1
        cur.execute(SEARCH_CANDIDATES, {**base, "since": since})
        ids = [row[0] for row in cur.fetchall()]
        if len(ids) > CANDIDATES:
            break
    cur.execute(SEARCH_PAGE, {**base, "ids": ids[:CANDIDATES]})
    cur.fetchall()
    return tried, len(ids)


def search_scenarios(port: int, n: int, cur) -> list[Figure]:
    """Search across businesses at 1M: a common word, a rarer one, and the page over HTTP."""
    figures = []
    common = "card"  # in about 16% of the seeded complaints
    for label, q in (("common word", common), ("no match", "zeppelin"), ("two words", "card replacement")):
        latencies, tried, found = [], 0, 0
        for i in range(5 + min(n, 50)):
            began = time.perf_counter()
            tried, found = search_once(cur, q)
            if i >= 5:
                latencies.append(time.perf_counter() - began)
        p50, p95, p99 = (percentile(latencies, x) for x in (0.5, 0.95, 0.99))
        figures.append(
            Figure(
                f"search SQL, {label} ({q!r})",
                len(latencies),
                ms(p50),
                ms(p95),
                ms(p99),
                "p95 <= 300 ms",
                p95 * 1000 <= 300,
                note=f"{tried} window(s), {min(found, 500)} ranked",
                extra={"q": q, "windows": tried, "candidates": found},
            )
        )
    figures.append(
        page_figure("search page over HTTP", port, f"/api/v1/complaints/search/?q={common}", min(n, 100), 300, None)
    )
    return figures


def profile_scenarios(port: int, n: int, cur) -> list[Figure]:
    html = 10  # complaints.views.public.PROFILE_PAGE_SIZE
    api: int = settings.REST_FRAMEWORK.get("PAGE_SIZE", 20)  # type: ignore[assignment]
    base = f"/businesses/{PROFILE_SLUG}/"
    api_base = f"/api/v1/businesses/{PROFILE_SLUG}/"
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("first page", "", {"page": 1}),
        ("page 2000", "?page=2000", {"page": 2000}),
        ("status=answered", "?status=answered", {"page": 1, "status": "answered"}),
        ("type=delivery", "?type=delivery", {"page": 1, "type_": "delivery"}),
    ]
    figures = []
    for label, query, floor_args in cases:
        first = label == "first page"
        figures.append(
            page_figure(
                f"profile HTML, {label}",
                port,
                base + query,
                n,
                PROFILE_FIRST_P50_MS if first else 50,
                functools.partial(published_floor, cur, n, per_page=html, **floor_args),
                at="p50" if first else "p95",
            )
        )
    # Anonymous pages are kept under their ETag: the first page above comes from the cache. These
    # two render it on every request (the business's public version moved on before each, as a
    # publication does), with the figures cached and with a figures cache miss, in turn.
    warm_get = Get(base, before=functools.partial(publish_again, seed.PUBLISHED_BUSINESS, forget=False))
    cold_get = Get(base, before=functools.partial(publish_again, seed.PUBLISHED_BUSINESS, forget=True))
    warm_timed, cold_timed = time_alternating(port, [warm_get, cold_get], n)
    rendered = page_figure("profile HTML, first page, rendered", port, base, n, 50, None, timed=warm_timed)
    cold = page_figure("profile HTML, first page, rendered, figures cold", port, base, n, 50, None, timed=cold_timed)
    figures += [rendered, within(cold, rendered, FIGURES_COLD_RATIO)]
    # A repeat visit (a browser or CDN revalidating its copy): If-None-Match with the page's ETag.
    _, headers, _ = request(port, "GET", base)
    etag = {k.lower(): v for k, v in headers}.get("etag")
    if etag:
        figures.append(
            page_figure(
                "profile HTML, repeat visit (304)",
                port,
                base,
                n,
                2,
                None,
                headers={"If-None-Match": etag},
                expect=304,
                at="p50",
            )
        )
    else:
        figures.append(
            Figure("profile HTML, repeat visit (304)", 0, None, None, None, "p50 <= 2 ms", None, note="no ETag")
        )
    figures.append(page_figure("profile API, business", port, api_base, n, 50, None))
    for label, query, floor_args in cases:
        figures.append(
            page_figure(
                f"profile API, complaints {label}",
                port,
                api_base + "complaints/" + query,
                n,
                50,
                functools.partial(published_floor, cur, n, per_page=api, **floor_args),
            )
        )
    return figures


PROFILE_FIRST_P50_MS = 6
FIGURES_COLD_RATIO = 1.5
DASHBOARD_P50_MS, DASHBOARD_P95_MS = 10, 15
DEEP_PAGE_RATIO = 1.3  # the dashboard's page 200 against its first page
LARGE_BUSINESS_RATIO = 1.2  # the dashboard of 100,000 open against 10,000 open
CASE_PAGE_P50_MS = 8
FILING_RATE, FILING_P99_MS = 300, 150  # complaints a second from 16 clients
SWEEP_SECONDS = 3  # 10,000 due among 1,000,000


def publish_again(business_id: int, *, forget: bool) -> None:
    """Move the business's public version on, as a publication does (its ETag and kept pages change)."""
    from django.db.models import F

    from accounts.models import Business

    Business.objects.filter(pk=business_id).update(public_version=F("public_version") + 1)
    if forget:
        forget_figures(business_id)


def forget_figures(business_id: int) -> None:
    from complaints.figures import business_figures_forget

    business_figures_forget([business_id])


def within(figure: Figure, base: Figure, ratio: float) -> Figure:
    """Judge `figure` by its p50 against `ratio` times `base`'s p50 (and its own errors)."""
    if figure.p50_ms is None or base.p50_ms is None:
        return figure
    figure.target = f"p50 <= {ratio}x {base.scenario!r}"
    figure.passed = figure.p50_ms <= ratio * base.p50_ms and "errors" not in figure.note
    figure.note += f"; {figure.p50_ms / base.p50_ms:.2f}x"
    return figure


def sign_in(port: int, email: str, password: str) -> dict | None:
    """Sign in through /accounts/signin/ like a browser; the cookies to send, or None."""
    status, headers, body = request(port, "GET", "/accounts/signin/")
    if status != 200:
        return None
    cookies = cookie_jar(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not match or "csrftoken" not in cookies:
        return None
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "username": email, "password": password}
    ).encode()
    status, headers, _ = request(
        port,
        "POST",
        "/accounts/signin/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "Referer": f"http://127.0.0.1:{port}/accounts/signin/",
        },
    )
    cookies.update(cookie_jar(headers))
    return cookies if status in (302, 303) and "sessionid" in cookies else None


def cookie_jar(headers) -> dict:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def rep_businesses(cur, user_id: int) -> tuple[int, ...]:
    cur.execute("SELECT business_id FROM accounts_membership WHERE user_id = %s", (user_id,))
    return tuple(row[0] for row in cur.fetchall())


def dashboard_floor(cur, rep_id: int, n: int) -> list[float]:
    return time_sql(cur, DASHBOARD_FLOOR, (rep_businesses(cur, rep_id), DASHBOARD_PAGE_SIZE), n)


def dashboard_scenarios(port: int, n: int, cur) -> list[Figure]:
    """The dashboard of business 2 (10,000 open): first page, page 200, figures cold; of business 3 (100,000 open).

    The four are timed in turn (`time_alternating`): each after 10,000 open is judged against it.
    """
    name = "dashboard (10,000 open)"
    large = "dashboard (100,000 open)"
    target = f"p50 <= {DASHBOARD_P50_MS} ms, p95 <= {DASHBOARD_P95_MS} ms"
    sessions = {}
    for scenario, email in ((name, seed.DASHBOARD_EMAIL), (large, seed.LARGE_EMAIL)):
        cookies = sign_in(port, email, seed.BENCH_PASSWORD)
        if cookies is None:
            return [Figure(scenario, 0, None, None, None, target, None, note="sign-in failed")]
        sessions[scenario] = {"Cookie": cookie_header(cookies)}
    headers = sessions[name]
    deep_path = deep_dashboard_path(port, headers, 200)
    forget = functools.partial(forget_figures, seed.DASHBOARD_BUSINESS)
    gets = [
        Get("/dashboard/", headers),
        Get("/dashboard/", headers, before=forget),
        Get("/dashboard/", sessions[large]),
        *([Get(deep_path, headers)] if deep_path is not None else []),
    ]
    timed = time_alternating(port, gets, n)

    def dashboard(scenario: str, business: int, timings: tuple) -> Figure:
        floor = functools.partial(dashboard_floor, cur, seed.REP_BASE + business, n)
        return page_figure(
            scenario,
            port,
            "/dashboard/",
            n,
            DASHBOARD_P50_MS,
            floor,
            at="p50",
            p95_ms=DASHBOARD_P95_MS,
            timed=timings,
        )

    first = dashboard(name, seed.DASHBOARD_BUSINESS, timed[0])
    figures = [first]
    if deep_path is None:
        figures.append(Figure(f"{name}, page 200", 0, None, None, None, target, None, note="no link"))
    else:
        deep = page_figure(f"{name}, page 200", port, deep_path, n, 80, None, timed=timed[3])
        figures.append(within(deep, first, DEEP_PAGE_RATIO))
    cold = page_figure(f"{name}, figures cold", port, "/dashboard/", n, 80, None, timed=timed[1])
    figures.append(within(cold, first, FIGURES_COLD_RATIO))
    figures.append(within(dashboard(large, seed.LARGE_BUSINESS, timed[2]), first, LARGE_BUSINESS_RATIO))
    return figures


CASE_FLOOR = """
SELECT c.*, (SELECT json_agg(r) FROM disputes_businessresponse r WHERE r.complaint_id = c.id),
       (SELECT json_agg(a) FROM disputes_customeranswer a WHERE a.complaint_id = c.id),
       (SELECT json_agg(e ORDER BY e.id) FROM complaints_complaintevent e WHERE e.complaint_id = c.id)
FROM complaints_complaint c WHERE c.number = %s
"""


def case_scenarios(port: int, n: int, cur) -> list[Figure]:
    """A case page read by the business's representative: a complaint of business 2 awaiting the consumer."""
    name = "case page (representative, awaiting the consumer)"
    cur.execute(
        "SELECT number FROM complaints_complaint WHERE business_id = %s AND status = 'awaiting_consumer' "
        "ORDER BY id LIMIT 1",
        (seed.DASHBOARD_BUSINESS,),
    )
    row = cur.fetchone()
    target = f"p50 <= {CASE_PAGE_P50_MS} ms"
    cookies = sign_in(port, seed.DASHBOARD_EMAIL, seed.BENCH_PASSWORD)
    if row is None or cookies is None:
        return [Figure(name, 0, None, None, None, target, None, note="no complaint or sign-in failed")]
    return [
        page_figure(
            name,
            port,
            f"/complaints/{row[0]}/",
            n,
            CASE_PAGE_P50_MS,
            functools.partial(time_sql, cur, CASE_FLOOR, (row[0],), n),
            headers={"Cookie": cookie_header(cookies)},
            at="p50",
        )
    ]


def deep_dashboard_path(port: int, headers: dict, page: int) -> str | None:
    """The link to the dashboard's page `page`, reached as a reader would: by its "Next" links."""
    path = "/dashboard/"
    for _ in range(page - 1):
        status, _, body = request(port, "GET", path, headers=headers)
        match = re.search(rb'<a href="([^"]+)" rel="next">', body) if status == 200 else None
        if match is None:
            return None
        path = "/dashboard/" + html.unescape(match.group(1).decode())
    return path


# The workbench's complaint queue as one query: the page's rows with the business and assignee
# they show, oldest first by (status_changed_at, id), as workbench.selectors.queue_page reads them.
WORKBENCH_FLOOR = """
SELECT c.id, c.number, c.type, c.business_name, c.due_at, c.status_changed_at, c.paused_at, b.name, u.email
FROM complaints_complaint c
LEFT JOIN accounts_business b ON b.id = c.business_id
LEFT JOIN accounts_user u ON u.id = c.assigned_to_id
WHERE c.status = %s {mine}
ORDER BY c.status_changed_at, c.id
LIMIT %s
"""
WORKBENCH_TARGET_MS = 80
WORKBENCH_DEPTH = 100  # the deep page, reached by following "Next page" links


def workbench_floor(cur, n: int, status: str, staff_id: int | None = None) -> list[float]:
    if staff_id is None:
        return time_sql(cur, WORKBENCH_FLOOR.format(mine=""), (status, WORKBENCH_PAGE_SIZE + 1), n)
    sql = WORKBENCH_FLOOR.format(mine="AND c.assigned_to_id = %s")
    return time_sql(cur, sql, (status, staff_id, WORKBENCH_PAGE_SIZE + 1), n)


def workbench_scenarios(port: int, n: int, cur) -> list[Figure]:
    """The staff workbench as staff@bench.example: screening first page and a deep keyset page, rulings,
    and "assigned to me" (the seed assigns every fifth complaint waiting for staff to that user)."""
    target = f"p95 <= {WORKBENCH_TARGET_MS} ms"
    cookies = sign_in(port, seed.STAFF_EMAIL, seed.BENCH_PASSWORD)
    if cookies is None:
        return [Figure("workbench", 0, None, None, None, target, None, note="sign-in failed")]
    headers = {"Cookie": cookie_header(cookies)}
    figures = []
    for name, path, floor in [
        ("workbench, screening first page", "/staff/workbench/", ("submitted", None)),
        ("workbench, rulings first page", "/staff/workbench/?queue=rulings", ("staff_review", None)),
        ("workbench, assigned to me", "/staff/workbench/?mine=1", ("submitted", seed.STAFF_ID)),
    ]:
        status, staff_id = floor
        figures.append(
            page_figure(
                name,
                port,
                path,
                n,
                WORKBENCH_TARGET_MS,
                functools.partial(workbench_floor, cur, n, status, staff_id),
                headers=headers,
            )
        )
    deep, reached = deep_workbench_path(port, headers, WORKBENCH_DEPTH)
    name = f"workbench, screening page {reached}"
    if reached < 2:
        figures.append(Figure(name, 0, None, None, None, target, None, note="no next page"))
    else:
        figures.append(page_figure(name, port, deep, n, WORKBENCH_TARGET_MS, None, headers=headers))
    return figures


def deep_workbench_path(port: int, headers: dict, page: int) -> tuple[str, int]:
    """The screening queue's page `page` (or its last, if it has fewer) and its number, by its "Next page" links."""
    path, reached = "/staff/workbench/", 1
    while reached < page:
        status, _, body = request(port, "GET", path, headers=headers)
        match = re.search(rb'<a class="button button--secondary" href="(\?queue=[^"]+)">Next page</a>', body)
        if status != 200 or match is None:
            break
        path, reached = "/staff/workbench/" + html.unescape(match.group(1).decode()), reached + 1
    return path, reached


FILING_BODY = {
    "type": "delivery",
    "description": "The parcel was marked delivered on the 3rd but never arrived; the courier says it was "
    "left at a different address and the shop refuses to send a replacement or refund me.",
    "desired_outcome": "refund",
    "desired_outcome_detail": "Refund of the order",
    "transaction_date": "2024-05-02",
    "amount": "129.99",
    "currency": "USD",
    "reference": "ORD-55120",
    "publish_consent": True,
    "affirm_true": True,
    "affirm_not_in_court": True,
}


def filing_scenario(port: int, concurrency: int, seconds: int, *, refused: bool = False) -> Figure:
    """Filing through the API from `concurrency` clients, each with its own token, for `seconds`.

    `refused`: every body has a description too short to file, so each request is authenticated,
    parsed and validated and answered 400 with nothing written: the cost of the request cycle
    itself, beside which a filing's own work (its rows, e-mails, queueing) is what remains.
    """
    from complaints.models import Complaint

    name = "filing via API, refused (400, nothing written)" if refused else "filing via API"
    target = "- (the request cycle alone)" if refused else f">= {FILING_RATE}/s, p99 <= {FILING_P99_MS} ms, 0 errors"
    headers = []
    for i in range(1, concurrency + 1):
        body = json.dumps({"email": f"filer{i}@bench.example", "password": seed.BENCH_PASSWORD}).encode()
        status, _, raw = request(port, "POST", "/api/v1/auth/token/", body, {"Content-Type": "application/json"})
        if status != 200:
            return Figure(name, 0, None, None, None, target, None, note=f"token: HTTP {status}")
        headers.append({"Authorization": f"Token {json.loads(raw)['token']}"})
    short = {"description": "Too short to file."} if refused else {}
    # 100 listed businesses: 100, 150, ... 5,050 of the 10,000 at 1,000,000 complaints and above,
    # the same share of them below it (at 100,000 there are 1,000).
    scale = min(1.0, seed.N_BUSINESSES / 10_000)
    businesses = [max(4, round(b * scale)) for b in range(100, 5100, 50)]
    bodies = [{**FILING_BODY, "business": f"business-{b}", **short} for b in businesses]
    job = {
        "host": "127.0.0.1",
        "port": port,
        "method": "POST",
        "path": "/api/v1/complaints/",
        "bodies": bodies,
        "headers": headers,
        "concurrency": concurrency,
        "seconds": seconds,
        "warmup_seconds": 3,
        "expect": [400] if refused else [201],
    }
    with CpuMeter() as meter:
        process = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "loadgen.py")],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 120,
        )
    result = json.loads(process.stdout)
    latencies = result["latencies"]
    errors = sum(result["errors"].values())
    rate = len(latencies) / seconds
    p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    filed = Complaint.objects.filter(complainant_id__gt=seed.FILER_BASE).count()
    cleanup_filed()
    unit = "request" if refused else "filing"
    cpu = meter.per_unit_ms(result["sent"])  # warm-up included: the CPU was spent on every request sent
    return Figure(
        name,
        len(latencies),
        ms(p50),
        ms(p95),
        ms(p99),
        target,
        None if refused else rate >= FILING_RATE and p99 * 1000 <= FILING_P99_MS and errors == 0,
        note=(
            f"{rate:.0f} {unit}s/s, {concurrency} clients, {seconds} s, errors {result['errors'] or 0}; "
            f"{cpu_note(cpu, meter.busy, unit)}"
        ),
        extra={
            "per_second": round(rate, 1),
            "errors": result["errors"],
            "concurrency": concurrency,
            "sent": result["sent"],
            "rows": filed,
            f"cpu_ms_per_{unit}": cpu,
            "machine_busy": round(meter.busy, 3),
        },
    )


def cpu_note(cpu: dict[str, float], busy: float, unit: str) -> str:
    """CPU per unit of work by group, the machine's busy share, and the rate its cores allow at that cost."""
    if not cpu:
        return "no CPU measured"
    parts = ", ".join(f"{group} {value:.1f}" for group, value in cpu.items() if group != "total" and value >= 0.05)
    return (
        f"CPU per {unit} {cpu['total']:.1f} ms ({parts}), machine {busy:.0%} busy, "
        f"so at most {ceiling_per_second(cpu['total']):.0f} a second on {os.cpu_count()} cores"
    )


def cleanup_filed() -> None:
    """Remove what the filing scenario created, so the dataset stays as seeded.

    The timeline is append-only (a trigger refuses deletes): the bench lifts it for this
    transaction only, with pgtrigger.ignore().
    """
    import pgtrigger
    from django.db import transaction

    from complaints.models import Complaint, ComplaintEvent

    filed = Complaint.objects.filter(complainant_id__gt=seed.FILER_BASE)
    with transaction.atomic(), pgtrigger.ignore("complaints.ComplaintEvent:event_append_only"):
        ComplaintEvent.objects.filter(complaint__in=filed).delete()
        filed.delete()


# The deadline sweep ----------------------------------------------------------------------------


# Seeded due and reminder dates lie in the days after the seed, so as time passes some come
# due: move every one within the next two hours (other than the due set) a day past now.
SHIFT_NEAR_DATES = """
    UPDATE complaints_complaint SET due_at = due_at + %(shift)s, remind_at = remind_at + %(shift)s
    WHERE (due_at <= %(soon)s OR remind_at <= %(soon)s) AND status IN
          ('submitted', 'awaiting_business', 'awaiting_consumer', 'staff_review', 'in_mediation')
      AND id NOT IN ({ids})
"""


def shift_near_dates(cur, ids: str = "SELECT id FROM bench_due_snapshot") -> None:
    cur.execute("SELECT seeded_at FROM bench_meta")
    (seeded_at,) = cur.fetchone()
    now = timezone.now()
    cur.execute(
        SHIFT_NEAR_DATES.format(ids=ids),
        {"soon": now + dt.timedelta(hours=2), "shift": (now - seeded_at) + dt.timedelta(days=1)},
    )
    cur.connection.commit()


SWEEP_TABLES = (
    "complaints_complaint",
    "complaints_complaintevent",
    "complaints_outboundemail",
    "complaints_notification",
    "complaints_businessstatsday",
    "disputes_staffruling",
)


def sweep_reset(cur) -> None:
    """Put the due complaints back as the seed left them and move every other due date clear of now."""
    cur.execute("SELECT seeded_at, max_event_id FROM bench_meta")
    seeded_at, max_event_id = cur.fetchone()
    now = timezone.now()
    ids = "SELECT id FROM bench_due_snapshot"
    statements = [
        f"DELETE FROM complaints_outboundemail WHERE complaint_id IN ({ids}) OR event_id > %(max_event)s",
        f"DELETE FROM complaints_notification WHERE complaint_id IN ({ids}) OR event_id > %(max_event)s",
        f"DELETE FROM disputes_staffruling WHERE complaint_id IN ({ids})",
        f"DELETE FROM complaints_complaintevent WHERE complaint_id IN ({ids}) AND id > %(max_event)s",
        """UPDATE complaints_complaint c SET status = s.status, status_changed_at = s.status_changed_at,
               due_at = s.due_at, due_kind = s.due_kind, remind_at = s.remind_at, reminded_at = s.reminded_at,
               second_notice_sent_at = s.second_notice_sent_at, response_count = s.response_count,
               forwarded_at = s.forwarded_at, closed_at = s.closed_at, on_hold = s.on_hold,
               description_masked = '', masked_at = NULL, search_vector = NULL, timeline_head = ''
           FROM bench_due_snapshot s WHERE c.id = s.id""",
        # Dates the seed put in the future drift into the past as days go by: move them on.
        SHIFT_NEAR_DATES.format(ids=ids),
        # The sweep adds to the day rows of the day it runs: put back the days since the seed.
        """DELETE FROM complaints_businessstatsday
           WHERE day >= %(seed_day)s AND business_id IN (SELECT business_id FROM bench_stats_snapshot)""",
        "INSERT INTO complaints_businessstatsday (business_id, day, counts) "
        "SELECT business_id, day, counts FROM bench_stats_snapshot WHERE day >= %(seed_day)s",
    ]
    params = {
        "max_event": max_event_id,
        "now": now,
        "soon": now + dt.timedelta(hours=2),
        "shift": (now - seeded_at) + dt.timedelta(days=1),
        "seed_day": seeded_at.astimezone(dt.UTC).date(),
    }
    # The timeline is append-only (a trigger refuses deletes): the bench lifts it for its own
    # reset transaction only, the way pgtrigger.ignore() does.
    cur.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'complaints_complaintevent'::regclass "
        "AND tgname LIKE 'pgtrigger_event_append_only_%%'"
    )
    (trigger,) = cur.fetchone()
    cur.execute("SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + trigger + "}"])
    for sql in statements:
        cur.execute(sql, params)
    cur.connection.commit()
    # What autovacuum does in production (this machine's PostgreSQL has it off): without it, the
    # dead rows each reset and each run leave behind pile up in the tables and their indexes.
    autocommit, cur.connection.autocommit = cur.connection.autocommit, True
    try:
        cur.execute(f"VACUUM (ANALYZE) {', '.join(SWEEP_TABLES)}")
    finally:
        cur.connection.autocommit = autocommit


# The sweep's pages go to a queue of the bench's own, which only its workers read; the e-mail
# tasks the pages queue go to another that nobody reads (as in-process, mail is stored, not sent).
SWEEP_QUEUE, MAIL_QUEUE = "bench-sweep", "bench-mail"
SWEEP_PAGE_LINE = re.compile(r"Deadline sweep at \S+, (?:due-date|reminder) page of \d+: ")


class SweepWorkers:
    """`n` real `celery -A config worker` processes (one pool process each) on the bench's sweep queue."""

    def __init__(self, n: int):
        self.n = n
        self.processes: list[subprocess.Popen] = []
        self.logs = [RESULTS / f"sweep-worker-{i + 1}.log" for i in range(n)]

    def __enter__(self) -> SweepWorkers:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "CELERY_TASK_DEFAULT_QUEUE": MAIL_QUEUE}
        for i, log_path in enumerate(self.logs):
            command = [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "config",
                "worker",
                "-Q",
                SWEEP_QUEUE,
                "-c",
                "1",
                "-n",
                f"bench-sweep-{i + 1}@%h",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
            with log_path.open("w") as log:
                self.processes.append(
                    subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
                )
        deadline = time.monotonic() + 60
        while not all(" ready." in path.read_text() for path in self.logs):
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                raise SystemExit(f"A sweep worker did not start; see {self.logs}")
            time.sleep(0.2)
        return self

    def pages_taken(self) -> list[int]:
        """How many page attempts each worker has logged so far."""
        return [len(SWEEP_PAGE_LINE.findall(path.read_text())) for path in self.logs]

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def clear_bench_queues() -> None:
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for queue in (SWEEP_QUEUE, MAIL_QUEUE):
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


def sweep_on_workers(cur, workers: SweepWorkers, runs: int) -> Figure:
    """Queue the sweep for `workers.n` worker processes; time from the first page queued to the last applied."""
    from celery import current_app

    from complaints.deadlines import due_complaints, reminders_due
    from complaints.models import ComplaintEvent
    from complaints.tasks import sweep_queue
    from core.models import OutboundEmail

    timings: list[float] = []
    details: list[dict[str, Any]] = []
    for _ in range(runs):
        sweep_reset(cur)
        clear_bench_queues()
        events_before, emails_before = ComplaintEvent.objects.count(), OutboundEmail.objects.count()
        pages_before = workers.pages_taken()
        now = timezone.now()
        saved, current_app.conf.task_default_queue = current_app.conf.task_default_queue, SWEEP_QUEUE
        with CpuMeter() as meter:
            try:
                began = time.perf_counter()
                queued = sweep_queue(now=now)
                walked = time.perf_counter() - began
            finally:
                current_app.conf.task_default_queue = saved
            # Done when nothing the sweep selected is still due: the last page's commit.
            deadline = time.monotonic() + 300
            while due_complaints(now).exists() or (queued["reminder"] and reminders_due(now).exists()):
                if time.monotonic() > deadline:
                    raise SystemExit(f"The sweep on {workers.n} workers did not finish; see {workers.logs}")
                time.sleep(0.02)
            elapsed = time.perf_counter() - began
        timings.append(elapsed)
        # A page logs what it did just after its commit: give the last line a moment to appear.
        log_deadline = time.monotonic() + 5
        while True:
            pages = [after - before for after, before in zip(workers.pages_taken(), pages_before, strict=True)]
            if sum(pages) >= queued.total() or time.monotonic() > log_deadline:
                break
            time.sleep(0.05)
        details.append(
            {
                "seconds": round(elapsed, 2),
                "queueing_seconds": round(walked, 3),
                "pages_queued": dict(queued),
                "pages_per_worker": pages,
                "events": ComplaintEvent.objects.count() - events_before,
                "emails": OutboundEmail.objects.count() - emails_before,
                "cpu_ms_per_page": meter.per_unit_ms(queued.total()),
                "machine_busy": round(meter.busy, 3),
            }
        )
    last = details[-1]
    pages_per_second = ceiling_per_second(last["cpu_ms_per_page"].get("total", 0))
    plural = "es" if workers.n > 1 else ""
    return Figure(
        f"deadline sweep, {seed.DUE_COUNT:,} due, {workers.n} worker process{plural}",
        runs,
        ms(statistics.median(timings)),
        ms(max(timings)),
        ms(max(timings)),
        f"median <= {SWEEP_SECONDS} s",
        statistics.median(timings) <= SWEEP_SECONDS,
        note=(
            f"{last['events']} events, {last['emails']} e-mails stored; pages per worker {last['pages_per_worker']}; "
            f"queueing {last['pages_queued']['due-date']} pages took {last['queueing_seconds'] * 1000:.0f} ms; "
            f"{cpu_note(last['cpu_ms_per_page'], last['machine_busy'], 'page')} "
            f"(the {queued.total()} pages in {queued.total() / pages_per_second:.1f} s at the least)"
        ),
        extra={"runs": details},
    )


def sweep_scenario(cur, runs: int, idle_runs: int, worker_counts: tuple[int, ...] = (1, 2)) -> list[Figure]:
    from complaints.models import ComplaintEvent
    from complaints.sweep import sweep
    from complaints.tasks import sweep_queue
    from core.models import OutboundEmail

    # One untimed sweep first: what the process builds on first use (compiled name patterns, the
    # phone number metadata, templates) is then in place for every timed run, with and without
    # hashing alike; otherwise the first timed run carries it alone, and with --sweep-runs 1
    # hashing seemed to cost 22-27 % of a sweep when it costs a few per cent.
    sweep_reset(cur)
    sweep()
    timings, details = [], []
    for _ in range(runs):
        sweep_reset(cur)
        events_before, emails_before = ComplaintEvent.objects.count(), OutboundEmail.objects.count()
        began = time.perf_counter()
        report = sweep()
        elapsed = time.perf_counter() - began
        timings.append(elapsed)
        details.append(
            {
                "seconds": round(elapsed, 2),
                "applied": len(report.applied),
                "reminded": len(report.reminded),
                "errors": report.errors,
                "events": ComplaintEvent.objects.count() - events_before,
                "emails": OutboundEmail.objects.count() - emails_before,
                "summary": report.summary(),
            }
        )
    last = details[-1]
    figures = [
        Figure(
            f"deadline sweep, {seed.DUE_COUNT:,} due of {seed.N_COMPLAINTS:,}, in-process",
            runs,
            ms(statistics.median(timings)),
            ms(max(timings)),
            ms(max(timings)),
            f"median <= {SWEEP_SECONDS} s",
            statistics.median(timings) <= SWEEP_SECONDS and last["errors"] == 0,
            note=f"{last['applied']} applied, {last['events']} events, {last['emails']} e-mails stored",
            extra={"runs": details},
        )
    ]
    figures.append(sweep_without_hashing(cur, runs, statistics.median(timings)))
    for n in worker_counts:
        with SweepWorkers(n) as workers:
            figures.append(sweep_on_workers(cur, workers, runs))
    clear_bench_queues()
    # Nothing due: what the every-minute beat run costs on a quiet day (it queues nothing).
    shift_near_dates(cur, ids="SELECT 0")
    idle, idle_work = [], []
    for _ in range(idle_runs):
        began = time.perf_counter()
        queued = sweep_queue()
        idle.append(time.perf_counter() - began)
        if queued.total():
            idle_work.append(dict(queued))
    p50, p95, p99 = (percentile(idle, q) for q in (0.5, 0.95, 0.99))
    figures.append(
        Figure(
            "deadline sweep, none due",
            idle_runs,
            ms(p50),
            ms(p95),
            ms(p99),
            "<= 50 ms",
            p95 <= 0.05,
            note="nothing due, nothing queued" if not idle_work else f"queued pages: {idle_work}",
        )
    )
    sweep_reset(cur)
    return figures


def sweep_without_hashing(cur, runs: int, hashed_median: float) -> Figure:
    """The same in-process sweep with the timeline's hash chain left out: what hashing costs.

    Only the bench does this: it swaps the writer's link function for one that computes no hash,
    so the difference between the two medians is the hashing (content, JSON, SHA-256) alone.
    """
    from complaints.services import moves
    from complaints.sweep import sweep

    linked = moves.chain

    def unhashed(complaint, event) -> None:
        event.hash = complaint.timeline_head = ""

    timings = []
    moves.chain = unhashed
    try:
        for _ in range(runs):
            sweep_reset(cur)
            began = time.perf_counter()
            sweep()
            timings.append(time.perf_counter() - began)
    finally:
        moves.chain = linked
    plain = statistics.median(timings)
    cost = (hashed_median - plain) / plain if plain else 0.0
    return Figure(
        f"deadline sweep, {seed.DUE_COUNT:,} due, without hashing",
        runs,
        ms(plain),
        ms(max(timings)),
        ms(max(timings)),
        "hashing < 10% slower",
        cost < 0.10,
        note=f"hashing costs {cost:+.1%} of the sweep ({ms(hashed_median)} ms with, {ms(plain)} ms without)",
    )


# Machine ---------------------------------------------------------------------------------------


def machine_speed(cur) -> dict:
    """How fast this machine runs right now: the same figures taken before and after the scenarios.

    The host's speed moves, by up to two times within an hour here (bench/README.md, "Tenth
    round"), so every run says how fast it ran: the best of three plain Python loops of
    10,000,000 steps, and the median round trip of `SELECT 1` to PostgreSQL (200 of them).
    """
    loops = []
    for _ in range(3):
        began = time.perf_counter()
        for _ in range(10_000_000):
            pass
        loops.append(time.perf_counter() - began)
    trips = time_sql(cur, "SELECT 1", (), 200)
    return {"python_loop_ms": ms(min(loops)), "select_1_ms": round(statistics.median(trips) * 1000, 3)}


def machine(cur) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    cur.execute("SHOW server_version")
    pg = cur.fetchone()[0]
    cur.execute("SHOW shared_buffers")
    shared_buffers = cur.fetchone()[0]
    cur.execute("SHOW autovacuum")
    autovacuum = cur.fetchone()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "postgresql": pg,
        "postgresql_shared_buffers": shared_buffers,
        "postgresql_autovacuum": autovacuum,
        "django": django.get_version(),
        "kernel": platform.release(),
        "git_commit": commit.stdout.strip(),
    }


def print_table(figures: list[Figure]) -> None:
    header = ("scenario", "n", "p50 ms", "p95 ms", "p99 ms", "target", "pass", "floor p50", "ratio")
    rows = [
        (
            f.scenario,
            str(f.n),
            *("-" if v is None else f"{v:.1f}" for v in (f.p50_ms, f.p95_ms, f.p99_ms)),
            f.target,
            {True: "pass", False: "FAIL", None: "n/a"}[f.passed],
            "-" if f.floor_p50_ms is None else f"{f.floor_p50_ms:.2f}",
            "-" if f.ratio is None else f"{f.ratio:.1f}x",
        )
        for f in figures
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    for f in figures:
        if f.note:
            print(f"  {f.scenario}: {f.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Redress benchmarks.")
    parser.add_argument(
        "--only", default="profile,dashboard,case,workbench,search,filing,sweep", help="comma-separated scenarios"
    )
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: config/gunicorn.py)")
    parser.add_argument("--filing-clients", type=int, default=16)
    parser.add_argument("--filing-seconds", type=int, default=20)
    parser.add_argument(
        "--sweep-runs", type=int, default=1, help="timed runs with 10,000 due, of each way to run it (~10 s each here)"
    )
    parser.add_argument(
        "--sweep-workers", default="1,2", help="worker process counts to time the queued sweep with (comma-separated)"
    )
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = parser.parse_args()
    if not 8100 <= args.port <= 8199:
        raise SystemExit("Use a port in 8100-8199.")
    RESULTS.mkdir(exist_ok=True)
    only = set(args.only.split(","))
    db = pg_connect()
    cur = db.cursor()
    cur.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
    if not cur.fetchone()[0]:
        raise SystemExit("The bench database has no dataset: run bench/seed.py first.")
    cur.execute("SELECT * FROM bench_meta")
    meta = dict(zip([c.name for c in cur.description], cur.fetchone(), strict=True))
    # The ids of the named businesses and users follow the size the seed was given.
    seed.configure(meta.get("complaints") or seed.DEFAULT_COMPLAINTS)
    info = machine(cur)
    info["speed_before"] = machine_speed(cur)
    cur.execute("SELECT pg_database_size(current_database())")
    info["dataset_complaints"] = seed.N_COMPLAINTS
    info["database_size_mb"] = round(cur.fetchone()[0] / 1024 / 1024)
    workers = args.workers or runpy.run_path(str(ROOT / "config" / "gunicorn.py"))["workers"]
    info["gunicorn"] = f"{workers} sync workers (config/gunicorn.py)"
    figures: list[Figure] = []
    started = time.monotonic()

    def add(new: list[Figure]) -> None:
        # Each figure as it is measured (stderr), so a later failure loses nothing already timed.
        for f in new:
            print(f"  {f.scenario}: p50 {f.p50_ms} / p95 {f.p95_ms} / p99 {f.p99_ms} ms ({f.note})", file=sys.stderr)
        sys.stderr.flush()
        figures.extend(new)

    with Server(args.port, args.workers) as server:
        if "profile" in only:
            add(profile_scenarios(args.port, args.requests, cur))
        if "dashboard" in only:
            add(dashboard_scenarios(args.port, args.requests, cur))
        if "case" in only:
            add(case_scenarios(args.port, args.requests, cur))
        if "workbench" in only:
            add(workbench_scenarios(args.port, args.requests, cur))
        if "search" in only:
            add(search_scenarios(args.port, args.requests, cur))
        if "filing" in only:
            add([filing_scenario(args.port, args.filing_clients, args.filing_seconds)])
            add([filing_scenario(args.port, args.filing_clients, args.filing_seconds, refused=True)])
        # After the load: the peak each worker reached while serving it.
        info["gunicorn_worker_peak_rss_mb"] = server.worker_peak_rss_mb()
    if "sweep" in only:
        counts = tuple(int(n) for n in args.sweep_workers.split(",") if n)
        add(sweep_scenario(cur, args.sweep_runs, idle_runs=50, worker_counts=counts))
    info["load_average_after"] = os.getloadavg()
    info["speed_after"] = machine_speed(cur)
    info["duration_seconds"] = round(time.monotonic() - started)
    print(
        f"\nRedress benchmarks, {info['date']}: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB, "
        f"Python {info['python']}, PostgreSQL {info['postgresql']} (autovacuum {info['postgresql_autovacuum']}), "
        f"gunicorn {info['gunicorn']}"
    )
    before, after = info["speed_before"], info["speed_after"]
    print(
        f"Machine speed before / after: a Python loop of 10,000,000 steps {before['python_loop_ms']:,.0f} / "
        f"{after['python_loop_ms']:,.0f} ms, SELECT 1 {before['select_1_ms']} / {after['select_1_ms']} ms\n"
    )
    print_table(figures)
    peaks = info.get("gunicorn_worker_peak_rss_mb") or {}
    if peaks:
        print("\ngunicorn workers' peak RSS (VmHWM): " + ", ".join(f"{mb:.1f} MB" for mb in peaks.values()))
    Path(args.output).write_text(
        json.dumps({"machine": info, "figures": [asdict(f) for f in figures]}, indent=2, default=str) + "\n"
    )
    print(f"\nWritten to {args.output}")
    db.close()
    connection.close()


if __name__ == "__main__":
    main()
