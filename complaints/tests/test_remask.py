"""`manage.py remask_complaints`: stored masked copies follow today's rules, search follows, staff edits stay."""

import importlib
import io

import pytest
from django.core.management import call_command

from accounts.tests.factories import BusinessFactory
from complaints.models import Complaint, ComplaintEvent, Status
from complaints.services import (
    complaint_public_response_add,
    complaint_public_text_set,
    complaint_refresh_search,
    complaint_remask,
    complaints_remask_page,
)
from complaints.tests.factories import DESCRIPTION, complaint_in, representative_of, staff_user
from disputes.models import BusinessResponse

pytestmark = pytest.mark.django_db

CARD = "My card 4111\u20131111\u20131111\u20131234 was charged twice."
CARD_MASKED = "My card ***************1234 was charged twice."
PHONE = "Call us on 555\u2013010\u20132233, said the seller."
PHONE_MASKED = "Call us on ************, said the seller."


def listed(client, business, q):
    response = client.get(f"/businesses/{business.slug}/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def stored_as_before(complaint, description_masked, response_masked=None):
    """Give a complaint the masked copy that the rules of before (no en dash) wrote, and index it."""
    Complaint.objects.filter(pk=complaint.pk).update(description_masked=description_masked)
    if response_masked is not None:
        BusinessResponse.objects.filter(complaint=complaint).update(text_masked=response_masked)
    complaint_refresh_search(complaint_id=complaint.pk)


@pytest.fixture
def business():
    return BusinessFactory(name="Gigwork Market")


def test_an_old_unmasked_en_dash_card_number_is_masked_again_and_search_no_longer_finds_it(client, business):
    complaint = complaint_in(Status.RESOLVED, business=business, description=f"{DESCRIPTION} {CARD}")
    BusinessResponse.objects.filter(complaint=complaint).update(text=PHONE)
    stored_as_before(complaint, f"{DESCRIPTION} {CARD}", response_masked=PHONE)
    events_before = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("pk", "hash"))
    head_before = Complaint.objects.get(pk=complaint.pk).timeline_head
    assert f"complaint-{complaint.number}" in listed(client, business, "4111")
    assert f"complaint-{complaint.number}" in listed(client, business, "2233")

    out = io.StringIO()
    call_command("remask_complaints", stdout=out, stderr=io.StringIO())

    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.description_masked == f"{DESCRIPTION} {CARD_MASKED}"
    assert stored.description == f"{DESCRIPTION} {CARD}"  # the original is untouched
    assert BusinessResponse.objects.get(complaint=complaint).text_masked == PHONE_MASKED
    assert f"complaint-{complaint.number}" not in listed(client, business, "4111")
    assert f"complaint-{complaint.number}" not in listed(client, business, "2233")
    assert f"complaint-{complaint.number}" in listed(client, business, "charged")
    # The timeline is not rewritten, and no event is added: the originals it speaks of are the same.
    assert list(ComplaintEvent.objects.filter(complaint=complaint).values_list("pk", "hash")) == events_before
    assert stored.timeline_head == head_before
    assert out.getvalue() == "1 complaints with published text read, 1 masked anew.\n"


def test_what_staff_wrote_by_hand_stays_and_the_rest_is_masked_again(business):
    edited = complaint_in(Status.ANSWERED, business=business, description=f"{DESCRIPTION} {CARD}")
    response = BusinessResponse.objects.get(complaint=edited)
    BusinessResponse.objects.filter(pk=response.pk).update(text=PHONE)
    response.text_masked = "Staff wrote this: call 555\u2013010\u20132233."
    complaint_public_text_set(
        complaint_id=edited.pk,
        staff=staff_user(),
        description="Staff wrote this: card 4111\u20131111\u20131111\u20131234.",
        thread=[response],
        reason="Kept the card's brand for the record",
    )
    other = complaint_in(Status.RESOLVED, business=business, description=f"{DESCRIPTION} {CARD}")
    stored_as_before(other, f"{DESCRIPTION} {CARD}")

    call_command("remask_complaints", stdout=io.StringIO(), stderr=io.StringIO())

    assert Complaint.objects.get(pk=edited.pk).description_masked == (
        "Staff wrote this: card 4111\u20131111\u20131111\u20131234."
    )
    assert BusinessResponse.objects.get(pk=response.pk).text_masked == "Staff wrote this: call 555\u2013010\u20132233."
    assert Complaint.objects.get(pk=other.pk).description_masked == f"{DESCRIPTION} {CARD_MASKED}"


