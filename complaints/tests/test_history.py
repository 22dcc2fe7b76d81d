"""The history's sentences for the information moves: pure, no database."""

from datetime import UTC, datetime

from complaints.history import REASON_SHOWN, event_text
from complaints.workflow import Event

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def sentence(event: str, role: str, status: str = "awaiting_consumer") -> str:
    return event_text(
        event=event,
        actor_role=role,
        from_status=status,
        to_status=status,
        data={"text": "Tracking: 1Z999."},
        at=T0,
        business="Gigwork Market",
    )


def test_information_says_which_side_added_it_and_not_what_it_says():
    assert sentence("add_information", "complainant") == "The complainant added information"
    assert sentence("business_information", "representative") == "Gigwork Market added information"
    assert sentence("business_information", "representative", "staff_review") == "Gigwork Market added information"
    # The text is on the thread; the history shows no reason beside either line.
    assert Event.BUSINESS_INFORMATION not in REASON_SHOWN and Event.ADD_INFORMATION not in REASON_SHOWN
