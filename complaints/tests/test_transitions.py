"""The transition service on PostgreSQL: every row of the table, and nothing else."""

import itertools
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Status
from complaints.services import complaint_transition
from complaints.tests.factories import complaint_in, representative_of, staff_user
from complaints.workflow import PREVIOUS, TRANSITIONS, Actor, Condition, Event
from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound

pytestmark = pytest.mark.django_db

# The facts each condition needs, written onto a complaint already in the row's source state.
CONDITION_SETUP: dict[Condition, dict[str, Any]] = {
    Condition.ALWAYS: {},
    Condition.BUSINESS_KNOWN: {},
    Condition.AUTO_FORWARDABLE: {},
    Condition.NOT_ON_HOLD: {},
    Condition.ROUNDS_LEFT: {"response_count": 1},
    Condition.NO_ROUNDS_LEFT: {"response_count": 2},
    Condition.FIRST_NOTICE: {"response_count": 0, "second_notice_sent_at": None},
    Condition.FINAL_NOTICE: {"response_count": 0, "second_notice_sent_at": timezone.now},
    Condition.LATER_ROUND: {"response_count": 1},
}


def actor_for(complaint: Complaint, role: Actor):
    return {
        Actor.COMPLAINANT: complaint.complainant,
        Actor.REPRESENTATIVE: representative_of(complaint.business),
        Actor.STAFF: staff_user(),
        Actor.SYSTEM: None,
    }[role]


def prepare(state: str, condition: Condition) -> Complaint:
    complaint = complaint_in(state)
    fields = {key: value() if callable(value) else value for key, value in CONDITION_SETUP[condition].items()}
    if fields:
        Complaint.objects.filter(pk=complaint.pk).update(**fields)
        complaint.refresh_from_db()
    return complaint


def last_closing_source(complaint: Complaint) -> str:
    closing = complaint.events.exclude(from_status=complaint.status).filter(to_status=complaint.status).last()
    assert closing is not None
    return closing.from_status


@pytest.mark.parametrize(
    ("row", "actor"),
    [(row, actor) for row in TRANSITIONS for actor in sorted(row.actors)],
    ids=lambda value: str(value) if isinstance(value, str) else f"{value.source}-{value.event}-{value.when}",
)
def test_each_row_is_a_legal_move_with_one_event(row, actor):
    complaint = prepare(row.source, row.when)
    expected = last_closing_source(complaint) if row.target == PREVIOUS else row.target
    before = complaint.events.count()

    recorded = complaint_transition(
        complaint_id=complaint.pk,
        event=row.event,
        actor=actor_for(complaint, actor),
        actor_role=actor,
        reason="Stated reason",
    )

    complaint.refresh_from_db()
    assert complaint.status == expected
    assert complaint.events.count() == before + 1
    assert (recorded.event, recorded.from_status, recorded.to_status, recorded.actor_role) == (
        row.event,
        row.source,
        expected,
        actor,
    )


def test_every_other_state_event_actor_combination_is_refused_and_writes_nothing():
    listed = {(row.source, row.event, actor) for row in TRANSITIONS for actor in row.actors}
    tried = 0
    for state in Status.values:
        complaint = complaint_in(state)
        events_before = complaint.events.count()
        for event, actor in itertools.product(Event, Actor):
            if (state, event, actor) in listed:
                continue
            with pytest.raises((InvalidTransition, NotAllowed, NotFound)):
                complaint_transition(
                    complaint_id=complaint.pk,
                    event=event,
                    actor=actor_for(complaint, actor),
                    actor_role=actor,
                    reason="Trying",
                )
            tried += 1
        complaint.refresh_from_db()
        assert complaint.status == state
        assert complaint.events.count() == events_before
    assert tried > 900


def test_a_user_who_is_not_a_party_gets_not_found(other_complainant, other_representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER)
    with pytest.raises(NotFound):
        complaint_transition(
            complaint_id=complaint.pk, event=Event.ACCEPT, actor=other_complainant, actor_role=Actor.COMPLAINANT
        )
    with pytest.raises(NotFound):
        complaint_transition(
            complaint_id=complaint.pk, event=Event.REOPEN, actor=other_representative, actor_role=Actor.STAFF
        )


def test_staff_must_give_a_reason():
    complaint = complaint_in(Status.STAFF_REVIEW)
    with pytest.raises(InvalidInput) as error:
        complaint_transition(
            complaint_id=complaint.pk, event=Event.RULE_ANSWERED, actor=staff_user(), actor_role=Actor.STAFF
        )
    assert "reason" in error.value.field_errors


def test_a_refused_move_inside_a_caller_transaction_leaves_nothing_behind():
    complaint = complaint_in(Status.SUBMITTED)
    with pytest.raises(InvalidTransition), transaction.atomic():
        complaint_transition(
            complaint_id=complaint.pk, event=Event.ANSWER_DEADLINE, actor=None, actor_role=Actor.SYSTEM
        )
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1
