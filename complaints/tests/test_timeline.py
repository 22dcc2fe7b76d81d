"""The timeline is append-only in PostgreSQL and a hash chain that `verify_timeline` checks."""

import io
from datetime import UTC, datetime

import pgtrigger
import pytest
import time_machine
from django.core.management import call_command
from django.db import InternalError, connection, transaction
from django.db.models import ProtectedError

from complaints.models import Complaint, ComplaintEvent, Status
from complaints.sweep import sweep
from complaints.tests.factories import complaint_in
from complaints.timeline import Link, chain_breaks, chain_hash, event_content

TRIGGER = "complaints.ComplaintEvent:event_append_only"
AT = datetime(2026, 12, 1, 9, 30, 0, 123456, tzinfo=UTC)


def test_the_content_of_an_event_is_canonical_json_in_utc():
    content = event_content(
        number="12345678",
        event="reject_answer",
        actor_id=7,
        actor_role="complainant",
        from_status="awaiting_consumer",
        to_status="awaiting_business",
        reason="Nothing arrived — still waiting",
        data={"b": 2, "a": True},
        created_at=AT,
    )
    assert (
        content
        == (
            '{"actor":7,"at":"2026-12-01T09:30:00.123456+00:00","complaint":"12345678","data":{"a":true,"b":2},'
            '"event":"reject_answer","from":"awaiting_consumer","reason":"Nothing arrived — still waiting",'
            '"role":"complainant","to":"awaiting_business"}'
        ).encode()
    )


def test_a_link_hashes_the_previous_hash_a_newline_and_the_content():
    assert chain_hash("", b"{}") == "a062dd4952b935e430d409c4a5e5cd760e8781e3200d5c7e12a232dddba8a528"
    assert chain_hash("abc", b"{}") == "b4157e40dd21db67528800eb46fe6641eaa5e321734b6890e43e9ce6ed37d91b"


def test_a_changed_event_is_reported_where_it_changed_and_a_changed_hash_there_and_after():
    contents = [b"one", b"two", b"three"]
    hashes = []
    for content in contents:
        hashes.append(chain_hash(hashes[-1] if hashes else "", content))

    def links(contents, hashes):
        return [Link(n, "kind", AT, c, h) for n, (c, h) in enumerate(zip(contents, hashes, strict=True), start=1)]

    assert list(chain_breaks(links(contents, hashes))) == []
    assert [b.event_id for b in chain_breaks(links([b"one", b"TWO", b"three"], hashes))] == [2]
    assert [b.event_id for b in chain_breaks(links(contents, [hashes[0], "0" * 64, hashes[2]]))] == [2, 3]


@pytest.mark.django_db
class TestAppendOnly:
    def test_raw_sql_cannot_update_or_delete_an_event(self):
        complaint = complaint_in(Status.AWAITING_BUSINESS)
        event = complaint.events.first()
        for sql in (
            "UPDATE complaints_complaintevent SET reason = 'rewritten' WHERE id = %s",
            "UPDATE complaints_complaintevent SET created_at = created_at - interval '1 day' WHERE id = %s",
            "DELETE FROM complaints_complaintevent WHERE id = %s",
        ):
            with (
                pytest.raises(InternalError, match="Cannot update or delete"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [event.pk])
        event.refresh_from_db()
        assert event.reason == ""

    def test_the_orm_cannot_rewrite_history_either(self):
        complaint = complaint_in(Status.AWAITING_BUSINESS)
        with pytest.raises(InternalError), transaction.atomic():
            ComplaintEvent.objects.filter(complaint=complaint).update(reason="rewritten")
        with pytest.raises(InternalError), transaction.atomic():
            ComplaintEvent.objects.filter(complaint=complaint).delete()
        assert complaint.events.count() == 2

    def test_a_complaint_with_a_timeline_cannot_be_deleted(self):
        complaint = complaint_in(Status.SUBMITTED)
        with pytest.raises(ProtectedError):
            complaint.delete()
        assert Complaint.objects.filter(pk=complaint.pk).exists()


def _verify(*args):
    out = io.StringIO()
    try:
        call_command("verify_timeline", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
class TestVerify:
    def test_every_move_extends_the_chain_and_the_complaint_keeps_its_head(self):
        complaint = complaint_in(Status.STAFF_REVIEW)
        events = list(complaint.events.order_by("created_at", "id"))
        assert len(events) >= 6
        assert all(len(event.hash) == 64 for event in events)
        assert len({event.hash for event in events}) == len(events)
        assert Complaint.objects.get(pk=complaint.pk).timeline_head == events[-1].hash
        code, out = _verify("--number", complaint.number)
        assert code == 0
        assert out.strip() == f"{len(events)} events checked in 1 complaint: no broken link."

    def test_a_tampered_event_is_reported_at_that_event_and_the_command_fails(self):
        complaint = complaint_in(Status.AWAITING_CONSUMER)
        other = complaint_in(Status.ANSWERED)
        tampered = complaint.events.order_by("created_at", "id")[1]
        with pgtrigger.ignore(TRIGGER):
            ComplaintEvent.objects.filter(pk=tampered.pk).update(reason="Rewritten by hand")
        code, out = _verify()
        assert code == 1
        lines = out.strip().splitlines()
        assert len(lines) == 2
        assert lines[0].startswith(f"#{complaint.number}: event {tampered.pk} ({tampered.event}, ")
        assert lines[1].startswith("1 broken link(s) in ")
        assert _verify("--number", other.number)[0] == 0

    def test_a_page_of_the_sweep_chains_its_events_too(self):
        complaints = [complaint_in(Status.AWAITING_CONSUMER) for _ in range(3)]
        with time_machine.travel(max(c.due_at for c in complaints), tick=False):
            sweep(batch_size=10)
        for complaint in complaints:
            stored = Complaint.objects.get(pk=complaint.pk)
            assert stored.status == Status.ANSWERED
            assert stored.timeline_head == stored.events.order_by("created_at", "id").last().hash
        code, out = _verify()
        assert code == 0
        assert out.strip().endswith("complaints: no broken link.")
