"""The one sentence that says why a case closed, for each way of closing (no database)."""

from datetime import UTC, datetime

import pytest

from complaints.closing import closing_summary

AT = datetime(2026, 12, 11, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "event", "reason", "expected"),
    [
        (
            "resolved",
            "accept",
            "",
            "Closed as Resolved: the complainant accepted the business's answer on 11 Dec 2026.",
        ),
        (
            "resolved",
            "mark_resolved",
            "",
            "Closed as Resolved: the complainant said on 11 Dec 2026 that the issue was resolved.",
        ),
        (
            "resolved",
            "mediation_resolved",
            "Refund paid.",
            "Closed as Resolved: the mediation reached an agreement on 11 Dec 2026: Refund paid.",
        ),
        (
            "answered",
            "answer_deadline",
            "",
            "Closed as Answered: the complainant did not reply to the business's answer by 11 Dec 2026.",
        ),
        (
            "answered",
            "rule_answered",
            "It refunded half and explained the rest",
            "Closed as Answered: Redress staff found a good-faith effort by Gigwork Market: "
            "It refunded half and explained the rest.",
        ),
        (
            "answered",
            "ruling_deadline",
            "No ruling was made by the due date; a rejected answer counts as Answered.",
            "Closed as Answered: no ruling was made by 11 Dec 2026, and a rejected answer counts as Answered.",
        ),
        (
            "unanswered",
            "business_deadline",
            "",
            "Closed as Unanswered: Gigwork Market did not respond by 11 Dec 2026, after a second notice.",
        ),
        (
            "unresolved",
            "rule_unresolved",
            "The account was closed again without a reason",
            "Closed as Unresolved: Redress staff found no good-faith effort by Gigwork Market: "
            "The account was closed again without a reason.",
        ),
        (
            "unresolved",
            "mediation_unresolved",
            "",
            "Closed as Unresolved: Gigwork Market refused or ignored the mediation's outcome.",
        ),
        (
            "unpursuable",
            "unpursuable",
            "Notices bounced",
            "Closed as Unpursuable: Redress could not reach Gigwork Market: Notices bounced.",
        ),
        ("withdrawn", "withdraw", "Settled privately", "Withdrawn by the complainant on 11 Dec 2026."),
    ],
)
def test_each_way_of_closing_reads_as_one_sentence(status, event, reason, expected):
    summary = closing_summary(status=status, event=event, reason=reason, at=AT, business_name="Gigwork Market")
    assert summary == expected


def test_a_rejection_names_its_reason_code_and_an_open_complaint_has_no_summary():
    assert (
        closing_summary(
            status="rejected",
            event="reject",
            reason="Filed twice",
            at=AT,
            business_name="Gigwork Market",
            reject_reason="Duplicate of another complaint",
        )
        == "Not accepted by Redress (Duplicate of another complaint): Filed twice."
    )
    assert closing_summary(status="awaiting_business", event="forward", reason="", at=AT, business_name="X") == ""
