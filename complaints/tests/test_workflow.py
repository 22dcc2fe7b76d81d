"""The transition table on its own: no database."""

import itertools

import pytest

from complaints.models import DueKind, Status
from complaints.workflow import (
    CLOSED_STATES,
    OPEN_STATES,
    PREVIOUS,
    TRANSITIONS,
    Actor,
    Condition,
    Event,
    Facts,
    Refusal,
    condition_holds,
    deadline_for,
    events_for,
    resolve,
)

# Facts under which each condition holds.
SATISFYING = {
    Condition.ALWAYS: Facts(),
    Condition.BUSINESS_KNOWN: Facts(business_known=True),
    Condition.AUTO_FORWARDABLE: Facts(business_known=True, on_hold=False, complainant_verified=True),
    Condition.NOT_ON_HOLD: Facts(on_hold=False),
    Condition.ROUNDS_LEFT: Facts(response_count=1),
    Condition.NO_ROUNDS_LEFT: Facts(response_count=2),
    Condition.FIRST_NOTICE: Facts(response_count=0, second_notice_sent=False),
    Condition.FINAL_NOTICE: Facts(response_count=0, second_notice_sent=True),
    Condition.LATER_ROUND: Facts(response_count=1),
}


def test_every_state_is_open_or_closed():
    assert set(Status.values) == OPEN_STATES | CLOSED_STATES
    assert not OPEN_STATES & CLOSED_STATES


@pytest.mark.parametrize("row", TRANSITIONS, ids=lambda r: f"{r.source}-{r.event}-{r.when}")
def test_each_row_applies_for_each_of_its_actors(row):
    facts = SATISFYING[row.when]
    if row.target == PREVIOUS:
        facts = Facts(reopen_to=Status.AWAITING_BUSINESS)
    for actor in row.actors:
        outcome = resolve(row.source, row.event, actor, facts)
        assert outcome.transition == row
        assert outcome.target == (Status.AWAITING_BUSINESS if row.target == PREVIOUS else row.target)


def test_every_combination_outside_the_table_is_refused():
    listed = {(row.source, row.event, actor) for row in TRANSITIONS for actor in row.actors}
    refused = 0
    for state, event, actor in itertools.product(Status.values, Event, Actor):
        if (state, event, actor) in listed:
            continue
        for facts in SATISFYING.values():
            outcome = resolve(state, event, actor, facts)
            assert outcome.transition is None, (state, event, actor)
            assert outcome.refusal in (Refusal.NOT_ACCEPTED, Refusal.ACTOR_NOT_ALLOWED)
        refused += 1
    assert refused > 900


def test_closed_states_accept_only_reopen_consent_published_text_and_late_moves():
    for state in CLOSED_STATES:
        events = {row.event for row in TRANSITIONS if row.source == state}
        allowed = {Event.REOPEN, Event.CHANGE_CONSENT}
        if state not in (Status.REJECTED, Status.WITHDRAWN):
            allowed.add(Event.EDIT_PUBLIC_TEXT)
        if state == Status.UNANSWERED:
            allowed.add(Event.RESPOND)
        if state == Status.ANSWERED:
            allowed.add(Event.ACCEPT)
        assert events == allowed, state


@pytest.mark.parametrize(
    ("responses", "target"), [(0, Status.AWAITING_BUSINESS), (1, Status.AWAITING_BUSINESS), (2, Status.STAFF_REVIEW)]
)
def test_a_rejected_answer_goes_to_staff_once_the_business_has_responded_twice(responses, target):
    outcome = resolve(Status.AWAITING_CONSUMER, Event.REJECT_ANSWER, Actor.COMPLAINANT, Facts(response_count=responses))
    assert outcome.target == target


