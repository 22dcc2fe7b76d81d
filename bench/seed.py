"""Build the benchmark dataset in PostgreSQL with set-based SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/redress_bench .venv/bin/python bench/seed.py

What it builds (ids are fixed so the benchmark can find things without searching):

- 10,000 businesses. Business 1 (`bench-published`) has 100,000 published complaints (public
  closed states, consented, masked text, threads of responses and answers) plus 3,000 that are
  open or privately closed. Business 2 (`bench-dashboard`) has 10,000 open, forwarded
  complaints and 5,000 closed ones; its representative signs in as `dashboard@bench.example`.
- 882,000 other complaints spread over the other 9,998 businesses with a skewed distribution
  (a few businesses get thousands, most get a handful), 2% against unlisted businesses, in a
  realistic mix of states, each with the thread its state implies.
- 10,000 of those are open with a due date in the past: the deadline sweep's work. Their
  original values are kept in `bench_due_snapshot` so `bench/run.py` can put them back before
  each timed sweep.
- The timeline: a `file` event for every complaint, a `forward` event for forwarded ones and
  the closing event for closed ones.

The script truncates the application's tables first (it refuses to run on a database whose
name does not contain "bench"), drops secondary indexes and foreign-key triggers while it
loads, and rebuilds them. Derived data the application keeps (the `BusinessStatsDay` rows of
the profile figures, masked copies, search vectors) is written in SQL too, then checked against
the application's own functions (`complaints.publication`) for four businesses; a difference
stops the seed. It ends with VACUUM ANALYZE. Everything but the VACUUM runs in one transaction,
so a failed seed leaves the database as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Business, Membership, User  # noqa: E402
from complaints.issues import ISSUES  # noqa: E402
from complaints.models import Assignment, BusinessStatsDay, BusinessStatsSummary, Complaint, ComplaintEvent  # noqa: E402
from disputes.models import BusinessResponse, CustomerAnswer  # noqa: E402

BENCH_PASSWORD = "bench-password-2024"
DASHBOARD_EMAIL = "dashboard@bench.example"
LARGE_EMAIL = "large@bench.example"
STAFF_EMAIL = "staff@bench.example"
FILER_COUNT = 32

DEFAULT_COMPLAINTS = 1_000_000
PUBLISHED_BUSINESS = 1
DASHBOARD_BUSINESS = 2
LARGE_BUSINESS = 3  # 100,000 open: the dashboard must cost the same as for business 2
DUE_STEP = 78  # every 78th complaint elsewhere is due: 10,000 in 1,000,000

# The sizes below are those of 1,000,000 complaints; `configure()` scales them to another size.
N_COMPLAINTS = DEFAULT_COMPLAINTS
N_COMPLAINANTS = 200_000
N_BUSINESSES = 10_000
REP_BASE = N_COMPLAINANTS  # the representative of business b is user REP_BASE + b
STAFF_ID = REP_BASE + N_BUSINESSES + 1
FILER_BASE = STAFF_ID  # filers are FILER_BASE + 1 .. FILER_BASE + FILER_COUNT
# Complaint id ranges.
B1_PUBLISHED = (1, 100_000)
B1_OTHER = (100_001, 103_000)
B2_OPEN = (103_001, 113_000)
B2_CLOSED = (113_001, 118_000)
B3_OPEN = (118_001, 218_000)
ELSEWHERE = (218_001, 1_000_000)
DUE_COUNT = 10_000


def configure(complaints: int) -> None:
    """Scale the dataset to `complaints` complaints (bench/README.md, "Sizes").

    Complainants, businesses and the complaints due grow in proportion to the size. The three
    named businesses keep their 1,000,000-complaint sizes at that size and above (so a page of
    theirs can be compared across sizes) and shrink in proportion below it.
    """
    global N_COMPLAINTS, N_COMPLAINANTS, N_BUSINESSES, REP_BASE, STAFF_ID, FILER_BASE
    global B1_PUBLISHED, B1_OTHER, B2_OPEN, B2_CLOSED, B3_OPEN, ELSEWHERE, DUE_COUNT
    if complaints < 10_000:
        raise SystemExit("The dataset needs at least 10,000 complaints.")
    scale = complaints / DEFAULT_COMPLAINTS
    named = min(1.0, scale)
    N_COMPLAINTS = complaints
    N_COMPLAINANTS = max(1_000, round(200_000 * scale))
    N_BUSINESSES = max(100, round(10_000 * scale))
    REP_BASE = N_COMPLAINANTS
    STAFF_ID = REP_BASE + N_BUSINESSES + 1
    FILER_BASE = STAFF_ID
    bounds, start = [], 1
    for size in (100_000, 3_000, 10_000, 5_000, 100_000):
        count = round(size * named)
        bounds.append((start, start + count - 1))
        start += count
    B1_PUBLISHED, B1_OTHER, B2_OPEN, B2_CLOSED, B3_OPEN = bounds
    ELSEWHERE = (start, complaints)
    DUE_COUNT = min(round(10_000 * scale), (ELSEWHERE[1] - ELSEWHERE[0] + 1) // DUE_STEP)


TABLES = [
    Complaint,
    ComplaintEvent,
    BusinessResponse,
    CustomerAnswer,
    User,
    Business,
    Membership,
    BusinessStatsDay,
    BusinessStatsSummary,
]

SENTENCES = [
    ("I ordered a replacement part on the website and paid with my card ending 4421.",) * 2,
    (
        "My name is Jordan Avery and I have been a customer for six years.",
        "My name is ****** ***** and I have been a customer for six years.",
    ),
    ("The item arrived damaged and the box was clearly crushed in transit.",) * 2,
    ("I called customer service four times and each time was promised a call back that never came.",) * 2,
    (
        "You can reach me at jordan.avery@mail.example or 555-201-7788 in the evenings.",
        "You can reach me at ********************** or ************ in the evenings.",
    ),
    ("They charged me twice for the same order and refused to reverse the second charge.",) * 2,
    (
        "The technician came to 41 Harbor Street, looked at the unit for ten minutes and left.",
        "The technician came to ****************, looked at the unit for ten minutes and left.",
    ),
    ("The warranty says parts and labour are covered for two years, yet I was billed for both.",) * 2,
    ("My account was suspended without notice and the balance of my funds is still held.",) * 2,
    (
        "Order reference 7781200934 shows as delivered but nothing was left at my door.",
        "Order reference ******0934 shows as delivered but nothing was left at my door.",
    ),
    ("The salesperson promised free installation, which turned out to cost extra.",) * 2,
    ("I would like a full refund or a working replacement within two weeks.",) * 2,
]
RESPONSES = [
    (
        "Thank you for contacting us. Our records show the order was refunded on the 12th; "
        "Dana Whitfield from our billing team will confirm by e-mail.",
        "Thank you for contacting us. Our records show the order was refunded on the 12th; "
        "**** ********* from our billing team will confirm by e-mail.",
    ),
    ("We are sorry for the trouble. A replacement has been shipped with tracking and should arrive within a week.",)
    * 2,
    ("We reviewed the account and reinstated it; the held balance has been released to the card on file.",) * 2,
    (
        "Our technician will return at no charge. Please call 555-310-2200 to choose a time.",
        "Our technician will return at no charge. Please call ************ to choose a time.",
    ),
]
ANSWERS = {
    "accept": "The refund arrived and I am satisfied with how this was handled.",
    "reject": "This does not resolve my complaint: I still have not received the refund I was promised.",
    "none": "Adding the courier's reference and a photo description of the damaged item for the record.",
}
TYPES = [
    "advertising_sales",
    "billing_collection",
    "customer_service",
    "delivery",
    "guarantee_warranty",
    "order",
    "product",
    "service_repair",
    "account_suspension",
]
OUTCOMES = ["refund", "replacement", "repair", "exchange", "cancel", "reinstatement", "release_funds", "explanation"]
CATEGORIES = ["Retail", "Auto Repair", "Telecom", "Home Services", "Airlines", "Banking", "Software", "Furniture"]
CITIES = [("Springfield", "IL"), ("Portland", "OR"), ("Austin", "TX"), ("Columbus", "OH"), ("Raleigh", "NC")]


def sql_array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


# Outcomes a business gives with a response (complaints.issues.ResponseOutcome), monetary relief first.
OUTCOME_CODES = ["monetary_relief", "non_monetary_relief", "explanation", "in_progress"]
STATES = ["CA", "TX", "NY", "FL", "IL", "OR", "OH", "NC", "WA", "GA"]
ISSUE_SQL = (
    "CASE p.type "
    + " ".join(
        f"WHEN '{type_}' THEN ({sql_array([value for value, _ in issues])})[1 + p.id % {len(issues)}]"
        for type_, issues in ISSUES.items()
    )
    + " ELSE '' END"
)


class Loader:
    def __init__(self, cursor, now):
        self.cursor = cursor
        self.now = now
        self.params: dict[str, object] = {}

    def literal(self, value: object) -> str:
        return self.cursor.cursor.mogrify("%s", [value]).decode()

    def run(self, label: str, sql: str, params: dict | None = None) -> None:
        """Run one statement; `%(name)s` placeholders become quoted literals, so `%` stays an operator."""
        t0 = time.monotonic()
        for key, value in {"now": self.now, **self.params, **(params or {})}.items():
            sql = sql.replace(f"%({key})s", self.literal(value))
        self.cursor.execute(sql)
        rows = self.cursor.rowcount
        print(f"  {label:<46} {rows:>10,} rows {time.monotonic() - t0:7.1f} s", flush=True)

    def insert(
        self, model: type[models.Model], exprs: dict[str, str], source: str, label: str, params: dict | None = None
    ) -> None:
        """INSERT INTO <model's table> SELECT ... FROM <source>, filling columns the seed does not know.

        Other code may add columns; a NOT NULL column without a database default gets the model
        field's default, so the seed keeps working after a migration adds one.
        """
        table = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        description = connection.introspection.get_table_description(self.cursor, table)
        columns, values, params = [], [], dict(params or {})
        for col in description:
            name = col.name
            if name in exprs:
                columns.append(name)
                values.append(exprs[name])
                continue
            field = fields.get(name)
            if field is None or field.primary_key or getattr(field, "generated", False) or col.null_ok:
                continue
            if getattr(col, "default", None):
                continue
            default = field.get_default()
            key = f"default_{name}"
            columns.append(name)
            values.append(f"%({key})s")
            params[key] = field.get_db_prep_save(default, connection)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"
        self.run(label, sql, params)


def secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        """,
        [tables],
    )
    return cursor.fetchall()


