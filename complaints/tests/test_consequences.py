"""What each party is told happens next, per state and round: pure, no database.

The periods are the defaults (screening 2 days, business 14, second notice 14, new response 14,
complainant's answer 10, ruling 7), set here so the dates below are written out.
"""

from datetime import UTC, datetime

import pytest

from complaints.consequences import (
    Situation,
    action_consequence,
    action_plan,
    due_line,
    reject_consequence,
    reject_help,
    silence_consequence,
)
from complaints.models import DueKind, Status
from complaints.workflow import Actor, Facts

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DUE = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
C, B, S = Actor.COMPLAINANT, Actor.REPRESENTATIVE, Actor.STAFF


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.REDRESS_SCREENING_DAYS = 2
    settings.REDRESS_BUSINESS_RESPONSE_DAYS = 14
    settings.REDRESS_SECOND_NOTICE_DAYS = 14
    settings.REDRESS_REBUTTAL_DAYS = 14
    settings.REDRESS_CONSUMER_ANSWER_DAYS = 10
    settings.REDRESS_RULING_DAYS = 7
    settings.REDRESS_MEDIATION_DAYS = 30


def at(status: str, kind: str = "", due: datetime | None = DUE, **facts: object) -> Situation:
    return Situation(status=status, due_kind=kind, due_at=due, facts=Facts(**facts), business="Gigwork Market")  # type: ignore[arg-type]


SCREENING = at(Status.SUBMITTED, DueKind.SCREENING)
FIRST = at(Status.AWAITING_BUSINESS, DueKind.BUSINESS_FIRST)
FINAL = at(Status.AWAITING_BUSINESS, DueKind.BUSINESS_FINAL, second_notice_sent=True)
REBUTTAL = at(Status.AWAITING_BUSINESS, DueKind.BUSINESS_REBUTTAL, response_count=1)
FIRST_ANSWER = at(Status.AWAITING_CONSUMER, DueKind.CONSUMER_ANSWER, response_count=1)
FINAL_ANSWER = at(Status.AWAITING_CONSUMER, DueKind.CONSUMER_ANSWER, response_count=2)
REVIEW = at(Status.STAFF_REVIEW, DueKind.STAFF_RULING, response_count=2)
MEDIATION = at(Status.IN_MEDIATION, DueKind.MEDIATION, response_count=2)


@pytest.mark.parametrize(
    ("situation", "reader", "expected"),
    [
        (
            SCREENING,
            C,
            "Redress staff screen your complaint by 11 Dec 2026. If they have not acted by then, "
            "it is sent to Gigwork Market.",
        ),
        (
            SCREENING,
            S,
            "Redress staff screen the complaint by 11 Dec 2026. If they have not acted by then, "
            "it is sent to Gigwork Market.",
        ),
        (
            at(Status.SUBMITTED, DueKind.SCREENING, complainant_verified=False),
            C,
            "Redress staff screen your complaint by 11 Dec 2026. It is sent to Gigwork Market only once you "
            "confirm your e-mail address.",
        ),
        (
            at(Status.SUBMITTED, DueKind.SCREENING, business_known=False),
            C,
            "Redress staff screen your complaint by 11 Dec 2026. It is not sent on by itself: Gigwork Market "
            "must first be found in the directory.",
        ),
        (
            at(Status.SUBMITTED, DueKind.NONE, due=None, on_hold=True),
            C,
            "Redress staff have put your complaint on hold while they look into it; nothing happens by itself "
            "until they forward it or close it.",
        ),
        (
            FIRST,
            C,
            "If Gigwork Market does not respond by 11 Dec 2026, Redress sends it a second notice; with no "
            "response by 25 Dec 2026, the complaint closes as Unanswered.",
        ),
        (
            FIRST,
            B,
            "If you do not respond by 11 Dec 2026, Redress sends a second notice; with no response by "
            "25 Dec 2026, the complaint closes as Unanswered on your business's public record.",
        ),
        (
            FINAL,
            B,
            "If you do not respond by 11 Dec 2026, the complaint closes as Unanswered on your business's "
            "public record.",
        ),
        (FINAL, C, "If Gigwork Market does not respond by 11 Dec 2026, the complaint closes as Unanswered."),
        (
            REBUTTAL,
            B,
            "If you do not respond again by 11 Dec 2026, Redress staff will rule on the complaint by 18 Dec 2026.",
        ),
        (
            REBUTTAL,
            C,
            "If Gigwork Market does not respond again by 11 Dec 2026, Redress staff will rule on the complaint "
            "by 18 Dec 2026.",
        ),
        (FIRST_ANSWER, C, "If you do not answer by 11 Dec 2026, the complaint closes as Answered."),
        (FINAL_ANSWER, C, "If you do not answer by 11 Dec 2026, the complaint closes as Answered."),
        (FIRST_ANSWER, B, "If the complainant does not answer by 11 Dec 2026, the complaint closes as Answered."),
        (
            REVIEW,
            C,
            "Redress staff will rule by 11 Dec 2026. If they have not ruled by then, the complaint closes as Answered.",
        ),
        (
            REVIEW,
            B,
            "Redress staff will rule by 11 Dec 2026. If they have not ruled by then, the complaint closes as Answered.",
        ),
        (
            MEDIATION,
            C,
            "The mediation is due to end by 11 Dec 2026. Nothing closes by itself: if it has not ended by then, "
            "Redress staff are reminded and decide what happens.",
        ),
        (
            at(Status.UNANSWERED, due=None),
            B,
            "The complaint closed as Unanswered. You may still respond: your response is recorded as late and "
            "the complainant is asked to answer it.",
        ),
        (at(Status.UNANSWERED, due=None), C, ""),
        (at(Status.ANSWERED, due=None, response_count=1), C, ""),
        (at(Status.RESOLVED, due=None, response_count=1), B, ""),
    ],
)
def test_each_open_state_says_what_happens_if_the_awaited_side_stays_silent(situation, reader, expected):
    assert silence_consequence(situation, reader, now=NOW) == expected