def test_a_description_staff_edited_then_had_masked_again_follows_the_rules(business):
    complaint = complaint_in(Status.ANSWERED, business=business, description=f"{DESCRIPTION} {CARD}")
    complaint_public_text_set(
        complaint_id=complaint.pk, staff=staff_user(), description="Edited by staff.", reason="Third party named"
    )
    # Later set back to a machine-masked copy (as `complaint_remask` does), written by the old rules.
    stored_as_before(complaint, f"{DESCRIPTION} {CARD}")

    call_command("remask_complaints", stdout=io.StringIO(), stderr=io.StringIO())

    assert Complaint.objects.get(pk=complaint.pk).description_masked == f"{DESCRIPTION} {CARD_MASKED}"


def test_pages_walk_every_masked_complaint_once_and_a_second_run_changes_nothing(business):
    published = [
        complaint_in(Status.RESOLVED, business=business, description=f"{DESCRIPTION} {CARD}") for _ in range(3)
    ]
    waiting = complaint_in(Status.AWAITING_BUSINESS, business=business, description=f"{DESCRIPTION} {CARD}")
    for complaint in published[:2]:
        stored_as_before(complaint, f"{DESCRIPTION} {CARD}")

    first = complaints_remask_page(after_id=0, size=2)
    assert first is not None
    assert (first.last_id, first.read, first.changed) == (published[1].pk, 2, 2)
    second = complaints_remask_page(after_id=first.last_id, size=2)
    assert second is not None
    assert (second.last_id, second.read, second.changed) == (published[2].pk, 1, 0)
    assert complaints_remask_page(after_id=second.last_id, size=2) is None

    out = io.StringIO()
    call_command("remask_complaints", "--batch-size", "1", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == "3 complaints with published text read, 0 masked anew.\n"
    # A complaint not yet published has no masked copy, and gets none.
    assert Complaint.objects.get(pk=waiting.pk).description_masked == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_on_a_terminal_only(business, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    complaint = complaint_in(Status.RESOLVED, business=business, description=f"{DESCRIPTION} {CARD}")
    stored_as_before(complaint, f"{DESCRIPTION} {CARD}")
    quiet = io.StringIO()
    call_command("remask_complaints", stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""

    stored_as_before(complaint, f"{DESCRIPTION} {CARD}")
    terminal = Terminal()
    call_command("remask_complaints", stdout=io.StringIO(), stderr=terminal)
    shown = terminal.getvalue()
    assert "1/1 complaints (100%), 1 changed, about 0 s left" in shown
    assert shown.endswith("\r" + " " * 78 + "\r")


def test_the_migration_masks_the_stored_copies_again(business):
    complaint = complaint_in(Status.RESOLVED, business=business, description=f"{DESCRIPTION} {CARD}")
    stored_as_before(complaint, f"{DESCRIPTION} {CARD}")
    migration = importlib.import_module("complaints.migrations.0011_remask_published_text")
    migration.remask(None, None)
    assert Complaint.objects.get(pk=complaint.pk).description_masked == f"{DESCRIPTION} {CARD_MASKED}"


# The public response (docs/open-data.md) ---------------------------------------------------------


def test_the_public_response_is_masked_again_and_search_follows_it(client, business):
    complaint = complaint_in(Status.RESOLVED, business=business)
    complaint_public_response_add(
        complaint_id=complaint.pk, author=representative_of(business), text="Glad it is sorted; our desk is open."
    )
    # Found by a word only its public response holds, as soon as it is added.
    assert f"complaint-{complaint.number}" in listed(client, business, "desk")
    # Stored by the rules of before, and indexed so: the en-dash phone number was left readable.
    Complaint.objects.filter(pk=complaint.pk).update(public_response=PHONE, public_response_masked=PHONE)
    complaint_refresh_search(complaint_id=complaint.pk)
    assert f"complaint-{complaint.number}" in listed(client, business, "2233")

    call_command("remask_complaints", stdout=io.StringIO(), stderr=io.StringIO())

    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.public_response_masked == PHONE_MASKED
    assert stored.public_response == PHONE  # the original is untouched
    assert f"complaint-{complaint.number}" not in listed(client, business, "2233")
    assert f"complaint-{complaint.number}" in listed(client, business, "seller")


def test_a_complaint_without_consent_is_not_found_by_its_public_response(client, business):
    complaint = complaint_in(Status.RESOLVED, business=business, publish_consent=False)
    complaint_public_response_add(
        complaint_id=complaint.pk, author=representative_of(business), text="Our desk answered it in full."
    )
    assert f"complaint-{complaint.number}" not in listed(client, business, "desk")


def test_the_explicit_remask_masks_the_public_response_again(business):
    complaint = complaint_in(Status.RESOLVED, business=business)
    complaint_public_response_add(complaint_id=complaint.pk, author=representative_of(business), text="Noted.")
    Complaint.objects.filter(pk=complaint.pk).update(public_response=PHONE, public_response_masked=PHONE)
    complaint_remask(complaint_id=complaint.pk)
    assert Complaint.objects.get(pk=complaint.pk).public_response_masked == PHONE_MASKED