def seed(now) -> None:
    db_name = connection.settings_dict["NAME"]
    if "bench" not in db_name:
        raise SystemExit(f"Refusing to seed database {db_name!r}: its name must contain 'bench'.")
    # One transaction: a failed seed leaves the database (and its indexes) as it was.
    with transaction.atomic(), connection.cursor() as cursor:
        load = Loader(cursor, now)
        load.params = {"pw": make_password(BENCH_PASSWORD), "staff": STAFF_EMAIL, "types": TYPES}
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute("SELECT setseed(0.42)")
        tables = [m._meta.db_table for m in TABLES]
        print("Truncating application tables", flush=True)
        cursor.execute(
            "TRUNCATE accounts_user, accounts_business, complaints_complaint, django_session RESTART IDENTITY CASCADE"
        )
        cursor.execute(
            "DROP TABLE IF EXISTS bench_due_snapshot, bench_stats_snapshot, bench_plan, bench_meta, "
            "bench_thread, bench_vector"
        )
        indexes = secondary_indexes(cursor, tables)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # No foreign-key triggers while loading: the rows are consistent by construction.
        cursor.execute("SET LOCAL session_replication_role = replica")

        # Users: complainants, one representative per business, staff, filers.
        load.insert(
            User,
            {
                "id": "g",
                "email": "'consumer' || g || '@consumers.example'",
                "name": "'Consumer ' || g",
                "password": "'!'",
                "is_active": "true",
                "is_staff": "false",
                "is_superuser": "false",
                "email_verified_at": "%(now)s - interval '400 days'",
                "date_joined": "%(now)s - interval '400 days'",
            },
            f"generate_series(1, {N_COMPLAINANTS}) g",
            "complainants",
        )
        load.insert(
            User,
            {
                "id": f"{REP_BASE} + g",
                "email": f"CASE WHEN g = {DASHBOARD_BUSINESS} THEN '{DASHBOARD_EMAIL}' "
                f"WHEN g = {LARGE_BUSINESS} THEN '{LARGE_EMAIL}' "
                "ELSE 'rep' || g || '@business.example' END",
                "name": "'Representative ' || g",
                "password": f"CASE WHEN g IN ({PUBLISHED_BUSINESS}, {DASHBOARD_BUSINESS}, {LARGE_BUSINESS}) "
                "THEN %(pw)s ELSE '!' END",
                "is_active": "true",
                "is_staff": "false",
                "is_superuser": "false",
                "email_verified_at": "%(now)s - interval '400 days'",
                "date_joined": "%(now)s - interval '400 days'",
            },
            f"generate_series(1, {N_BUSINESSES}) g",
            "representatives",
        )
        load.insert(
            User,
            {
                "id": f"{STAFF_ID} + g",
                "email": "CASE WHEN g = 0 THEN %(staff)s ELSE 'filer' || g || '@bench.example' END",
                "name": "CASE WHEN g = 0 THEN 'Bench Staff' ELSE 'Filer ' || g END",
                "password": "%(pw)s",
                "is_active": "true",
                "is_staff": "g = 0",
                "is_superuser": "g = 0",
                "email_verified_at": "%(now)s - interval '400 days'",
                "date_joined": "%(now)s - interval '400 days'",
            },
            f"generate_series(0, {FILER_COUNT}) g",
            "staff and filers",
        )

        load.insert(
            Business,
            {
                "id": "g",
                "name": f"CASE g WHEN {PUBLISHED_BUSINESS} THEN 'Northwind Outfitters' "
                f"WHEN {DASHBOARD_BUSINESS} THEN 'Contoso Home Services' "
                f"WHEN {LARGE_BUSINESS} THEN 'Fabrikam Marketplace' ELSE 'Business ' || g END",
                "slug": f"CASE g WHEN {PUBLISHED_BUSINESS} THEN 'bench-published' "
                f"WHEN {DASHBOARD_BUSINESS} THEN 'bench-dashboard' "
                f"WHEN {LARGE_BUSINESS} THEN 'bench-large' ELSE 'business-' || g END",
                "category": f"({sql_array(CATEGORIES)})[1 + g % {len(CATEGORIES)}]",
                "website": "'https://business' || g || '.example'",
                "notice_email": "'notices@business' || g || '.example'",
                "phone": "'555-' || lpad((g % 1000)::text, 3, '0') || '-0100'",
                "address": "(g % 900 + 1) || ' Commerce Way'",
                "city": f"({sql_array([c for c, _ in CITIES])})[1 + g % {len(CITIES)}]",
                "region": f"({sql_array([r for _, r in CITIES])})[1 + g % {len(CITIES)}]",
                "postal_code": "lpad((10000 + g)::text, 5, '0')",
                "country": "'US'",
                "accredited": "g % 3 = 0",
                "is_listed": "true",
                "alert": f"CASE WHEN g = {PUBLISHED_BUSINESS} THEN 'A pattern of complaints about delivery "
                "delays was reviewed in March.' ELSE '' END",
                "alert_set_at": f"CASE WHEN g = {PUBLISHED_BUSINESS} THEN %(now)s - interval '60 days' END",
                "created_at": "%(now)s - interval '5 years'",
            },
            f"generate_series(1, {N_BUSINESSES}) g",
            "businesses",
        )
        load.insert(
            Membership,
            {
                "user_id": f"{REP_BASE} + g",
                "business_id": "g",
                "role": "'owner'",
                "created_at": "%(now)s - interval '400 days'",
            },
            f"generate_series(1, {N_BUSINESSES}) g",
            "memberships",
        )

        plan(load)
        threads(load)
        complaints(load)
        events(load)
        stats_days(load)
        assignments(load)
        stats_summaries(load)

        cursor.execute("SET LOCAL session_replication_role = origin")
        print("Rebuilding indexes", flush=True)
        t0 = time.monotonic()
        for _, definition in indexes:
            cursor.execute(definition)
        print(f"  {len(indexes)} indexes {time.monotonic() - t0:.1f} s", flush=True)
        for model in TABLES:
            if not isinstance(model._meta.pk, models.AutoField):
                continue  # the summary's key is its business's
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        snapshot(load)
        cursor.execute("DROP TABLE bench_plan, bench_thread, bench_vector")