def test_rejecting_the_first_answer_sends_it_back_and_warns_the_next_rejection_goes_to_staff():
    assert reject_consequence(FIRST_ANSWER, now=NOW) == (
        "If you reject this answer, Gigwork Market is asked to respond again by 15 Dec 2026. "
        "If you reject that response too, Redress staff will rule."
    )
    assert reject_help(FIRST_ANSWER) == "Required. Gigwork Market reads this before it responds again."


def test_rejecting_the_final_answer_says_staff_will_rule_by_a_date_and_never_that_the_business_responds_again():
    said = reject_consequence(FINAL_ANSWER, now=NOW)
    assert said == "If you reject this answer, Redress staff will rule by 8 Dec 2026."
    assert "respond" not in said
    assert reject_help(FINAL_ANSWER) == "Required. Gigwork Market and Redress staff read this; staff rule on it."


def test_each_action_says_what_it_leads_to():
    assert action_consequence("respond", FIRST, now=NOW) == (
        "If you respond now, the complainant has until 11 Dec 2026 to accept or reject it."
    )
    assert action_consequence("respond", at(Status.UNANSWERED, due=None, second_notice_sent=True), now=NOW) == (
        "The complaint is marked Unanswered; this response is recorded as late. "
        "If you respond now, the complainant has until 11 Dec 2026 to accept or reject it."
    )
    assert action_consequence("accept", FIRST_ANSWER, now=NOW) == (
        "If you accept this answer, the complaint closes as Resolved."
    )
    assert action_consequence("accept", at(Status.ANSWERED, due=None, response_count=1), now=NOW) == (
        "If you accept this answer, the complaint closes as Resolved."
    )
    assert action_consequence("mark_resolved", SCREENING, now=NOW) == (
        "If you mark it resolved, the complaint closes as Resolved, whatever is still due."
    )
    assert action_consequence("add_information", SCREENING, now=NOW) == (
        "What you add goes on the thread for Redress staff, and for Gigwork Market once it is sent the "
        "complaint; the state and due date stay as they are."
    )
    assert action_consequence("add_information", FIRST, now=NOW) == (
        "What you add goes on the thread for Gigwork Market; the state and due date stay as they are."
    )
    assert action_consequence("withdraw", FIRST, now=NOW) == (
        "If you withdraw the complaint, it closes for good and is not published."
    )


def names(plan) -> list[str]:
    return [action.name for action in plan]


def test_while_screened_adding_information_comes_first_and_marking_resolved_is_never_the_main_action():
    offered = ["mark_resolved", "withdraw", "add_information", "change_consent"]
    plan = action_plan(offered, SCREENING, now=NOW)
    assert names(plan) == ["add_information", "mark_resolved", "change_consent", "withdraw"]
    assert [action.primary for action in plan] == [True, False, False, False]


