"""The case page's step tracker for each state and viewer: pure planner, no database."""

from datetime import UTC, datetime

import pytest

from complaints.models import Status
from complaints.tracker import Passage, Step, StepState, tracker_steps
from complaints.workflow import Actor

COMPLAINANT, REPRESENTATIVE, STAFF = {Actor.COMPLAINANT}, {Actor.REPRESENTATIVE}, {Actor.STAFF}
DONE, NOW, NEXT = StepState.DONE, StepState.CURRENT, StepState.NEXT


def day(n: int) -> datetime:
    return datetime(2026, 12, n, 9, 0, tzinfo=UTC)


FILED = Passage("file", "submitted", day(1))
HELD = Passage("hold", "submitted", day(2))
FORWARDED = Passage("forward", "awaiting_business", day(3))
SECOND_NOTICE = Passage("business_deadline", "awaiting_business", day(5))
RESPONDED = Passage("respond", "awaiting_consumer", day(6))
REJECTED_1 = Passage("reject_answer", "awaiting_business", day(8))
RESPONDED_2 = Passage("respond", "awaiting_consumer", day(10))
REJECTED_2 = Passage("reject_answer", "staff_review", day(12))
MEDIATION = Passage("open_mediation", "in_mediation", day(14))


def view(steps: list[Step]) -> list[tuple[str, str, str, datetime | None, bool]]:
    return [(s.label, s.state, s.word, s.reached_at, s.here) for s in steps]


def test_being_screened_for_the_complainant() -> None:
    assert view(tracker_steps(Status.SUBMITTED, [FILED, HELD], COMPLAINANT)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", NOW, "Now", day(1), True),
        ("With the business", NEXT, "Next", None, False),
        ("Your answer", NEXT, "Next", None, False),
        ("Closed", NEXT, "Next", None, False),
    ]


def test_with_the_business_for_each_viewer() -> None:
    events = [FILED, FORWARDED, SECOND_NOTICE]
    expected_dates = [day(1), day(1), day(3), None, None]
    assert [(s.label, s.state, s.reached_at) for s in tracker_steps(Status.AWAITING_BUSINESS, events, COMPLAINANT)] == [
        ("Filed", DONE, day(1)),
        ("Screening", DONE, day(1)),
        ("With the business", NOW, day(3)),
        ("Your answer", NEXT, None),
        ("Closed", NEXT, None),
    ]
    for_business = tracker_steps(Status.AWAITING_BUSINESS, events, REPRESENTATIVE)
    assert [s.label for s in for_business] == [
        "Filed",
        "Screening",
        "Your response",
        "The complainant's answer",
        "Closed",
    ]
    assert [s.reached_at for s in for_business] == expected_dates
    assert [s.label for s in tracker_steps(Status.AWAITING_BUSINESS, events, STAFF)] == [
        "Filed",
        "Screening",
        "With the business",
        "The complainant's answer",
        "Closed",
    ]


def test_the_complainants_answer_is_due() -> None:
    steps = tracker_steps(Status.AWAITING_CONSUMER, [FILED, FORWARDED, RESPONDED], COMPLAINANT)
    assert view(steps) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("With the business", DONE, "Done", day(3), False),
        ("Your answer", NOW, "Now", day(6), True),
        ("Closed", NEXT, "Next", None, False),
    ]
    assert [s.label for s in tracker_steps(Status.AWAITING_CONSUMER, [FILED, FORWARDED, RESPONDED], REPRESENTATIVE)][
        3
    ] == "The complainant's answer"


def test_back_with_the_business_after_a_rejected_answer() -> None:
    steps = tracker_steps(Status.AWAITING_BUSINESS, [FILED, FORWARDED, RESPONDED, REJECTED_1], COMPLAINANT)
    assert view(steps) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("With the business", NOW, "Now", day(8), True),
        ("Your answer", NEXT, "Next", None, False),
        ("Closed", NEXT, "Next", None, False),
    ]