def plan(load: Loader) -> None:
    """One row per complaint with every decision (business, state, dates, rounds) made once."""
    load.run(
        "plan table",
        """
        CREATE UNLOGGED TABLE bench_plan (
            id bigint PRIMARY KEY, business_id bigint, complainant_id bigint, status text, type text,
            filed_at timestamptz, forwarded_at timestamptz, closed_at timestamptz, response_count int,
            consent boolean, due_at timestamptz, due_kind text, second_notice boolean, late boolean,
            rejects int, extra_info boolean, is_due boolean,
            remind_at timestamptz, reminded_at timestamptz
        )
        """,
    )
    # Segment 1: the published business. Closed within the last 35 months, all consented.
    load.run(
        "plan: published business",
        f"""
        INSERT INTO bench_plan
        SELECT g, {PUBLISHED_BUSINESS}, 1 + (g * 7919) % {N_COMPLAINANTS},
               s.status, (%(types)s::text[])[1 + (g * 31) % 9],
               s.closed - interval '1 day' * (12 + g % 40), NULL, s.closed, 0, true,
               NULL, '', false, false, 0, g % 10 = 0, false, NULL, NULL
        FROM (
            SELECT g,
                   CASE WHEN r < 0.35 THEN 'resolved' WHEN r < 0.70 THEN 'answered'
                        WHEN r < 0.90 THEN 'unanswered' WHEN r < 0.97 THEN 'unresolved'
                        ELSE 'unpursuable' END AS status,
                   %(now)s - interval '1 minute' * floor(random() * 35 * 30 * 24 * 60) AS closed
            FROM (SELECT g, random() AS r FROM generate_series({B1_PUBLISHED[0]}::bigint, {B1_PUBLISHED[1]}) g) x
        ) s
        """,
    )
    # Segments 2-4: open and privately closed for business 1, the dashboard business, elsewhere.
    load.run(
        "plan: other complaints",
        f"""
        INSERT INTO bench_plan
        SELECT g, b, 1 + (g * 7919) % {N_COMPLAINANTS}, status, (%(types)s::text[])[1 + (g * 31) % 9],
               filed, NULL, NULL, 0, r2 < 0.8, NULL, '', false, false, 0, r2 < 0.1, is_due, NULL, NULL
        FROM (
            SELECT g, r2, is_due,
                   CASE WHEN g BETWEEN {B1_OTHER[0]} AND {B1_OTHER[1]} THEN {PUBLISHED_BUSINESS}
                        WHEN g BETWEEN {B2_OPEN[0]} AND {B2_CLOSED[1]} THEN {DASHBOARD_BUSINESS}
                        WHEN g BETWEEN {B3_OPEN[0]} AND {B3_OPEN[1]} THEN {LARGE_BUSINESS}
                        WHEN r4 < 0.02 THEN NULL
                        ELSE 4 + floor(r3 * r3 * {N_BUSINESSES - 3})::int END AS b,
                   CASE
                     WHEN is_due THEN (ARRAY['submitted','submitted','awaiting_business','awaiting_business',
                          'awaiting_business','awaiting_business','awaiting_business','awaiting_business',
                          'awaiting_business','awaiting_business','awaiting_consumer','awaiting_consumer',
                          'awaiting_consumer','awaiting_consumer','awaiting_consumer','staff_review',
                          'awaiting_business','submitted','awaiting_consumer','staff_review'])
                          [1 + ((g - {ELSEWHERE[0]}) / {DUE_STEP}) % 20]
                     WHEN g BETWEEN {B1_OTHER[0]} AND {B1_OTHER[1]} THEN
                          CASE WHEN r < 0.6 THEN 'awaiting_business' WHEN r < 0.67 THEN 'awaiting_consumer'
                               WHEN r < 0.8 THEN 'withdrawn' ELSE 'rejected' END
                     WHEN g BETWEEN {B2_OPEN[0]} AND {B2_OPEN[1]} OR g BETWEEN {B3_OPEN[0]} AND {B3_OPEN[1]} THEN
                          CASE WHEN r < 0.6 THEN 'awaiting_business' WHEN r < 0.85 THEN 'awaiting_consumer'
                               WHEN r < 0.95 THEN 'staff_review' ELSE 'in_mediation' END
                     WHEN g BETWEEN {B2_CLOSED[0]} AND {B2_CLOSED[1]} THEN
                          CASE WHEN r < 0.4 THEN 'resolved' WHEN r < 0.8 THEN 'answered' ELSE 'unanswered' END
                     ELSE CASE WHEN r < 0.25 THEN 'resolved' WHEN r < 0.45 THEN 'answered'
                               WHEN r < 0.60 THEN 'unanswered' WHEN r < 0.65 THEN 'unresolved'
                               WHEN r < 0.67 THEN 'unpursuable' WHEN r < 0.75 THEN 'rejected'
                               WHEN r < 0.80 THEN 'withdrawn' WHEN r < 0.83 THEN 'submitted'
                               WHEN r < 0.92 THEN 'awaiting_business' WHEN r < 0.97 THEN 'awaiting_consumer'
                               WHEN r < 0.99 THEN 'staff_review' ELSE 'in_mediation' END
                   END AS status,
                   %(now)s - interval '1 minute' * floor(random() * 48 * 30 * 24 * 60) AS filed
            FROM (
                SELECT g, random() AS r, random() AS r2, random() AS r3, random() AS r4,
                       g >= {ELSEWHERE[0]} AND (g - {ELSEWHERE[0]}) % {DUE_STEP} = 0
                       AND g < {ELSEWHERE[0]} + {DUE_STEP * DUE_COUNT} AS is_due
                FROM generate_series({B1_OTHER[0]}::bigint, {ELSEWHERE[1]}) g
            ) x
        ) y
        """,
    )
    # Open complaints are recent; closed ones keep their filing date and close 10-60 days later.
    load.run(
        "plan: dates of open complaints",
        """
        UPDATE bench_plan SET filed_at = %(now)s - interval '1 minute' * (60 * 24 * 3 + (id * 37) % (60 * 24 * 45))
        WHERE status IN ('submitted', 'awaiting_business', 'awaiting_consumer', 'staff_review', 'in_mediation')
        """,
    )
    load.run(
        "plan: closing dates",
        """
        UPDATE bench_plan
        SET closed_at = least(filed_at + interval '1 day' * (10 + id % 50), %(now)s - interval '1 hour')
        WHERE closed_at IS NULL
          AND status NOT IN ('submitted', 'awaiting_business', 'awaiting_consumer', 'staff_review', 'in_mediation')
        """,
    )
    # Rounds of business responses and rejected answers each state implies.
    load.run(
        "plan: rounds",
        """
        UPDATE bench_plan SET
          forwarded_at = CASE WHEN status IN ('submitted', 'rejected') OR business_id IS NULL
                              OR (status = 'unpursuable') THEN NULL ELSE filed_at + interval '2 days' END,
          response_count = CASE
              WHEN status IN ('resolved', 'answered') THEN 1 + (id % 5 = 0)::int
              WHEN status IN ('unresolved', 'staff_review', 'in_mediation') THEN 2
              WHEN status = 'awaiting_consumer' THEN 1 + (id % 4 = 0)::int
              WHEN status = 'awaiting_business' THEN (id % 6 = 0)::int
              WHEN status = 'withdrawn' THEN (id % 3 = 0)::int
              ELSE 0 END
        """,
    )
    load.run(
        "plan: rejections, deadlines",
        """
        UPDATE bench_plan SET
          rejects = CASE WHEN status IN ('unresolved', 'staff_review', 'in_mediation') THEN 2
                         WHEN status = 'awaiting_business' THEN response_count
                         ELSE greatest(response_count - 1, 0) END,
          second_notice = status = 'unanswered' OR (status = 'awaiting_business' AND response_count = 0 AND id % 4 = 0),
          late = status = 'awaiting_consumer' AND id % 50 = 0,
          due_kind = CASE status
              WHEN 'submitted' THEN 'screening'
              WHEN 'awaiting_business' THEN CASE WHEN response_count > 0 THEN 'business_rebuttal'
                                                 WHEN id % 4 = 0 THEN 'business_final' ELSE 'business_first' END
              WHEN 'awaiting_consumer' THEN 'consumer_answer'
              WHEN 'staff_review' THEN 'staff_ruling'
              WHEN 'in_mediation' THEN 'mediation'
              ELSE '' END
        """,
    )
    load.run(
        "plan: due dates",
        """
        UPDATE bench_plan SET due_at = CASE
            WHEN is_due THEN %(now)s - interval '1 minute' * (10 + id % 5000)
            ELSE %(now)s + interval '1 minute' * (60 * 24 + (id * 13) % (60 * 24 * 13)) END
        WHERE due_kind <> ''
        """,
    )
    # When the party whose move it is is reminded (complaints.deadlines.remind_at_for): still to
    # come, or already sent for due dates whose reminder time has passed.
    load.run(
        "plan: reminders",
        """
        UPDATE bench_plan SET remind_at = CASE WHEN at > %(now)s THEN at END,
                              reminded_at = CASE WHEN at <= %(now)s THEN at END
        FROM (
            SELECT id AS plan_id, CASE due_kind
                WHEN 'business_first' THEN due_at - %(business_reminder)s
                WHEN 'business_final' THEN due_at - %(business_reminder)s
                WHEN 'business_rebuttal' THEN due_at - %(business_reminder)s
                WHEN 'consumer_answer' THEN due_at - %(consumer_answer)s + %(consumer_reminder)s
                WHEN 'staff_ruling' THEN due_at - %(staff_reminder)s
                WHEN 'mediation' THEN due_at END AS at
            FROM bench_plan WHERE due_kind <> ''
        ) r
        WHERE id = r.plan_id
        """,
        {
            "business_reminder": timedelta(days=settings.REDRESS_BUSINESS_REMINDER_DAYS_BEFORE),
            "consumer_answer": timedelta(days=settings.REDRESS_CONSUMER_ANSWER_DAYS),
            "consumer_reminder": timedelta(days=settings.REDRESS_CONSUMER_REMINDER_DAY),
            "staff_reminder": timedelta(days=getattr(settings, "REDRESS_STAFF_REMINDER_DAYS_BEFORE", 2)),
        },
    )


