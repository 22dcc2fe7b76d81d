"""The status workflow on its own, no database: every table written out here by hand.

The expected values below are not read from `complaints.workflow`: a wrong row, a missing
state or a changed condition there fails a test here. A change to the rules changes both the
module and these tables, on purpose (docs/testing.md).
"""

import itertools
from dataclasses import fields
from datetime import UTC, datetime

import pytest
from django.conf import settings

from complaints.deadlines import days_after
from complaints.models import DueKind, Status
from complaints.workflow import (
    BUSINESS_INFORMATION_STATES,
    CLOSED_STATES,
    CONDITION_REFUSALS,
    DEADLINE_EVENTS,
    INITIAL_STATE,
    LATE_RESPONSE_STATES,
    MAX_BUSINESS_ROUNDS,
    OPEN_STATES,
    PREVIOUS,
    PRIVATE_CLOSED_STATES,
    PUBLIC_CLOSED_STATES,
    REASON_REQUIRED,
    STAFF_EVENTS,
    TRANSITIONS,
    WAITING_ON,
    Actor,
    Condition,
    Deadline,
    Event,
    Facts,
    Outcome,
    Refusal,
    Transition,
    condition_holds,
    deadline_for,
    events_for,
    label,
    resolve,
)

S, E, C = Status, Event, Condition
COMPLAINANT, REPRESENTATIVE, STAFF, SYSTEM = Actor.COMPLAINANT, Actor.REPRESENTATIVE, Actor.STAFF, Actor.SYSTEM
OPEN = (S.SUBMITTED, S.AWAITING_BUSINESS, S.AWAITING_CONSUMER, S.STAFF_REVIEW, S.IN_MEDIATION)
CLOSED = (S.RESOLVED, S.ANSWERED, S.UNANSWERED, S.UNRESOLVED, S.UNPURSUABLE, S.REJECTED, S.WITHDRAWN)