def test_business_silence_sends_a_second_notice_then_closes_as_unanswered():
    first = resolve(Status.AWAITING_BUSINESS, Event.BUSINESS_DEADLINE, Actor.SYSTEM, Facts())
    assert first.target == Status.AWAITING_BUSINESS and first.transition.resets_due
    final = resolve(Status.AWAITING_BUSINESS, Event.BUSINESS_DEADLINE, Actor.SYSTEM, Facts(second_notice_sent=True))
    assert final.target == Status.UNANSWERED
    later = resolve(Status.AWAITING_BUSINESS, Event.BUSINESS_DEADLINE, Actor.SYSTEM, Facts(response_count=1))
    assert later.target == Status.STAFF_REVIEW


def test_automatic_forwarding_waits_for_a_verified_email_and_no_hold():
    assert resolve(Status.SUBMITTED, Event.FORWARD, Actor.SYSTEM, Facts()).target == Status.AWAITING_BUSINESS
    for facts in (Facts(complainant_verified=False), Facts(on_hold=True), Facts(business_known=False)):
        outcome = resolve(Status.SUBMITTED, Event.FORWARD, Actor.SYSTEM, facts)
        assert outcome.refusal is Refusal.CONDITION_FAILED
    # staff may forward a complaint on hold, but not one whose business is unknown
    assert resolve(Status.SUBMITTED, Event.FORWARD, Actor.STAFF, Facts(on_hold=True)).target == Status.AWAITING_BUSINESS
    assert resolve(Status.SUBMITTED, Event.FORWARD, Actor.STAFF, Facts(business_known=False)).transition is None


def test_reopen_returns_to_the_open_state_it_left_and_needs_one():
    assert resolve(Status.ANSWERED, Event.REOPEN, Actor.STAFF, Facts(reopen_to=Status.STAFF_REVIEW)).target == (
        Status.STAFF_REVIEW
    )
    assert resolve(Status.ANSWERED, Event.REOPEN, Actor.STAFF, Facts(reopen_to=None)).transition is None


def test_the_wrong_actor_is_told_it_is_not_theirs():
    outcome = resolve(Status.AWAITING_BUSINESS, Event.RESPOND, Actor.COMPLAINANT, Facts())
    assert outcome.refusal is Refusal.ACTOR_NOT_ALLOWED


def test_every_condition_can_fail():
    for condition in Condition:
        if condition is Condition.ALWAYS:
            continue
        failing = [
            *SATISFYING.values(),
            Facts(business_known=False),
            Facts(complainant_verified=False),
            Facts(on_hold=True),
        ]
        assert any(not condition_holds(condition, facts) for facts in failing), condition


@pytest.mark.parametrize(
    ("state", "facts", "kind"),
    [
        (Status.SUBMITTED, Facts(), DueKind.SCREENING),
        (Status.SUBMITTED, Facts(on_hold=True), DueKind.NONE),
        (Status.AWAITING_BUSINESS, Facts(), DueKind.BUSINESS_FIRST),
        (Status.AWAITING_BUSINESS, Facts(second_notice_sent=True), DueKind.BUSINESS_FINAL),
        (Status.AWAITING_BUSINESS, Facts(response_count=1), DueKind.BUSINESS_REBUTTAL),
        (Status.AWAITING_CONSUMER, Facts(), DueKind.CONSUMER_ANSWER),
        (Status.STAFF_REVIEW, Facts(), DueKind.STAFF_RULING),
        (Status.IN_MEDIATION, Facts(), DueKind.MEDIATION),
        *((state, Facts(), DueKind.NONE) for state in sorted(CLOSED_STATES)),
    ],
)
def test_each_state_has_its_due_date(state, facts, kind):
    assert deadline_for(state, facts).kind == kind


def test_pages_offer_only_the_moves_the_table_allows():
    assert events_for(Status.AWAITING_CONSUMER, Actor.COMPLAINANT, Facts(response_count=1)) == [
        Event.ACCEPT,
        Event.REJECT_ANSWER,
        Event.MARK_RESOLVED,
        Event.WITHDRAW,
        Event.ADD_INFORMATION,
        Event.CHANGE_CONSENT,
    ]
    assert events_for(Status.RESOLVED, Actor.COMPLAINANT, Facts()) == [Event.CHANGE_CONSENT]