def complaints(load: Loader) -> None:
    parts = len(SENTENCES)
    plain = sql_array([s[0] for s in SENTENCES])
    masked = sql_array([s[1] for s in SENTENCES])

    def text(array: str, key: str = "p.id") -> str:
        # Four or five sentences chosen by the id modulo 12, about 300 to 450 characters.
        picks = [f"({array})[1 + ({key} * {k}) % {parts}]" for k in (1, 7, 11, 5)]
        return (
            " || ' ' || ".join(picks)
            + f" || CASE WHEN {key} % 2 = 0 THEN ' ' || ({array})[1 + ({key} + 3) % {parts}] ELSE '' END"
        )

    public = "p.status IN ('resolved', 'answered', 'unanswered', 'unresolved', 'unpursuable')"
    # complaints.publication.complaint_refresh_search indexes the consented masked text of the
    # complaint and its thread. The texts repeat (the description depends on the id modulo 12),
    # so each distinct document is parsed once.
    assert parts == 12
    load.run(
        "search vectors of distinct documents",
        f"""
        CREATE UNLOGGED TABLE bench_vector AS
        SELECT k, responses, answers, to_tsvector('english'::regconfig,
               concat_ws(E'\\n', {text(masked, "k")}, nullif(responses, ''), nullif(answers, ''))) AS vector
        FROM (SELECT DISTINCT p.id % 12 AS k, coalesce(t.responses, '') AS responses,
                     coalesce(t.answers, '') AS answers
              FROM bench_plan p LEFT JOIN bench_thread t ON t.id = p.id
              WHERE p.consent AND p.business_id IS NOT NULL AND {public}) d
        """,
    )
    load.insert(
        Complaint,
        {
            "id": "p.id",
            "number": "(10000000 + (p.id * 48271) % 89999999)::text",
            "complainant_id": "p.complainant_id",
            "business_id": "p.business_id",
            "business_name": "coalesce(b.name, 'Unlisted Shop ' || p.id % 5000)",
            "business_website": "CASE WHEN p.business_id IS NULL THEN 'unlisted' || p.id % 5000 || '.example' "
            "ELSE '' END",
            "business_address": "''",
            "business_email": "''",
            "business_phone": "''",
            "type": "p.type",
            "description": text(plain),
            "desired_outcome": f"({sql_array(OUTCOMES)})[1 + p.id % {len(OUTCOMES)}]",
            "desired_outcomes": f"jsonb_build_array(({sql_array(OUTCOMES)})[1 + p.id % {len(OUTCOMES)}])",
            "desired_outcome_detail": "'Refund of the amount charged'",
            "transaction_date": "(p.filed_at - interval '9 days')::date",
            "amount": "((p.id * 7) % 2000 + 19.99)::numeric(12, 2)",
            "currency": "'USD'",
            "reference": "'ORD-' || (p.id * 104729) % 10000000",
            "affirm_true": "true",
            "affirm_not_in_court": "true",
            "publish_consent": "p.consent",
            # complaints.issues: an issue of the complaint's type, the consumer's place, the outcome given.
            "issue": ISSUE_SQL,
            "country": "CASE WHEN p.id % 10 = 0 THEN 'GB' ELSE 'US' END",
            "region": f"CASE WHEN p.id % 10 = 0 THEN 'England' "
            f"ELSE ({sql_array(STATES)})[1 + p.id % {len(STATES)}] END",
            "contacted_business": "p.id % 3 <> 0",
            "business_ticket_reference": "CASE WHEN p.id % 3 <> 0 THEN 'TCK-' || (p.id * 7) % 1000000 ELSE '' END",
            "business_outcome": f"CASE WHEN p.response_count > 0 THEN ({sql_array(OUTCOME_CODES)})"
            f"[1 + p.id % {len(OUTCOME_CODES)}] ELSE '' END",
            "relief_amount": f"CASE WHEN p.response_count > 0 AND 1 + p.id % {len(OUTCOME_CODES)} = 1 "
            "THEN ((p.id * 3) % 500 + 10)::numeric(12, 2) END",
            "public_response": "''",
            "public_response_masked": "''",
            "public_response_at": "NULL::timestamptz",
            "status": "p.status",
            "status_changed_at": "coalesce(p.closed_at, p.forwarded_at + interval '1 day' * p.response_count * 3, "
            "p.filed_at)",
            "due_at": "p.due_at",
            "due_kind": "p.due_kind",
            "remind_at": "p.remind_at",
            "reminded_at": "p.reminded_at",
            "on_hold": "false",
            "second_notice_sent_at": "CASE WHEN p.second_notice THEN p.forwarded_at + interval '14 days' END",
            "response_count": "p.response_count",
            "late_response": "p.late",
            "first_response_at": "CASE WHEN p.response_count > 0 THEN p.forwarded_at + interval '3 days' END",
            "reject_reason": "CASE WHEN p.status = 'rejected' THEN 'insufficient' ELSE '' END",
            "filed_at": "p.filed_at",
            "forwarded_at": "p.forwarded_at",
            "closed_at": "p.closed_at",
            "updated_at": "coalesce(p.closed_at, p.filed_at)",
            "description_masked": f"CASE WHEN p.consent AND {public} THEN {text(masked)} ELSE '' END",
            "masked_at": f"CASE WHEN p.consent AND {public} THEN p.closed_at END",
            # complaints.publication.complaint_refresh_search: consented masked text of complaint and thread.
            "search_vector": f"""CASE WHEN {public} AND p.business_id IS NOT NULL
                THEN CASE WHEN p.consent THEN v.vector ELSE ''::tsvector END END""",
        },
        """bench_plan p LEFT JOIN accounts_business b ON b.id = p.business_id
        LEFT JOIN bench_thread t ON t.id = p.id
        LEFT JOIN bench_vector v ON v.k = p.id % 12 AND v.responses = coalesce(t.responses, '')
                                AND v.answers = coalesce(t.answers, '')""",
        "complaints",
    )


