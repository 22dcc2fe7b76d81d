"""The one move writer: whatever a move sets on the complaint row is written, one complaint or a page."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from complaints.changes import event_changes, move_changes
from complaints.models import Complaint, ComplaintEvent, Status
from complaints.services import Move, moves_write
from complaints.tests.factories import complaint_in
from complaints.workflow import TRANSITIONS, Actor, Event, Facts, resolve

pytestmark = pytest.mark.django_db

# Not copied between complaints: the key, the unique case number, and the vector the writer computes.
NOT_COPIED = {"id", "number", "search_vector"}


def _columns() -> list[str]:
    return [field.attname for field in Complaint._meta.concrete_fields if field.attname not in NOT_COPIED]


@pytest.mark.parametrize("page", [1, 3])
def test_every_field_a_move_sets_is_written_alone_or_in_a_page(page):
    # A complaint in another state differs from a fresh one in almost every field: copy all of its
    # values onto fresh complaints as one move each, and every column must come back as copied.
    model = complaint_in(Status.ANSWERED)
    model_values = {name: getattr(model, name) for name in _columns()}
    targets = [complaint_in(Status.SUBMITTED) for _ in range(page)]
    differing = [name for name in _columns() if getattr(targets[0], name) != model_values[name]]
    assert {"status", "closed_at", "forwarded_at", "response_count", "first_response_at", "filed_at"} <= set(differing)
    with transaction.atomic():
        moves = []
        for target in Complaint.objects.select_for_update().filter(pk__in=[t.pk for t in targets]).order_by("pk"):
            for name, value in model_values.items():
                setattr(target, name, value)
            event = ComplaintEvent(
                complaint=target,
                actor=None,
                actor_role=Actor.SYSTEM,
                event=Event.ANSWER_DEADLINE,
                from_status=Status.SUBMITTED,
                to_status=Status.ANSWERED,
                created_at=timezone.now(),
            )
            moves.append(Move(target, event, frozenset(_columns())))
        moves_write(moves)
    for target in targets:
        stored = Complaint.objects.get(pk=target.pk)
        for name in _columns():
            if name in {"description_masked", "masked_at"}:
                continue  # the public record's own fields: written by publication, checked below
            assert getattr(stored, name) == model_values[name], name
        assert stored.masked_at is not None


def test_the_planned_changes_name_only_real_columns_for_every_row_of_the_table():
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    now = timezone.now()
    columns = {field.attname for field in Complaint._meta.concrete_fields}
    facts = [
        Facts(),
        Facts(response_count=2, second_notice_sent=True, reopen_to=Status.AWAITING_CONSUMER),
        Facts(on_hold=True, response_count=1),
    ]
    planned = 0
    for row in TRANSITIONS:
        for actor in row.actors:
            for fact in facts:
                outcome = resolve(row.source, row.event, actor, fact)
                if outcome.transition is None:
                    continue
                complaint.status = row.source
                changes = move_changes(complaint, outcome=outcome, event=row.event, data={}, now=now)
                assert set(changes) <= columns, (row, set(changes) - columns)
                planned += 1
    assert planned > len(TRANSITIONS)


def test_what_each_event_carries_onto_the_complaint():
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    now = timezone.now()
    forwarded = complaint.forwarded_at
    assert event_changes(complaint, Event.FORWARD, Status.SUBMITTED, {}, now) == {
        "on_hold": False,
        "forwarded_at": forwarded,
    }
    assert event_changes(complaint, Event.HOLD, Status.SUBMITTED, {}, now) == {"on_hold": True, "paused_at": now}
    complaint.paused_at = now - timedelta(hours=5)
    assert event_changes(complaint, Event.RESUME, Status.SUBMITTED, {}, now) == {
        "on_hold": False,
        "paused_at": None,
        "paused_total": timedelta(hours=5),
    }
    complaint.paused_at = None
    assert event_changes(complaint, Event.REJECT, Status.SUBMITTED, {"reject_reason": "duplicate"}, now) == {
        "reject_reason": "duplicate"
    }
    assert event_changes(complaint, Event.CHANGE_CONSENT, Status.SUBMITTED, {"publish_consent": False}, now) == {
        "publish_consent": False
    }
    assert event_changes(complaint, Event.CHANGE_CONSENT, Status.SUBMITTED, {}, now) == {}
    assert event_changes(complaint, Event.RESPOND, Status.UNANSWERED, {}, now) == {
        "response_count": 1,
        "first_response_at": now,
        "late_response": True,
    }
    assert event_changes(complaint, Event.RESPOND, Status.AWAITING_BUSINESS, {}, now)["late_response"] is False
    assert event_changes(complaint, Event.BUSINESS_DEADLINE, Status.AWAITING_BUSINESS, {}, now) == {
        "second_notice_sent_at": now
    }
    complaint.response_count = 1
    assert event_changes(complaint, Event.BUSINESS_DEADLINE, Status.AWAITING_BUSINESS, {}, now) == {}
    assert event_changes(complaint, Event.WITHDRAW, Status.AWAITING_BUSINESS, {}, now) == {}


def test_a_move_into_a_new_state_sets_its_due_date_and_clears_the_reminder():
    complaint = complaint_in(Status.AWAITING_BUSINESS)
    now = timezone.now()
    outcome = resolve(Status.AWAITING_BUSINESS, Event.RESPOND, Actor.REPRESENTATIVE, Facts())
    changes = move_changes(complaint, outcome=outcome, event=Event.RESPOND, data={}, now=now)
    assert changes["status"] == Status.AWAITING_CONSUMER
    assert changes["due_kind"] == "consumer_answer"
    assert changes["due_at"] == now + timedelta(days=10)
    assert changes["remind_at"] == now + timedelta(days=7)
    assert changes["reminded_at"] is None
    assert changes["closed_at"] is None
