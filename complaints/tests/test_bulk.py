"""core.bulk writes rows as the model's own save and create would, in one statement."""

from datetime import UTC, datetime

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value
from django.urls import set_script_prefix
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Status
from complaints.notifications import EMAIL_COLUMNS, case_urls
from complaints.tests.factories import file_complaint
from core.bulk import bulk_insert, bulk_set, insert_rows
from core.models import OutboundEmail

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=UTC)


def _row(obj) -> dict:
    return {k: v for k, v in type(obj).objects.filter(pk=obj.pk).values().get().items() if k != "id"}


def test_bulk_set_stores_what_save_stores():
    saved = file_complaint()
    batched = file_complaint(saved.complainant, saved.business)
    for complaint in (saved, batched):
        complaint.status, complaint.due_at, complaint.on_hold = Status.AWAITING_BUSINESS, WHEN, True
        complaint.description_masked = 'It\'s "quoted" — and\nsplit'
    saved.save()
    bulk_set([batched], ["status", "due_at", "on_hold", "description_masked"])
    # The second complaint repeats the first, so filing notes it as a likely duplicate of it.
    skip = {"number", "updated_at", "filed_at", "status_changed_at", "timeline_head", "possible_duplicates"}
    expected = {k: v for k, v in _row(saved).items() if k not in skip}
    assert {k: v for k, v in _row(batched).items() if k not in skip} == expected
    assert expected["due_at"] == WHEN and expected["on_hold"] is True


def test_bulk_set_computes_columns_and_a_null_value_keeps_the_stored_one():
    first, second = file_complaint(), file_complaint()
    Complaint.objects.filter(pk=second.pk).update(search_vector=SearchVector(Value("stays put")))
    bulk_set(
        [first, second],
        ["status"],
        computed={"search_vector": ("COALESCE(to_tsvector('english', {}), t.search_vector)", ["refunds owed", None])},
    )
    vectors = dict(Complaint.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "search_vector"))
    assert vectors == {first.pk: "'owe':2 'refund':1", second.pk: "'put':2 'stay':1"}


def test_insert_rows_stores_what_create_stores_and_returns_the_ids_in_order():
    complaint = file_complaint()
    event = ComplaintEvent.objects.filter(complaint=complaint).get()
    user_id = complaint.complainant_id
    thread = {"References": "<redress-case-1@x>"}
    values = [
        (
            "a@example.com",
            "[Redress #1] One",
            "text one",
            "<p>one</p>",
            complaint.pk,
            event.pk,
            "event:file",
            user_id,
            {},
        ),
        ("b@example.com", "Two", "text two", "", complaint.pk, None, "reminder:x", None, thread),
    ]
    before = timezone.now()
    ids = insert_rows(OutboundEmail, EMAIL_COLUMNS, values)
    after = timezone.now()
    created = [OutboundEmail.objects.create(**dict(zip(EMAIL_COLUMNS, row, strict=True))) for row in values]
    assert len(set(ids)) == 2 and ids == sorted(ids)
    skip = {"created_at", "next_attempt_at"}
    for row_id, twin in zip(ids, created, strict=True):
        stored = OutboundEmail.objects.get(pk=row_id)
        assert {k: v for k, v in _row(stored).items() if k not in skip} == {
            k: v for k, v in _row(twin).items() if k not in skip
        }
        assert (stored.state, stored.attempts, stored.sent_at) == (OutboundEmail.State.PENDING, 0, None)
        assert before <= stored.created_at <= after and before <= stored.next_attempt_at <= after
    assert insert_rows(OutboundEmail, EMAIL_COLUMNS, []) == []


def test_bulk_insert_sets_the_primary_keys():
    complaint = file_complaint()
    events = [
        ComplaintEvent(complaint=complaint, actor_role="system", event="forward", from_status="a", to_status="b")
        for _ in range(3)
    ]
    bulk_insert(events)
    assert [e.pk for e in events] == sorted(
        ComplaintEvent.objects.filter(complaint=complaint, event="forward").values_list("pk", flat=True)
    )
    assert all(not e._state.adding for e in events)


def test_case_urls_are_the_complaints_own_addresses_under_any_script_prefix():
    complaints = [file_complaint(), file_complaint()]
    assert case_urls(complaints) == {c.pk: c.get_absolute_url() for c in complaints}
    set_script_prefix("/redress/")
    try:
        urls = case_urls(complaints)
        assert urls == {c.pk: c.get_absolute_url() for c in complaints}
        assert all(url.startswith("/redress/complaints/") for url in urls.values())
    finally:
        set_script_prefix("/")


def test_every_key_of_a_complaint_leads_an_index_and_no_index_repeats_another():
    # Every index is one more write each time a complaint moves (migration 0006 dropped three
    # that others covered); the keys must still be found by index, for lists and for PROTECT.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, x.indisunique, x.indpred IS NOT NULL,
                   array_agg(a.attname ORDER BY k.n) FILTER (WHERE k.n <= x.indnkeyatts)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
            WHERE x.indrelid = 'complaints_complaint'::regclass
            GROUP BY i.relname, x.indisunique, x.indpred, x.indnkeyatts
            """
        )
        indexes = cursor.fetchall()
    full = [(name, unique, keys) for name, unique, partial, keys in indexes if not partial]
    leading = {keys[0] for _, _, keys in full}
    assert {"id", "number", "complainant_id", "business_id"} <= leading
    assert any(unique and keys == ["number"] for _, unique, keys in full)
    # No full index is a prefix of another (the longer one serves its lookups), unless unique.
    for name, unique, keys in full:
        longer = [other for other, _, more in full if other != name and more[: len(keys)] == keys]
        assert unique or not longer, f"{name} {keys} is covered by {longer}"
