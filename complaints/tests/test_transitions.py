"""The transition service on PostgreSQL: every row of the table, and nothing else.

The rows are the hand-written expected table of test_workflow, not the code's own table: a
row missing from `complaints.workflow.TRANSITIONS` fails here too.
"""

import itertools
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Status
from complaints.services import complaint_transition
from complaints.tests.factories import complaint_in, representative_of, staff_user
from complaints.tests.test_workflow import EXPECTED_TRANSITIONS
from complaints.workflow import Actor, Condition, Event
from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound

pytestmark = pytest.mark.django_db

# The facts each condition needs, written onto a complaint already in the row's source state.
CONDITION_SETUP: dict[Condition, dict[str, Any]] = {
    Condition.ALWAYS: {},
    Condition.BUSINESS_KNOWN: {},
    Condition.AUTO_FORWARDABLE: {},
    Condition.NOT_ON_HOLD: {},
    Condition.ON_HOLD: {"on_hold": True},
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
    [(row, actor) for row in EXPECTED_TRANSITIONS for actor in sorted(row[2])],
    ids=lambda value: str(value) if isinstance(value, str) else f"{value[0]}-{value[1]}-{value[4]}",
)
def test_each_row_is_a_legal_move_with_one_event(row, actor):
    source, event, _, target, condition, _ = row
    complaint = prepare(source, condition)
    expected = last_closing_source(complaint) if target == "previous" else target
    before = complaint.events.count()

    recorded = complaint_transition(
        complaint_id=complaint.pk,
        event=event,
        actor=actor_for(complaint, actor),
        actor_role=actor,
        reason="Stated reason",
    )

    complaint.refresh_from_db()
    assert complaint.status == expected
    assert complaint.events.count() == before + 1
    assert (recorded.event, recorded.from_status, recorded.to_status, recorded.actor_role) == (
        event,
        source,
        expected,
        actor,
    )


def test_every_other_state_event_actor_combination_is_refused_and_writes_nothing():
    listed = {(source, event, actor) for source, event, actors, *_ in EXPECTED_TRANSITIONS for actor in actors}
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


@pytest.mark.parametrize(
    ("state", "event", "role"),
    [
        (Status.SUBMITTED, Event.REJECT, Actor.STAFF),
        (Status.SUBMITTED, Event.HOLD, Actor.STAFF),
        (Status.SUBMITTED, Event.UNPURSUABLE, Actor.STAFF),
        (Status.STAFF_REVIEW, Event.RULE_ANSWERED, Actor.STAFF),
        (Status.STAFF_REVIEW, Event.RULE_UNRESOLVED, Actor.STAFF),
        (Status.RESOLVED, Event.REOPEN, Actor.STAFF),
        (Status.AWAITING_CONSUMER, Event.REJECT_ANSWER, Actor.COMPLAINANT),
    ],
)
def test_these_moves_need_a_reason(state, event, role):
    complaint = complaint_in(state)
    before = complaint.events.count()
    with pytest.raises(InvalidInput) as error:
        complaint_transition(
            complaint_id=complaint.pk, event=event, actor=actor_for(complaint, role), actor_role=role, reason=""
        )
    assert list(error.value.field_errors) == ["reason"]
    complaint.refresh_from_db()
    assert (complaint.status, complaint.events.count()) == (state, before)


@pytest.mark.parametrize(
    ("state", "event", "role", "target"),
    [
        (Status.SUBMITTED, Event.FORWARD, Actor.STAFF, Status.AWAITING_BUSINESS),
        (Status.STAFF_REVIEW, Event.OPEN_MEDIATION, Actor.STAFF, Status.IN_MEDIATION),
        (Status.AWAITING_CONSUMER, Event.ACCEPT, Actor.COMPLAINANT, Status.RESOLVED),
        (Status.AWAITING_BUSINESS, Event.WITHDRAW, Actor.COMPLAINANT, Status.WITHDRAWN),
    ],
)
def test_these_moves_need_no_reason(state, event, role, target):
    complaint = complaint_in(state)
    complaint_transition(complaint_id=complaint.pk, event=event, actor=actor_for(complaint, role), actor_role=role)
    complaint.refresh_from_db()
    assert complaint.status == target


def test_a_refused_move_inside_a_caller_transaction_leaves_nothing_behind():
    complaint = complaint_in(Status.SUBMITTED)
    with pytest.raises(InvalidTransition), transaction.atomic():
        complaint_transition(
            complaint_id=complaint.pk, event=Event.ANSWER_DEADLINE, actor=None, actor_role=Actor.SYSTEM
        )
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1