def threads(load: Loader) -> None:
    """Business responses (rounds) and the customer answers between and after them."""
    replies = sql_array([r[0] for r in RESPONSES])
    replies_masked = sql_array([r[1] for r in RESPONSES])
    # Response k comes 3 + 6(k-1) days after forwarding; a rejected answer 3 days after it.
    load.insert(
        BusinessResponse,
        {
            "complaint_id": "p.id",
            "author_id": f"CASE WHEN p.business_id IS NULL THEN {REP_BASE} + 3 ELSE {REP_BASE} + p.business_id END",
            "text": f"({replies})[1 + (p.id + k) % {len(RESPONSES)}]",
            "text_masked": f"({replies_masked})[1 + (p.id + k) % {len(RESPONSES)}]",
            "round": "k",
            "is_late": "p.late",
            "outcome": f"({sql_array(OUTCOME_CODES)})[1 + p.id % {len(OUTCOME_CODES)}]",
            "relief_amount": f"CASE WHEN 1 + p.id % {len(OUTCOME_CODES)} = 1 "
            "THEN ((p.id * 3) % 500 + 10)::numeric(12, 2) END",
            "created_at": "p.forwarded_at + interval '1 day' * (3 + 6 * (k - 1))",
        },
        "bench_plan p CROSS JOIN LATERAL generate_series(1, p.response_count) k WHERE p.forwarded_at IS NOT NULL",
        "business responses",
    )
    load.params.update({f"answer_{verdict}": text for verdict, text in ANSWERS.items()})
    common = {"complaint_id": "p.id", "author_id": "p.complainant_id", "text_masked": "text"}
    load.insert(
        CustomerAnswer,
        {
            **common,
            "text": "%(answer_reject)s",
            "text_masked": "%(answer_reject)s",
            "verdict": "'reject'",
            "created_at": "p.forwarded_at + interval '1 day' * (6 + 6 * (k - 1))",
        },
        "bench_plan p CROSS JOIN LATERAL generate_series(1, p.rejects) k WHERE p.forwarded_at IS NOT NULL",
        "customer answers: rejections",
    )
    load.insert(
        CustomerAnswer,
        {
            **common,
            "text": "%(answer_accept)s",
            "text_masked": "%(answer_accept)s",
            "verdict": "'accept'",
            "created_at": "p.closed_at - interval '1 hour'",
        },
        "bench_plan p WHERE p.status = 'resolved' AND p.forwarded_at IS NOT NULL",
        "customer answers: acceptances",
    )
    load.insert(
        CustomerAnswer,
        {
            **common,
            "text": "%(answer_none)s",
            "text_masked": "%(answer_none)s",
            "verdict": "'none'",
            "created_at": "p.filed_at + interval '1 day'",
        },
        "bench_plan p WHERE p.extra_info",
        "customer answers: more information",
    )
    # Each complaint's thread as one text, for its search vector (responses, then answers, by date).
    load.run(
        "thread texts for search",
        f"""
        CREATE UNLOGGED TABLE bench_thread AS
        SELECT coalesce(r.complaint_id, a.complaint_id) AS id, r.texts AS responses, a.texts AS answers
        FROM (SELECT complaint_id, string_agg(nullif(text_masked, ''), E'\\n' ORDER BY created_at, id) AS texts
              FROM {BusinessResponse._meta.db_table} GROUP BY complaint_id) r
        FULL JOIN (SELECT complaint_id, string_agg(nullif(text_masked, ''), E'\\n' ORDER BY created_at, id) AS texts
                   FROM {CustomerAnswer._meta.db_table} GROUP BY complaint_id) a ON a.complaint_id = r.complaint_id
        """,
    )
    load.run("thread texts index", "CREATE UNIQUE INDEX ON bench_thread (id)")