# (source, event, actors, target, condition, resets_due): the whole table, one row a line.
EXPECTED_TRANSITIONS = [
    (S.SUBMITTED, E.FORWARD, {STAFF}, S.AWAITING_BUSINESS, C.BUSINESS_KNOWN, False),
    (S.SUBMITTED, E.FORWARD, {SYSTEM}, S.AWAITING_BUSINESS, C.AUTO_FORWARDABLE, False),
    (S.SUBMITTED, E.HOLD, {STAFF}, S.SUBMITTED, C.NOT_ON_HOLD, True),
    (S.SUBMITTED, E.RESUME, {STAFF}, S.SUBMITTED, C.ON_HOLD, True),
    (S.SUBMITTED, E.LINK_BUSINESS, {STAFF}, S.SUBMITTED, C.ALWAYS, True),
    (S.SUBMITTED, E.REJECT, {STAFF}, S.REJECTED, C.ALWAYS, False),
    (S.SUBMITTED, E.UNPURSUABLE, {STAFF}, S.UNPURSUABLE, C.ALWAYS, False),
    (S.AWAITING_BUSINESS, E.UNPURSUABLE, {STAFF}, S.UNPURSUABLE, C.ALWAYS, False),
    (S.AWAITING_BUSINESS, E.RESPOND, {REPRESENTATIVE}, S.AWAITING_CONSUMER, C.ALWAYS, False),
    (S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, {SYSTEM}, S.AWAITING_BUSINESS, C.FIRST_NOTICE, True),
    (S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, {SYSTEM}, S.UNANSWERED, C.FINAL_NOTICE, False),
    (S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, {SYSTEM}, S.STAFF_REVIEW, C.LATER_ROUND, False),
    (S.AWAITING_CONSUMER, E.ACCEPT, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    (S.AWAITING_CONSUMER, E.REJECT_ANSWER, {COMPLAINANT}, S.AWAITING_BUSINESS, C.ROUNDS_LEFT, False),
    (S.AWAITING_CONSUMER, E.REJECT_ANSWER, {COMPLAINANT}, S.STAFF_REVIEW, C.NO_ROUNDS_LEFT, False),
    (S.AWAITING_CONSUMER, E.ANSWER_DEADLINE, {SYSTEM}, S.ANSWERED, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.RULE_ANSWERED, {STAFF}, S.ANSWERED, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.RULE_UNRESOLVED, {STAFF}, S.UNRESOLVED, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.RULING_DEADLINE, {SYSTEM}, S.ANSWERED, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.OPEN_MEDIATION, {STAFF}, S.IN_MEDIATION, C.ALWAYS, False),
    (S.IN_MEDIATION, E.MEDIATION_RESOLVED, {STAFF}, S.RESOLVED, C.ALWAYS, False),
    (S.IN_MEDIATION, E.MEDIATION_UNRESOLVED, {STAFF}, S.UNRESOLVED, C.ALWAYS, False),
    (S.UNANSWERED, E.RESPOND, {REPRESENTATIVE}, S.AWAITING_CONSUMER, C.ALWAYS, False),
    (S.ANSWERED, E.ACCEPT, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    # The complainant's moves in every open state.
    (S.AWAITING_BUSINESS, E.MARK_RESOLVED, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    (S.AWAITING_CONSUMER, E.MARK_RESOLVED, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    (S.IN_MEDIATION, E.MARK_RESOLVED, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.MARK_RESOLVED, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    (S.SUBMITTED, E.MARK_RESOLVED, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    (S.AWAITING_BUSINESS, E.WITHDRAW, {COMPLAINANT}, S.WITHDRAWN, C.ALWAYS, False),
    (S.AWAITING_CONSUMER, E.WITHDRAW, {COMPLAINANT}, S.WITHDRAWN, C.ALWAYS, False),
    (S.IN_MEDIATION, E.WITHDRAW, {COMPLAINANT}, S.WITHDRAWN, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.WITHDRAW, {COMPLAINANT}, S.WITHDRAWN, C.ALWAYS, False),
    (S.SUBMITTED, E.WITHDRAW, {COMPLAINANT}, S.WITHDRAWN, C.ALWAYS, False),
    (S.AWAITING_BUSINESS, E.ADD_INFORMATION, {COMPLAINANT}, S.AWAITING_BUSINESS, C.ALWAYS, False),
    (S.AWAITING_CONSUMER, E.ADD_INFORMATION, {COMPLAINANT}, S.AWAITING_CONSUMER, C.ALWAYS, False),
    (S.IN_MEDIATION, E.ADD_INFORMATION, {COMPLAINANT}, S.IN_MEDIATION, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.ADD_INFORMATION, {COMPLAINANT}, S.STAFF_REVIEW, C.ALWAYS, False),
    (S.SUBMITTED, E.ADD_INFORMATION, {COMPLAINANT}, S.SUBMITTED, C.ALWAYS, False),
    # The business adds information where it sees the case and no response is due from it.
    (S.AWAITING_CONSUMER, E.BUSINESS_INFORMATION, {REPRESENTATIVE}, S.AWAITING_CONSUMER, C.ALWAYS, False),
    (S.IN_MEDIATION, E.BUSINESS_INFORMATION, {REPRESENTATIVE}, S.IN_MEDIATION, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.BUSINESS_INFORMATION, {REPRESENTATIVE}, S.STAFF_REVIEW, C.ALWAYS, False),
    # Consent changes in every state; withdrawn after closing, it unpublishes the text.
    (S.ANSWERED, E.CHANGE_CONSENT, {COMPLAINANT}, S.ANSWERED, C.ALWAYS, False),
    (S.AWAITING_BUSINESS, E.CHANGE_CONSENT, {COMPLAINANT}, S.AWAITING_BUSINESS, C.ALWAYS, False),
    (S.AWAITING_CONSUMER, E.CHANGE_CONSENT, {COMPLAINANT}, S.AWAITING_CONSUMER, C.ALWAYS, False),
    (S.IN_MEDIATION, E.CHANGE_CONSENT, {COMPLAINANT}, S.IN_MEDIATION, C.ALWAYS, False),
    (S.REJECTED, E.CHANGE_CONSENT, {COMPLAINANT}, S.REJECTED, C.ALWAYS, False),
    (S.RESOLVED, E.CHANGE_CONSENT, {COMPLAINANT}, S.RESOLVED, C.ALWAYS, False),
    (S.STAFF_REVIEW, E.CHANGE_CONSENT, {COMPLAINANT}, S.STAFF_REVIEW, C.ALWAYS, False),
    (S.SUBMITTED, E.CHANGE_CONSENT, {COMPLAINANT}, S.SUBMITTED, C.ALWAYS, False),
    (S.UNANSWERED, E.CHANGE_CONSENT, {COMPLAINANT}, S.UNANSWERED, C.ALWAYS, False),
    (S.UNPURSUABLE, E.CHANGE_CONSENT, {COMPLAINANT}, S.UNPURSUABLE, C.ALWAYS, False),
    (S.UNRESOLVED, E.CHANGE_CONSENT, {COMPLAINANT}, S.UNRESOLVED, C.ALWAYS, False),
    (S.WITHDRAWN, E.CHANGE_CONSENT, {COMPLAINANT}, S.WITHDRAWN, C.ALWAYS, False),
    # Staff edit the masked text of a published complaint.
    (S.ANSWERED, E.EDIT_PUBLIC_TEXT, {STAFF}, S.ANSWERED, C.ALWAYS, False),
    (S.RESOLVED, E.EDIT_PUBLIC_TEXT, {STAFF}, S.RESOLVED, C.ALWAYS, False),
    (S.UNANSWERED, E.EDIT_PUBLIC_TEXT, {STAFF}, S.UNANSWERED, C.ALWAYS, False),
    (S.UNPURSUABLE, E.EDIT_PUBLIC_TEXT, {STAFF}, S.UNPURSUABLE, C.ALWAYS, False),
    (S.UNRESOLVED, E.EDIT_PUBLIC_TEXT, {STAFF}, S.UNRESOLVED, C.ALWAYS, False),
    (S.ANSWERED, E.PUBLIC_RESPONSE, {REPRESENTATIVE}, S.ANSWERED, C.ALWAYS, False),
    (S.RESOLVED, E.PUBLIC_RESPONSE, {REPRESENTATIVE}, S.RESOLVED, C.ALWAYS, False),
    (S.UNANSWERED, E.PUBLIC_RESPONSE, {REPRESENTATIVE}, S.UNANSWERED, C.ALWAYS, False),
    (S.UNPURSUABLE, E.PUBLIC_RESPONSE, {REPRESENTATIVE}, S.UNPURSUABLE, C.ALWAYS, False),
    (S.UNRESOLVED, E.PUBLIC_RESPONSE, {REPRESENTATIVE}, S.UNRESOLVED, C.ALWAYS, False),
    # Staff reopen any closed complaint, to the open state it closed from.
    (S.ANSWERED, E.REOPEN, {STAFF}, "previous", C.ALWAYS, False),
    (S.REJECTED, E.REOPEN, {STAFF}, "previous", C.ALWAYS, False),
    (S.RESOLVED, E.REOPEN, {STAFF}, "previous", C.ALWAYS, False),
    (S.UNANSWERED, E.REOPEN, {STAFF}, "previous", C.ALWAYS, False),
    (S.UNPURSUABLE, E.REOPEN, {STAFF}, "previous", C.ALWAYS, False),
    (S.UNRESOLVED, E.REOPEN, {STAFF}, "previous", C.ALWAYS, False),
    (S.WITHDRAWN, E.REOPEN, {STAFF}, "previous", C.ALWAYS, False),
]


def as_tuple(row: Transition) -> tuple:
    return (row.source, row.event, set(row.actors), row.target, row.when, row.resets_due)


def key(row: tuple) -> tuple:
    source, event, actors, target, when, resets_due = row
    return (source, event, tuple(sorted(actors)), target, when, resets_due)


# --- the table, row by row ------------------------------------------------------------------------


def test_the_transition_table_is_exactly_the_expected_one():
    actual = [key(as_tuple(row)) for row in TRANSITIONS]
    expected = [key(row) for row in EXPECTED_TRANSITIONS]
    missing = [row for row in expected if row not in actual]
    extra = [row for row in actual if row not in expected]
    assert missing == [], "rows the table lacks"
    assert extra == [], "rows the table should not have"
    assert len(actual) == len(expected) == 71


def test_the_table_lists_the_moves_in_order_for_the_pages():
    # events_for offers actions in table order: the first rows come first, then the open-state moves.
    assert [(row.source, row.event) for row in TRANSITIONS[:4]] == [
        (S.SUBMITTED, E.FORWARD),
        (S.SUBMITTED, E.FORWARD),
        (S.SUBMITTED, E.HOLD),
        (S.SUBMITTED, E.RESUME),
    ]
    assert [row.event for row in TRANSITIONS[24:]] == [E.MARK_RESOLVED] * 5 + [E.WITHDRAW] * 5 + [
        E.ADD_INFORMATION
    ] * 5 + [E.BUSINESS_INFORMATION] * 3 + [E.CHANGE_CONSENT] * 12 + [E.EDIT_PUBLIC_TEXT] * 5 + [
        E.PUBLIC_RESPONSE
    ] * 5 + [E.REOPEN] * 7


def test_a_transition_defaults_to_always_and_keeps_the_due_date():
    row = Transition(S.SUBMITTED, E.REJECT, frozenset({STAFF}), S.REJECTED)
    assert (row.when, row.resets_due) == (C.ALWAYS, False)
    assert PREVIOUS == "previous"


@pytest.mark.parametrize("row", EXPECTED_TRANSITIONS, ids=lambda r: f"{r[0]}-{r[1]}-{r[4]}")
def test_each_expected_row_applies_for_each_of_its_actors_and_no_other(row):
    source, event, actors, target, condition, _ = row
    facts = SATISFYING[condition]
    if target == "previous":
        facts = Facts(reopen_to=S.AWAITING_BUSINESS)
    anyone = set().union(*(r[2] for r in EXPECTED_TRANSITIONS if (r[0], r[1]) == (source, event)))
    for actor in Actor:
        outcome = resolve(source, event, actor, facts)
        if actor in actors:
            assert as_tuple(outcome.transition) == row, actor
            assert outcome.target == (S.AWAITING_BUSINESS if target == "previous" else target)
            assert (outcome.refusal, outcome.message) == (None, "")
        elif actor not in anyone:
            assert outcome.transition is None, actor
            assert outcome.refusal is Refusal.ACTOR_NOT_ALLOWED


def test_every_combination_outside_the_expected_table_is_refused():
    listed = {(source, event, actor) for source, event, actors, *_ in EXPECTED_TRANSITIONS for actor in actors}
    refused = 0
    for state, event, actor in itertools.product(Status.values, Event, Actor):
        if (state, event, actor) in listed:
            continue
        for facts in SATISFYING.values():
            outcome = resolve(state, event, actor, facts)
            assert outcome.transition is None, (state, event, actor)
            assert outcome.target is None
            assert outcome.refusal in (Refusal.NOT_ACCEPTED, Refusal.ACTOR_NOT_ALLOWED)
        refused += 1
    assert refused == 12 * 26 * 4 - 68  # 71 rows, three of them share (state, event, actor) with another


# --- the sets and constants -------------------------------------------------------------------------


def test_open_public_and_private_closed_states():
    assert set(OPEN_STATES) == {S.SUBMITTED, S.AWAITING_BUSINESS, S.AWAITING_CONSUMER, S.STAFF_REVIEW, S.IN_MEDIATION}
    assert set(PUBLIC_CLOSED_STATES) == {S.RESOLVED, S.ANSWERED, S.UNANSWERED, S.UNRESOLVED, S.UNPURSUABLE}
    assert set(PRIVATE_CLOSED_STATES) == {S.REJECTED, S.WITHDRAWN}
    assert set(CLOSED_STATES) == {
        S.RESOLVED,
        S.ANSWERED,
        S.UNANSWERED,
        S.UNRESOLVED,
        S.UNPURSUABLE,
        S.REJECTED,
        S.WITHDRAWN,
    }
    assert INITIAL_STATE == "submitted"


def test_staff_events_and_the_events_that_need_a_reason():
    assert set(STAFF_EVENTS) == {
        E.FORWARD,
        E.HOLD,
        E.RESUME,
        E.REJECT,
        E.UNPURSUABLE,
        E.RULE_ANSWERED,
        E.RULE_UNRESOLVED,
        E.OPEN_MEDIATION,
        E.MEDIATION_RESOLVED,
        E.MEDIATION_UNRESOLVED,
        E.REOPEN,
        E.EDIT_PUBLIC_TEXT,
        E.LINK_BUSINESS,
    }
    assert set(REASON_REQUIRED) == {
        E.REJECT,
        E.UNPURSUABLE,
        E.RULE_ANSWERED,
        E.RULE_UNRESOLVED,
        E.REOPEN,
        E.REJECT_ANSWER,
        E.HOLD,
        E.RESUME,
        E.EDIT_PUBLIC_TEXT,
        E.LINK_BUSINESS,
    }


def test_the_business_gets_two_rounds():
    assert MAX_BUSINESS_ROUNDS == 2


def test_the_event_each_passed_due_date_sends():
    assert DEADLINE_EVENTS == {
        "screening": "forward",
        "business_first": "business_deadline",
        "business_final": "business_deadline",
        "business_rebuttal": "business_deadline",
        "consumer_answer": "answer_deadline",
        "staff_ruling": "ruling_deadline",
        "mediation": None,
    }


def test_whose_move_it_is_in_each_open_state():
    assert WAITING_ON == {
        "submitted": "Redress staff (screening)",
        "awaiting_business": "the business",
        "awaiting_consumer": "the complainant",
        "staff_review": "Redress staff (ruling)",
        "in_mediation": "mediation",
    }


def test_only_a_response_after_unanswered_is_late():
    assert set(LATE_RESPONSE_STATES) == {S.UNANSWERED}


def test_facts_default_to_a_fresh_complaint_against_a_known_business():
    assert {f.name: f.default for f in fields(Facts)} == {
        "response_count": 0,
        "second_notice_sent": False,
        "business_known": True,
        "on_hold": False,
        "complainant_verified": True,
        "reopen_to": None,
    }


# --- each condition's truth table ----------------------------------------------------------------

# Facts under which each condition holds.
SATISFYING = {
    C.ALWAYS: Facts(),
    C.BUSINESS_KNOWN: Facts(business_known=True),
    C.AUTO_FORWARDABLE: Facts(business_known=True, on_hold=False, complainant_verified=True),
    C.NOT_ON_HOLD: Facts(on_hold=False),
    C.ON_HOLD: Facts(on_hold=True),
    C.ROUNDS_LEFT: Facts(response_count=1),
    C.NO_ROUNDS_LEFT: Facts(response_count=2),
    C.FIRST_NOTICE: Facts(response_count=0, second_notice_sent=False),
    C.FINAL_NOTICE: Facts(response_count=0, second_notice_sent=True),
    C.LATER_ROUND: Facts(response_count=1),
}

ALL_FACTS = [
    Facts(
        response_count=responses,
        second_notice_sent=second,
        business_known=known,
        on_hold=held,
        complainant_verified=verified,
    )
    for responses, second, known, held, verified in itertools.product(
        (0, 1, 2, 3), (False, True), (False, True), (False, True), (False, True)
    )
]

# Each condition as a table over the facts it reads: any other fact must not change it.
TRUTH_TABLES = {
    C.ALWAYS: ((), {(): True}),
    C.BUSINESS_KNOWN: (("business_known",), {(False,): False, (True,): True}),
    C.AUTO_FORWARDABLE: (
        ("business_known", "on_hold", "complainant_verified"),
        {
            (False, False, False): False,
            (False, False, True): False,
            (False, True, False): False,
            (False, True, True): False,
            (True, False, False): False,
            (True, False, True): True,
            (True, True, False): False,
            (True, True, True): False,
        },
    ),
    C.NOT_ON_HOLD: (("on_hold",), {(False,): True, (True,): False}),
    C.ON_HOLD: (("on_hold",), {(False,): False, (True,): True}),
    C.ROUNDS_LEFT: (("response_count",), {(0,): True, (1,): True, (2,): False, (3,): False}),
    C.NO_ROUNDS_LEFT: (("response_count",), {(0,): False, (1,): False, (2,): True, (3,): True}),
    C.FIRST_NOTICE: (
        ("response_count", "second_notice_sent"),
        {
            (0, False): True,
            (0, True): False,
            (1, False): False,
            (1, True): False,
            (2, False): False,
            (2, True): False,
            (3, False): False,
            (3, True): False,
        },
    ),
    C.FINAL_NOTICE: (
        ("response_count", "second_notice_sent"),
        {
            (0, False): False,
            (0, True): True,
            (1, False): False,
            (1, True): False,
            (2, False): False,
            (2, True): False,
            (3, False): False,
            (3, True): False,
        },
    ),
    C.LATER_ROUND: (("response_count",), {(0,): False, (1,): True, (2,): True, (3,): True}),
}


@pytest.mark.parametrize("condition", list(Condition))
def test_each_condition_follows_its_truth_table_over_every_fact(condition):
    names, table = TRUTH_TABLES[condition]
    for facts in ALL_FACTS:
        inputs = tuple(getattr(facts, name) for name in names)
        assert condition_holds(condition, facts) is table[inputs], (condition, facts)


def test_an_unknown_condition_is_an_error():
    with pytest.raises(ValueError, match="no_such_condition"):
        condition_holds("no_such_condition", Facts())  # type: ignore[arg-type]


def test_the_business_silent_on_a_rebuttal_after_a_second_notice_goes_to_staff_not_unanswered():
    # Second notice sent, then a response, then silence on the rebuttal: a later round.
    facts = Facts(response_count=1, second_notice_sent=True)
    outcome = resolve(S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, SYSTEM, facts)
    assert (outcome.target, outcome.transition.when) == (S.STAFF_REVIEW, C.LATER_ROUND)
    assert deadline_for(S.AWAITING_BUSINESS, facts) == Deadline(DueKind.BUSINESS_REBUTTAL, "REDRESS_REBUTTAL_DAYS")


# --- resolving a move ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("responses", "target"), [(0, S.AWAITING_BUSINESS), (1, S.AWAITING_BUSINESS), (2, S.STAFF_REVIEW)]
)
def test_a_rejected_answer_goes_to_staff_once_the_business_has_responded_twice(responses, target):
    outcome = resolve(S.AWAITING_CONSUMER, E.REJECT_ANSWER, COMPLAINANT, Facts(response_count=responses))
    assert outcome.target == target


def test_business_silence_sends_a_second_notice_then_closes_as_unanswered():
    first = resolve(S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, SYSTEM, Facts())
    assert first.target == S.AWAITING_BUSINESS and first.transition.resets_due is True
    final = resolve(S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, SYSTEM, Facts(second_notice_sent=True))
    assert final.target == S.UNANSWERED and final.transition.resets_due is False
    later = resolve(S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, SYSTEM, Facts(response_count=1))
    assert later.target == S.STAFF_REVIEW


def test_automatic_forwarding_waits_for_a_verified_email_and_no_hold():
    assert resolve(S.SUBMITTED, E.FORWARD, SYSTEM, Facts()).target == S.AWAITING_BUSINESS
    for facts in (Facts(complainant_verified=False), Facts(on_hold=True), Facts(business_known=False)):
        outcome = resolve(S.SUBMITTED, E.FORWARD, SYSTEM, facts)
        assert outcome == Outcome(
            None,
            None,
            Refusal.CONDITION_FAILED,
            "Only complaints against a known business, not on hold, whose complainant verified their e-mail, "
            "are forwarded automatically.",
        )
    # staff may forward a complaint on hold, but not one whose business is unknown
    assert resolve(S.SUBMITTED, E.FORWARD, STAFF, Facts(on_hold=True)).target == S.AWAITING_BUSINESS
    assert resolve(S.SUBMITTED, E.FORWARD, STAFF, Facts(business_known=False)) == Outcome(
        None,
        None,
        Refusal.CONDITION_FAILED,
        "The business must be linked to a directory entry before it can be forwarded.",
    )


def test_a_complaint_on_hold_cannot_be_held_again():
    assert resolve(S.SUBMITTED, E.HOLD, STAFF, Facts(on_hold=True)) == Outcome(
        None, None, Refusal.CONDITION_FAILED, "The complaint is already on hold."
    )
    assert CONDITION_REFUSALS == {
        C.BUSINESS_KNOWN: "The business must be linked to a directory entry before it can be forwarded.",
        C.AUTO_FORWARDABLE: "Only complaints against a known business, not on hold, whose complainant verified "
        "their e-mail, are forwarded automatically.",
        C.NOT_ON_HOLD: "The complaint is already on hold.",
        C.ON_HOLD: "The complaint is not on hold.",
    }


def test_a_condition_without_its_own_refusal_says_the_move_is_not_possible_now():
    # The three business-deadline rows cover every real count of responses; only an impossible
    # (negative) count fails them all, and gets the general refusal.
    outcome = resolve(S.AWAITING_BUSINESS, E.BUSINESS_DEADLINE, SYSTEM, Facts(response_count=-1))
    assert outcome == Outcome(None, None, Refusal.CONDITION_FAILED, "'business_deadline' is not possible right now.")


def test_reopen_returns_to_the_open_state_it_left_and_needs_one():
    for state in OPEN:
        outcome = resolve(S.ANSWERED, E.REOPEN, STAFF, Facts(reopen_to=state))
        assert (outcome.target, outcome.refusal) == (state, None)
    for reopen_to in (None, S.RESOLVED, "previous"):
        assert resolve(S.ANSWERED, E.REOPEN, STAFF, Facts(reopen_to=reopen_to)) == Outcome(
            None, None, Refusal.CONDITION_FAILED, "There is no open state to reopen it to."
        )


def test_refusals_say_why():
    assert resolve(S.AWAITING_BUSINESS, E.RESPOND, COMPLAINANT, Facts()) == Outcome(
        None, None, Refusal.ACTOR_NOT_ALLOWED, "A complainant may not 'respond' this complaint."
    )
    assert resolve(S.RESOLVED, E.ACCEPT, COMPLAINANT, Facts()) == Outcome(
        None, None, Refusal.NOT_ACCEPTED, "A complaint that is resolved does not accept 'accept'."
    )
    assert resolve(S.STAFF_REVIEW, E.ANSWER_DEADLINE, SYSTEM, Facts()).message == (
        "A complaint that is staff review does not accept 'answer_deadline'."
    )


@pytest.mark.parametrize(
    ("event", "actor"),
    [
        (E.ACCEPT, REPRESENTATIVE),
        (E.ACCEPT, STAFF),
        (E.RULE_ANSWERED, REPRESENTATIVE),
        (E.RULE_UNRESOLVED, COMPLAINANT),
        (E.RULING_DEADLINE, STAFF),
        (E.REOPEN, COMPLAINANT),
        (E.REOPEN, REPRESENTATIVE),
        (E.RESPOND, STAFF),
        (E.ADD_INFORMATION, REPRESENTATIVE),
        (E.BUSINESS_INFORMATION, COMPLAINANT),
        (E.BUSINESS_INFORMATION, STAFF),
    ],
)
def test_parties_cannot_make_each_others_moves(event, actor):
    for state in Status.values:
        facts = Facts(reopen_to=S.STAFF_REVIEW, response_count=1)
        assert resolve(state, event, actor, facts).transition is None, state


def test_the_business_adds_information_only_where_no_response_is_due_from_it():
    assert set(BUSINESS_INFORMATION_STATES) == {S.AWAITING_CONSUMER, S.STAFF_REVIEW, S.IN_MEDIATION}
    for state in (S.AWAITING_CONSUMER, S.STAFF_REVIEW, S.IN_MEDIATION):
        outcome = resolve(state, E.BUSINESS_INFORMATION, REPRESENTATIVE, Facts(response_count=1))
        assert (outcome.target, outcome.transition.resets_due, outcome.refusal) == (state, False, None)
    # While a response is due, what the business writes is its response; before forwarding it does not see the case.
    assert resolve(S.AWAITING_BUSINESS, E.BUSINESS_INFORMATION, REPRESENTATIVE, Facts()) == Outcome(
        None,
        None,
        Refusal.NOT_ACCEPTED,
        "A complaint that is awaiting business does not accept 'business_information'.",
    )
    assert resolve(S.SUBMITTED, E.BUSINESS_INFORMATION, REPRESENTATIVE, Facts()).refusal is Refusal.NOT_ACCEPTED
    for state in CLOSED:
        assert resolve(state, E.BUSINESS_INFORMATION, REPRESENTATIVE, Facts()).refusal is Refusal.NOT_ACCEPTED


def test_a_passed_ruling_date_closes_as_answered_not_unresolved():
    outcome = resolve(S.STAFF_REVIEW, E.RULING_DEADLINE, SYSTEM, Facts())
    assert outcome.target == S.ANSWERED


def test_labels_are_the_states_names_in_lower_case():
    assert [label(state) for state in (S.SUBMITTED, S.STAFF_REVIEW, S.UNANSWERED)] == [
        "submitted",
        "staff review",
        "unanswered",
    ]
    assert label("previous") == "previous"


def test_days_are_calendar_days_by_default():
    start = datetime(2026, 12, 24, 9, 30, tzinfo=UTC)
    assert days_after(start, 3) == datetime(2026, 12, 27, 9, 30, tzinfo=UTC)
    assert days_after(start, 0) == start


# --- what pages offer -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "actor", "facts", "expected"),
    [
        (
            S.AWAITING_CONSUMER,
            COMPLAINANT,
            Facts(response_count=1),
            [E.ACCEPT, E.REJECT_ANSWER, E.MARK_RESOLVED, E.WITHDRAW, E.ADD_INFORMATION, E.CHANGE_CONSENT],
        ),
        (S.RESOLVED, COMPLAINANT, Facts(), [E.CHANGE_CONSENT]),
        (S.ANSWERED, COMPLAINANT, Facts(reopen_to=S.AWAITING_CONSUMER), [E.ACCEPT, E.CHANGE_CONSENT]),
        (S.SUBMITTED, STAFF, Facts(), [E.FORWARD, E.HOLD, E.LINK_BUSINESS, E.REJECT, E.UNPURSUABLE]),
        (
            S.SUBMITTED,
            STAFF,
            Facts(on_hold=True, business_known=False),
            [E.RESUME, E.LINK_BUSINESS, E.REJECT, E.UNPURSUABLE],
        ),
        (S.SUBMITTED, SYSTEM, Facts(), [E.FORWARD]),
        (S.SUBMITTED, SYSTEM, Facts(complainant_verified=False), []),
        (S.AWAITING_BUSINESS, REPRESENTATIVE, Facts(), [E.RESPOND]),
        (S.AWAITING_CONSUMER, REPRESENTATIVE, Facts(response_count=1), [E.BUSINESS_INFORMATION]),
        (S.STAFF_REVIEW, REPRESENTATIVE, Facts(response_count=2), [E.BUSINESS_INFORMATION]),
        (S.IN_MEDIATION, REPRESENTATIVE, Facts(response_count=1), [E.BUSINESS_INFORMATION]),
        (S.SUBMITTED, REPRESENTATIVE, Facts(), []),
        (S.AWAITING_BUSINESS, SYSTEM, Facts(second_notice_sent=True), [E.BUSINESS_DEADLINE]),
        (S.AWAITING_BUSINESS, STAFF, Facts(), [E.UNPURSUABLE]),
        (S.STAFF_REVIEW, STAFF, Facts(), [E.RULE_ANSWERED, E.RULE_UNRESOLVED, E.OPEN_MEDIATION]),
        (S.IN_MEDIATION, STAFF, Facts(), [E.MEDIATION_RESOLVED, E.MEDIATION_UNRESOLVED]),
        (S.UNANSWERED, REPRESENTATIVE, Facts(), [E.RESPOND, E.PUBLIC_RESPONSE]),
        (S.RESOLVED, REPRESENTATIVE, Facts(), [E.PUBLIC_RESPONSE]),
        (S.UNANSWERED, STAFF, Facts(reopen_to=S.AWAITING_BUSINESS), [E.EDIT_PUBLIC_TEXT, E.REOPEN]),
        (S.UNANSWERED, STAFF, Facts(reopen_to=None), [E.EDIT_PUBLIC_TEXT]),
        (S.WITHDRAWN, COMPLAINANT, Facts(), [E.CHANGE_CONSENT]),
    ],
)
def test_pages_offer_exactly_the_moves_the_table_allows(state, actor, facts, expected):
    assert events_for(state, actor, facts) == expected


# --- due dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "facts", "kind", "setting"),
    [
        (S.SUBMITTED, Facts(), "screening", "REDRESS_SCREENING_DAYS"),
        (S.SUBMITTED, Facts(on_hold=True), "", None),
        (S.SUBMITTED, Facts(business_known=False), "", None),
        (S.AWAITING_BUSINESS, Facts(), "business_first", "REDRESS_BUSINESS_RESPONSE_DAYS"),
        (S.AWAITING_BUSINESS, Facts(second_notice_sent=True), "business_final", "REDRESS_SECOND_NOTICE_DAYS"),
        (S.AWAITING_BUSINESS, Facts(response_count=1), "business_rebuttal", "REDRESS_REBUTTAL_DAYS"),
        (
            S.AWAITING_BUSINESS,
            Facts(response_count=1, second_notice_sent=True),
            "business_rebuttal",
            "REDRESS_REBUTTAL_DAYS",
        ),
        (S.AWAITING_CONSUMER, Facts(), "consumer_answer", "REDRESS_CONSUMER_ANSWER_DAYS"),
        (S.AWAITING_CONSUMER, Facts(response_count=2, on_hold=True), "consumer_answer", "REDRESS_CONSUMER_ANSWER_DAYS"),
        (S.STAFF_REVIEW, Facts(), "staff_ruling", "REDRESS_RULING_DAYS"),
        (S.IN_MEDIATION, Facts(), "mediation", "REDRESS_MEDIATION_DAYS"),
        *((state, Facts(), "", None) for state in CLOSED),
        *((state, Facts(on_hold=True, response_count=1), "", None) for state in CLOSED),
    ],
)
def test_each_state_has_its_due_date(state, facts, kind, setting):
    assert deadline_for(state, facts) == Deadline(kind, setting)


@pytest.mark.parametrize(
    ("setting", "default_days"),
    [
        ("REDRESS_SCREENING_DAYS", 2),
        ("REDRESS_BUSINESS_RESPONSE_DAYS", 14),
        ("REDRESS_SECOND_NOTICE_DAYS", 14),
        ("REDRESS_REBUTTAL_DAYS", 14),
        ("REDRESS_CONSUMER_ANSWER_DAYS", 10),
        ("REDRESS_RULING_DAYS", 7),
        ("REDRESS_MEDIATION_DAYS", 30),
    ],
)
def test_each_deadline_setting_has_its_default_days(setting, default_days):
    assert getattr(settings, setting) == default_days


def test_every_open_state_has_a_due_date_and_no_closed_state_has_one():
    assert {state for state in Status.values if deadline_for(state, Facts()).kind != DueKind.NONE} == set(OPEN)