def test_when_an_answer_is_due_accepting_and_rejecting_come_first():
    offered = ["add_information", "withdraw", "reject_answer", "accept", "change_consent"]
    plan = action_plan(offered, FIRST_ANSWER, now=NOW)
    assert names(plan) == ["accept", "reject_answer", "add_information", "change_consent", "withdraw"]
    assert plan[0].primary and not any(action.primary for action in plan[1:])


def test_the_business_responds_first_and_a_closing_act_alone_is_not_primary():
    assert names(action_plan(["business_information", "respond"], FIRST, now=NOW)) == [
        "respond",
        "business_information",
    ]
    plan = action_plan(["withdraw", "change_consent"], REVIEW, now=NOW)
    assert names(plan) == ["change_consent", "withdraw"] and not any(action.primary for action in plan)


@pytest.mark.parametrize(
    ("situation", "reader", "expected"),
    [
        (FIRST_ANSWER, C, "Your answer due"),
        (FIRST_ANSWER, B, "The complainant's answer due"),
        (FIRST, B, "Your response due"),
        (FIRST, C, "Response from Gigwork Market due"),
        (FINAL, B, "Your response (final notice) due"),
        (REBUTTAL, C, "New response from Gigwork Market due"),
        (SCREENING, C, "Screening by Redress staff due"),
        (REVIEW, C, "Staff ruling due"),
    ],
)
def test_the_due_date_is_named_for_its_reader(situation, reader, expected):
    assert due_line(situation, reader) == expected


AFTER_DUE = datetime(2026, 12, 12, 9, 0, tzinfo=UTC)  # a day after DUE, before the sweep has run


@pytest.mark.parametrize(
    ("situation", "reader", "expected"),
    [
        (
            FIRST_ANSWER,
            C,
            "Your answer was due by 11 Dec 2026; Redress closes the complaint as Answered at its next check.",
        ),
        (
            FIRST_ANSWER,
            B,
            "The complainant's answer was due by 11 Dec 2026; Redress closes the complaint as Answered at its "
            "next check.",
        ),
        (FIRST, B, "Your response was due by 11 Dec 2026; Redress sends a second notice at its next check."),
        (
            FIRST,
            C,
            "The response from Gigwork Market was due by 11 Dec 2026; Redress sends it a second notice at its "
            "next check.",
        ),
        (
            FINAL,
            B,
            "Your response was due by 11 Dec 2026; Redress closes the complaint as Unanswered at its next check.",
        ),
        (
            REBUTTAL,
            C,
            "The response from Gigwork Market was due by 11 Dec 2026; Redress passes the complaint to Redress staff "
            "to rule at its next check.",
        ),
        (REVIEW, C, "The ruling was due by 11 Dec 2026; Redress closes the complaint as Answered at its next check."),
        (
            SCREENING,
            C,
            "Screening of your complaint was due by 11 Dec 2026; Redress sends it to Gigwork Market at its next check.",
        ),
        (
            MEDIATION,
            S,
            "The mediation was due to end by 11 Dec 2026. Nothing closes by itself: Redress staff are reminded and "
            "decide what happens.",
        ),
    ],
)
def test_a_passed_due_date_says_what_the_next_check_does_not_if_you_do_not_by_a_past_day(situation, reader, expected):
    said = silence_consequence(situation, reader, now=AFTER_DUE)
    assert said == expected
    assert "If you do not" not in said


def test_rejecting_an_overdue_answer_says_it_was_due_and_the_next_check_closes_the_complaint():
    # The answer was due on 11 Dec 2026; it is 12 Dec and the sweep has not run yet.
    assert reject_consequence(FIRST_ANSWER, now=AFTER_DUE) == (
        "Your answer was due by 11 Dec 2026, and Redress's next check closes the complaint as Answered. "
        "If you reject this answer before then, Gigwork Market is asked to respond again by 26 Dec 2026. "
        "If you reject that response too, Redress staff will rule."
    )
    assert reject_consequence(FINAL_ANSWER, now=AFTER_DUE) == (
        "Your answer was due by 11 Dec 2026, and Redress's next check closes the complaint as Answered. "
        "If you reject this answer before then, Redress staff will rule by 19 Dec 2026."
    )
    assert action_consequence("reject_answer", FINAL_ANSWER, now=AFTER_DUE) == reject_consequence(
        FINAL_ANSWER, now=AFTER_DUE
    )