def stats_days(load: Loader) -> None:
    """Each business's figures by closing day, as complaints.publication.contribution counts them."""
    load.insert(
        BusinessStatsDay,
        {"business_id": "business_id", "day": "day", "counts": "jsonb_object_agg(key, n)"},
        f"""(
            SELECT c.business_id, (c.closed_at AT TIME ZONE 'UTC')::date AS day, k.key, sum(k.value) AS n
            FROM {Complaint._meta.db_table} c
            CROSS JOIN LATERAL (SELECT coalesce(c.forwarded_at, c.filed_at) AS told,
                                       c.first_response_at IS NOT NULL
                                       AND c.first_response_at <= c.closed_at AS responded) f
            CROSS JOIN LATERAL (VALUES
                ('n:' || c.status || ':' || c.type, 1::bigint),
                (CASE WHEN f.responded OR (c.status <> 'unpursuable'
                      AND f.told + %(response_days)s <= c.closed_at) THEN 'counted' END, 1),
                (CASE WHEN f.responded THEN 'responded' END, 1),
                (CASE WHEN f.responded AND c.first_response_at <= f.told + %(response_days)s THEN 'on_time' END, 1),
                (CASE WHEN f.responded THEN 'h:' || greatest(0,
                    floor(extract(epoch FROM c.first_response_at - f.told) / 3600))::bigint END, 1),
                -- The outcome, and the monetary relief in hundredths of the currency.
                (CASE WHEN c.business_outcome <> '' THEN 'o:' || c.business_outcome END, 1),
                (CASE WHEN c.business_outcome = 'monetary_relief' AND c.relief_amount > 0
                      THEN 'relief:' || c.currency END, (coalesce(c.relief_amount, 0) * 100)::bigint)
            ) k(key, value)
            WHERE c.status IN ('resolved', 'answered', 'unanswered', 'unresolved', 'unpursuable')
              AND c.business_id IS NOT NULL AND c.closed_at IS NOT NULL AND k.key IS NOT NULL
            GROUP BY 1, 2, 3
        ) per_key GROUP BY business_id, day""",
        "business stats days",
        {"response_days": timedelta(days=settings.REDRESS_BUSINESS_RESPONSE_DAYS)},
    )