def test_staff_review_appears_once_reached() -> None:
    events = [FILED, FORWARDED, RESPONDED, REJECTED_1, RESPONDED_2, REJECTED_2]
    assert view(tracker_steps(Status.STAFF_REVIEW, events, COMPLAINANT)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("With the business", DONE, "Done", day(8), False),
        ("Your answer", DONE, "Done", day(10), False),
        ("Staff review", NOW, "Now", day(12), True),
        ("Closed", NEXT, "Next", None, False),
    ]


def test_mediation_after_staff_review() -> None:
    events = [FILED, FORWARDED, RESPONDED, REJECTED_1, RESPONDED_2, REJECTED_2, MEDIATION]
    assert view(tracker_steps(Status.IN_MEDIATION, events, REPRESENTATIVE)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("Your response", DONE, "Done", day(8), False),
        ("The complainant's answer", DONE, "Done", day(10), False),
        ("Staff review", DONE, "Done", day(12), False),
        ("Mediation", NOW, "Now", day(14), True),
        ("Closed", NEXT, "Next", None, False),
    ]


def test_resolved_through_mediation_keeps_every_step_it_passed() -> None:
    events = [FILED, FORWARDED, RESPONDED, REJECTED_1, RESPONDED_2, REJECTED_2, MEDIATION]
    closed = Passage("mediation_resolved", "resolved", day(20))
    assert view(tracker_steps(Status.RESOLVED, [*events, closed], COMPLAINANT)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("With the business", DONE, "Done", day(8), False),
        ("Your answer", DONE, "Done", day(10), False),
        ("Staff review", DONE, "Done", day(12), False),
        ("Mediation", DONE, "Done", day(14), False),
        ("Closed", DONE, "Done", day(20), True),
    ]


def test_accepted_answer_closes_without_the_occasional_steps() -> None:
    accepted = Passage("accept", "resolved", day(7))
    assert view(tracker_steps(Status.RESOLVED, [FILED, FORWARDED, RESPONDED, accepted], COMPLAINANT)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("With the business", DONE, "Done", day(3), False),
        ("Your answer", DONE, "Done", day(6), False),
        ("Closed", DONE, "Done", day(7), True),
    ]


@pytest.mark.parametrize(
    ("status", "event"),
    [(Status.REJECTED, "reject"), (Status.UNPURSUABLE, "unpursuable"), (Status.WITHDRAWN, "withdraw")],
)
def test_closed_at_screening_shows_only_the_steps_passed(status: str, event: str) -> None:
    assert view(tracker_steps(status, [FILED, Passage(event, status, day(2))], COMPLAINANT)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("Closed", DONE, "Done", day(2), True),
    ]


def test_unanswered_then_a_late_response_reopens_the_answer_step() -> None:
    unanswered = Passage("business_deadline", "unanswered", day(9))
    assert view(tracker_steps(Status.UNANSWERED, [FILED, FORWARDED, SECOND_NOTICE, unanswered], REPRESENTATIVE)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("Your response", DONE, "Done", day(3), False),
        ("Closed", DONE, "Done", day(9), True),
    ]
    late = Passage("respond", "awaiting_consumer", day(11))
    events = [FILED, FORWARDED, SECOND_NOTICE, unanswered, late]
    assert view(tracker_steps(Status.AWAITING_CONSUMER, events, COMPLAINANT)) == [
        ("Filed", DONE, "Done", day(1), False),
        ("Screening", DONE, "Done", day(1), False),
        ("With the business", DONE, "Done", day(3), False),
        ("Your answer", NOW, "Now", day(11), True),
        ("Closed", NEXT, "Next", None, False),
    ]


def test_events_out_of_order_are_read_in_time_order() -> None:
    steps = tracker_steps(Status.AWAITING_CONSUMER, [RESPONDED, FORWARDED, FILED], COMPLAINANT)
    assert [s.reached_at for s in steps] == [day(1), day(1), day(3), day(6), None]
