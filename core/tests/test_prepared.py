"""core.prepared: a read prepared once on each PostgreSQL connection, and its rows as the ORM's instances."""

import datetime as dt

import pytest
from django.db import connection

from core.models import OutboundEmail
from core.prepared import Branch, Columns, PreparedRead, UnionRead, prepared_reads, split

pytestmark = pytest.mark.django_db

EMAILS = Columns(OutboundEmail)
TABLE = OutboundEmail._meta.db_table  # complaints_outboundemail
EMAIL_BY_ID = PreparedRead(
    "redress_test_email",
    lambda: f"SELECT {EMAILS.select('e')} FROM {TABLE} e WHERE e.id = $1",  # nosec B608
)
SUBJECTS = PreparedRead(
    "redress_test_subjects",
    lambda: f'SELECT subject FROM {TABLE} WHERE "to" = $1 AND attempts >= $2 ORDER BY subject',  # nosec B608
)


def _forget(read: PreparedRead) -> None:
    """This read unprepared on this connection (only this one: other reads keep theirs)."""
    with connection.cursor() as cursor:
        if connection.connection in read._prepared_on:
            cursor.execute(f"DEALLOCATE {read.name}")
    read._prepared_on.discard(connection.connection)


def prepared_statement(name: str) -> str | None:
    """The statement's text as this connection holds it, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])
        row = cursor.fetchone()
    return row[0] if row else None


def test_the_suite_prepares_reads():
    assert prepared_reads() is True


def test_a_read_is_prepared_once_then_executed_by_name(django_assert_num_queries):
    OutboundEmail.objects.create(to="a@example.com", subject="Second", body_text="", attempts=2)
    OutboundEmail.objects.create(to="a@example.com", subject="First", body_text="", attempts=5)
    OutboundEmail.objects.create(to="a@example.com", subject="Tried once", body_text="", attempts=1)
    OutboundEmail.objects.create(to="b@example.com", subject="Other", body_text="", attempts=9)
    _forget(SUBJECTS)
    assert prepared_statement(SUBJECTS.name) is None
    # The PREPARE goes through the driver's cursor, outside the query log: only the EXECUTE counts.
    with django_assert_num_queries(1) as first:
        assert SUBJECTS.rows("a@example.com", 2) == [("First",), ("Second",)]
    assert first.captured_queries[0]["sql"] == "EXECUTE redress_test_subjects('a@example.com', 2)"
    assert prepared_statement(SUBJECTS.name) == (
        "PREPARE redress_test_subjects AS SELECT subject FROM complaints_outboundemail "
        'WHERE "to" = $1 AND attempts >= $2 ORDER BY subject'
    )
    with django_assert_num_queries(1) as again:
        assert SUBJECTS.rows("b@example.com", 0) == [("Other",)]
    assert again.captured_queries[0]["sql"] == "EXECUTE redress_test_subjects('b@example.com', 0)"
    assert SUBJECTS.rows("nobody@example.com", 0) == []


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_it_again():
    OutboundEmail.objects.create(to="a@example.com", subject="Kept", body_text="", attempts=3)
    assert SUBJECTS.rows("a@example.com", 0) == [("Kept",)]
    connection.close()  # the next query opens a new session, without the statement
    assert SUBJECTS.rows("a@example.com", 0) == [("Kept",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'redress_test_subjects'")
        assert cursor.fetchone() == (1,)


def test_a_row_becomes_the_instance_the_orm_gives_converters_applied():
    email = OutboundEmail.objects.create(
        to="a@example.com",
        subject="Your complaint was answered",
        body_text="Read the answer.",
        context={"number": "10000042", "days": [1, 2]},
        headers={"In-Reply-To": "<case-10000042@redress.example>"},
        created_at=dt.datetime(2026, 12, 2, 8, 15, tzinfo=dt.UTC),
    )
    (row,) = EMAIL_BY_ID.rows(email.pk)
    read = EMAILS.instance(row)
    assert isinstance(read, OutboundEmail) and not read._state.adding
    # The JSON columns come from the driver as text: the ORM's converter decodes them.
    assert read.context == {"number": "10000042", "days": [1, 2]}
    assert read.headers == {"In-Reply-To": "<case-10000042@redress.example>"}
    assert read.created_at == dt.datetime(2026, 12, 2, 8, 15, tzinfo=dt.UTC)
    orm = OutboundEmail.objects.get(pk=email.pk)
    assert [getattr(read, name) for name in EMAILS.names] == [getattr(orm, name) for name in EMAILS.names]


def test_the_select_names_every_concrete_column_under_its_alias():
    columns = EMAILS.select("e").split(", ")
    assert columns[0] == 'e."id"'
    assert 'e."context"' in columns and 'e."resent_by_id"' in columns
    assert len(columns) == len(OutboundEmail._meta.concrete_fields) == len(EMAILS.names)


def test_a_joined_row_is_split_into_each_models_values_and_a_missing_join_is_none():
    email = OutboundEmail.objects.create(to="a@example.com", subject="Joined", body_text="", attempts=1)
    (own,) = EMAIL_BY_ID.rows(email.pk)
    width = len(EMAILS.names)
    missing = (None,) * width
    first, second, rest = split((*own, *missing, "extra", 7), EMAILS, EMAILS)
    assert (len(first), len(second), rest) == (width, width, ("extra", 7))
    assert EMAILS.instance_or_none(first).subject == "Joined"
    assert EMAILS.instance_or_none(second) is None
    assert split((1, 2), EMAILS)[1] == ()  # nothing follows a row that ends short


# Three branches by the same two parameters: each row carries every branch's columns, typed NULLs
# where it is not its own, so the JSON, date and number columns of the last branch still resolve
# (PostgreSQL types a UNION's columns pairwise, left to right).
EMAILS_AND_SUBJECTS = UnionRead(
    "redress_test_union",
    [
        Branch(((EMAILS, "e"),), f'FROM {TABLE} e WHERE e."to" = $1 AND e.attempts >= $2', ("e.created_at", "e.id")),
        Branch(((EMAILS, "e"),), f'FROM {TABLE} e WHERE e."to" = $1 AND e.attempts < $2'),
        Branch(((EMAILS, "e"), (EMAILS, "f")), f'FROM {TABLE} e JOIN {TABLE} f ON f.id = e.id WHERE e."to" <> $1'),
    ],
)


def test_a_union_read_gives_each_branch_its_own_rows_and_columns_in_one_query(django_assert_num_queries):
    at = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
    later = OutboundEmail.objects.create(
        to="a@example.com", subject="Later", body_text="", attempts=4, created_at=at + dt.timedelta(hours=1)
    )
    earlier = OutboundEmail.objects.create(
        to="a@example.com", subject="Earlier", body_text="", attempts=3, created_at=at
    )
    OutboundEmail.objects.create(to="a@example.com", subject="Once", body_text="", attempts=1, context={"n": 1})
    OutboundEmail.objects.create(to="b@example.com", subject="Elsewhere", body_text="", context={"k": [2]})
    with django_assert_num_queries(1) as run:
        tried, once, elsewhere = EMAILS_AND_SUBJECTS.rows("a@example.com", 2)
    assert run.captured_queries[0]["sql"] == "EXECUTE redress_test_union('a@example.com', 2)"
    # The first branch in its order (created_at, then id), though filed the other way round.
    assert [EMAILS.instance(row).subject for row in tried] == ["Earlier", "Later"]
    assert [EMAILS.instance(row).pk for row in tried] == [earlier.pk, later.pk]
    assert [EMAILS.instance(row).created_at for row in tried] == [at, at + dt.timedelta(hours=1)]
    assert [len(row) for row in tried + once] == [len(EMAILS.names)] * 3
    assert EMAILS.instance(once[0]).context == {"n": 1}
    # A branch of two models: both halves, the JSON decoded in each.
    (joined,) = elsewhere
    own, other, rest = split(joined, EMAILS, EMAILS)
    assert (EMAILS.instance(own).subject, EMAILS.instance(other).context, rest) == ("Elsewhere", {"k": [2]}, ())


def test_a_union_read_with_no_rows_gives_each_branch_an_empty_list():
    assert EMAILS_AND_SUBJECTS.rows("nobody@example.com", 0) == [[], [], []]


def test_a_union_read_puts_a_typed_null_in_every_other_branchs_columns():
    text = EMAILS_AND_SUBJECTS.read.sql
    first, second, third = text.split(" UNION ALL ")
    assert first.startswith('SELECT 0, e.created_at, e.id::bigint, e."id", ')
    assert second.startswith("SELECT 1, NULL::timestamptz, NULL::bigint, NULL::bigint, ")
    assert "NULL::jsonb" in first and "NULL::timestamp with time zone" in third
    assert third.endswith(" ORDER BY 1, 2, 3")
    assert third.count('f."context"') == 1


def test_a_read_without_parameters_is_executed_by_its_name_alone(django_assert_num_queries):
    OutboundEmail.objects.create(to="a@example.com", subject="Counted", body_text="")
    OutboundEmail.objects.create(to="b@example.com", subject="Counted too", body_text="")
    counted = PreparedRead("redress_test_count", lambda: f"SELECT count(*) FROM {TABLE}")  # nosec B608
    with django_assert_num_queries(1) as run:
        assert counted.rows() == [(2,)]
    assert run.captured_queries[0]["sql"] == "EXECUTE redress_test_count"
