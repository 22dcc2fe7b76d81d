"""How the case page words the exchange: pure, on unsaved rows."""

from datetime import UTC, datetime, timedelta

from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer
from disputes.presentation import ThreadEntry, thread_entries

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def test_each_item_says_who_did_what_by_its_kind_lateness_and_verdict():
    items = [
        BusinessResponse(round=1, is_late=False, text="We will refund.", created_at=T0),
        CustomerAnswer(verdict="reject", text="Nothing came.", created_at=T0 + timedelta(days=1)),
        BusinessResponse(round=2, is_late=True, text="Sent again.", created_at=T0 + timedelta(days=2)),
        CustomerAnswer(verdict="none", text="Tracking number 12.", created_at=T0 + timedelta(days=3)),
        BusinessInformation(text="Courier booked.", created_at=T0 + timedelta(days=4)),
        CustomerAnswer(verdict="accept", text="", created_at=T0 + timedelta(days=5)),
    ]
    assert thread_entries(items, business_name="Gigwork Market") == [
        ThreadEntry(True, "Gigwork Market", "responded", T0, "We will refund."),
        ThreadEntry(False, "The complainant", "rejected the answer", T0 + timedelta(days=1), "Nothing came."),
        ThreadEntry(True, "Gigwork Market", "responded (late)", T0 + timedelta(days=2), "Sent again."),
        ThreadEntry(False, "The complainant", "added information", T0 + timedelta(days=3), "Tracking number 12."),
        ThreadEntry(True, "Gigwork Market", "added information", T0 + timedelta(days=4), "Courier booked."),
        ThreadEntry(False, "The complainant", "accepted", T0 + timedelta(days=5), ""),
    ]


def test_an_empty_exchange_has_no_entries():
    assert thread_entries([], business_name="Gigwork Market") == []


def test_the_complainant_reads_their_own_entries_as_you():
    answer = CustomerAnswer(text="Still held.", verdict="reject", created_at=T0)
    assert thread_entries([answer], business_name="Gigwork Market", to_complainant=True) == [
        ThreadEntry(False, "You", "rejected the answer", T0, "Still held.")
    ]