def stats_summaries(load: Loader) -> None:
    """Each business's summary of its day rows (BusinessStatsSummary), as stats_summary_recount() counts it."""
    from complaints.figures import RECENT_MONTHS
    from complaints.publication import window_start_day

    days = BusinessStatsDay._meta.db_table
    since = window_start_day(settings.REDRESS_PUBLICATION_MONTHS, load.now)
    recent_since = window_start_day(RECENT_MONTHS, load.now)
    load.insert(
        BusinessStatsSummary,
        {
            "business_id": "b.id",
            "since": "%(since)s::date",
            "recent_since": "%(recent_since)s::date",
            "counts": "coalesce(c.counts, '{}'::jsonb)",
            "months": "coalesce(m.months, '{}'::jsonb)",
            "recent": "coalesce(r.recent, 0)",
        },
        f"""{Business._meta.db_table} b
        LEFT JOIN (
            SELECT business_id, jsonb_object_agg(key, total) AS counts FROM (
                SELECT d.business_id, e.key, sum(e.value::bigint) AS total
                FROM {days} d CROSS JOIN LATERAL jsonb_each_text(d.counts) e
                WHERE d.day >= %(since)s::date GROUP BY 1, 2
            ) x GROUP BY business_id
        ) c ON c.business_id = b.id
        LEFT JOIN (
            SELECT business_id, jsonb_object_agg(month, total) AS months FROM (
                SELECT d.business_id, to_char(d.day, 'YYYY-MM') AS month, sum(e.value::bigint) AS total
                FROM {days} d CROSS JOIN LATERAL jsonb_each_text(d.counts) e
                WHERE d.day >= %(since)s::date AND e.key LIKE 'n:%' GROUP BY 1, 2
            ) x GROUP BY business_id
        ) m ON m.business_id = b.id
        LEFT JOIN (
            SELECT d.business_id, sum(e.value::bigint) AS recent
            FROM {days} d CROSS JOIN LATERAL jsonb_each_text(d.counts) e
            WHERE d.day >= %(recent_since)s::date AND e.key LIKE 'n:%' GROUP BY 1
        ) r ON r.business_id = b.id""",
        "business stats summaries",
        {"since": since, "recent_since": recent_since},
    )


def events(load: Loader) -> None:
    """The timeline: filing, forwarding, and the closing move."""
    base = {"reason": "''", "data": "'{}'::jsonb"}
    load.insert(
        ComplaintEvent,
        {
            **base,
            "complaint_id": "p.id",
            "actor_id": "p.complainant_id",
            "actor_role": "'complainant'",
            "event": "'file'",
            "from_status": "''",
            "to_status": "'submitted'",
            "created_at": "p.filed_at",
        },
        "bench_plan p",
        "events: file",
    )
    load.insert(
        ComplaintEvent,
        {
            **base,
            "complaint_id": "p.id",
            "actor_id": "NULL",
            "actor_role": "'system'",
            "event": "'forward'",
            "from_status": "'submitted'",
            "to_status": "'awaiting_business'",
            "created_at": "p.forwarded_at",
        },
        "bench_plan p WHERE p.forwarded_at IS NOT NULL",
        "events: forward",
    )
    load.insert(
        ComplaintEvent,
        {
            **base,
            "complaint_id": "p.id",
            "actor_id": f"CASE p.status WHEN 'resolved' THEN p.complainant_id WHEN 'withdrawn' THEN p.complainant_id "
            f"WHEN 'rejected' THEN {STAFF_ID} WHEN 'unpursuable' THEN {STAFF_ID} END",
            "actor_role": "CASE p.status WHEN 'resolved' THEN 'complainant' WHEN 'withdrawn' THEN 'complainant' "
            "WHEN 'rejected' THEN 'staff' WHEN 'unpursuable' THEN 'staff' ELSE 'system' END",
            "event": "CASE p.status WHEN 'resolved' THEN 'accept' WHEN 'answered' THEN 'answer_deadline' "
            "WHEN 'unanswered' THEN 'business_deadline' WHEN 'unresolved' THEN 'rule_unresolved' "
            "WHEN 'unpursuable' THEN 'unpursuable' WHEN 'rejected' THEN 'reject' ELSE 'withdraw' END",
            "from_status": "CASE p.status WHEN 'unanswered' THEN 'awaiting_business' WHEN 'unresolved' THEN "
            "'staff_review' WHEN 'rejected' THEN 'submitted' WHEN 'unpursuable' THEN 'submitted' "
            "ELSE 'awaiting_consumer' END",
            "to_status": "p.status",
            "created_at": "p.closed_at",
        },
        "bench_plan p WHERE p.closed_at IS NOT NULL",
        "events: closing",
    )


# Staff queues (docs/architecture.md, "Staff workbench"): every ASSIGN_STEP-th complaint waiting for
# staff is assigned to the bench staff user, so "assigned to me" has a few thousand rows to page.
STAFF_QUEUE_STATES = ("submitted", "staff_review", "in_mediation")
ASSIGN_STEP = 5


def assignments(load: Loader) -> None:
    """Assign some open complaints in the staff queues to staff@bench.example, with their audit rows."""
    table = Complaint._meta.db_table
    load.run(
        "assigned to the bench staff user",
        f"UPDATE {table} SET assigned_to_id = {STAFF_ID} "
        f"WHERE status IN {STAFF_QUEUE_STATES!r} AND id % {ASSIGN_STEP} = 0",
    )
    load.insert(
        Assignment,
        {
            "complaint_id": "c.id",
            "assigned_to_id": str(STAFF_ID),
            "assigned_by_id": str(STAFF_ID),
            "reason": "'Shared out for the bench'",
            "created_at": "c.status_changed_at",
        },
        f"{table} c WHERE c.assigned_to_id = {STAFF_ID}",
        "assignment audit rows",
    )


def snapshot(load: Loader) -> None:
    """Keep the due complaints' original values so the sweep can be replayed."""
    load.run(
        "due snapshot",
        """
        CREATE TABLE bench_due_snapshot AS
        SELECT id, status, status_changed_at, due_at, due_kind, remind_at, reminded_at, second_notice_sent_at,
               response_count, forwarded_at, closed_at, on_hold
        FROM complaints_complaint WHERE due_at <= %(now)s
        """,
    )
    # The sweep closes some of them, which changes their businesses' figures: keep those too.
    load.run(
        "stats snapshot of their businesses",
        f"""
        CREATE TABLE bench_stats_snapshot AS
        SELECT b.business_id, d.day, d.counts
        FROM (SELECT DISTINCT business_id FROM {Complaint._meta.db_table}
              WHERE id IN (SELECT id FROM bench_due_snapshot) AND business_id IS NOT NULL) b
        LEFT JOIN {BusinessStatsDay._meta.db_table} d ON d.business_id = b.business_id
        """,
    )
    load.run(
        "seed marks",
        """
        CREATE TABLE bench_meta AS SELECT
            %(now)s::timestamptz AS seeded_at,
            (SELECT max(id) FROM complaints_complaintevent) AS max_event_id,
            (SELECT max(id) FROM complaints_complaint) AS max_complaint_id,
            %(size)s::bigint AS complaints
        """,
        {"size": N_COMPLAINTS},
    )


def verify_derived() -> None:
    """Check the set-based derived data against the application's own code for a few rows.

    The seed writes `BusinessStatsDay` rows and search vectors in SQL for speed; here the
    application's functions recompute them for four businesses and one complaint, and any
    difference stops the seed (the SQL has drifted from `complaints.publication`).
    """
    from complaints import services as publication

    t0 = time.monotonic()
    for business_id in (PUBLISHED_BUSINESS, DASHBOARD_BUSINESS, LARGE_BUSINESS, 4, min(500, N_BUSINESSES)):
        seeded = dict(BusinessStatsDay.objects.filter(business_id=business_id).values_list("day", "counts"))
        seeded_summary = publication.stats_summary_stored(business_id=business_id)
        publication.business_stats_rebuild(business_id=business_id)
        rebuilt = dict(BusinessStatsDay.objects.filter(business_id=business_id).values_list("day", "counts"))
        if seeded != rebuilt:
            raise SystemExit(f"Stats days of business {business_id} differ from business_stats_rebuild().")
        if seeded_summary != publication.stats_summary_recount(business_id=business_id):
            raise SystemExit(f"Stats summary of business {business_id} differs from stats_summary_recount().")
    complaint = Complaint.objects.filter(business_id=PUBLISHED_BUSINESS, publish_consent=True).order_by("pk").first()
    if complaint is None:
        raise SystemExit("No consented complaint to check the search vector of.")
    seeded_vector = Complaint.objects.filter(pk=complaint.pk).values_list("search_vector", flat=True).get()
    publication.complaint_refresh_search(complaint_id=complaint.pk)
    refreshed = Complaint.objects.filter(pk=complaint.pk).values_list("search_vector", flat=True).get()
    if seeded_vector != refreshed:
        raise SystemExit(f"Search vector of complaint {complaint.pk} differs from complaint_refresh_search().")
    print(f"  derived data checked against complaints.publication {time.monotonic() - t0:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-migrate", action="store_true")
    parser.add_argument(
        "--complaints", type=int, default=DEFAULT_COMPLAINTS, help="dataset size (default 1,000,000; at least 10,000)"
    )
    args = parser.parse_args()
    configure(args.complaints)
    print(
        f"Dataset: {N_COMPLAINTS:,} complaints, {N_BUSINESSES:,} businesses, {N_COMPLAINANTS:,} complainants, "
        f"{DUE_COUNT:,} due",
        flush=True,
    )
    started = time.monotonic()
    if not args.skip_migrate:
        call_command("migrate", verbosity=0)
    seed(timezone.now())
    # Outside the transaction: VACUUM sets the visibility map, so index-only scans work at once
    # (autovacuum does the same in production), and ANALYZE gives the planner the new sizes.
    t0 = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE {time.monotonic() - t0:.1f} s", flush=True)
    verify_derived()
    print(f"Seeded in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
