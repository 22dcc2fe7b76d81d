"""Published text stays in step: staff edits and consent withdrawn after closing reach search at once."""

import pytest

from accounts.tests.factories import BusinessFactory
from complaints.models import Complaint, Status
from complaints.services import complaint_public_text_set, complaint_set_consent
from complaints.tests.factories import DESCRIPTION, complaint_in, staff_user
from core.errors import InvalidInput, InvalidTransition, NotAllowed

pytestmark = pytest.mark.django_db


def listed(client, business, q):
    response = client.get(f"/businesses/{business.slug}/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def api_numbers(client, business, search):
    response = client.get(f"/api/v1/businesses/{business.slug}/complaints/", {"search": search})
    assert response.status_code == 200
    return [item["number"] for item in response.json()["results"]]


@pytest.fixture
def business():
    return BusinessFactory(name="Gigwork Market")


def test_staff_edit_replaces_the_masked_text_and_search_follows(client, business):
    complaint = complaint_in(
        Status.ANSWERED, business=business, description=DESCRIPTION + " Tangerines were mentioned."
    )
    assert f"complaint-{complaint.number}" in listed(client, business, "tangerines")
    assert api_numbers(client, business, "tangerines") == [complaint.number]

    event = complaint_public_text_set(
        complaint_id=complaint.pk,
        staff=staff_user(),
        description="The seller's account was suspended and earnings held; apricots were promised.",
        reason="Removed a detail that identifies a third party",
    )
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.description_masked == "The seller's account was suspended and earnings held; apricots were promised."
    assert stored.description == DESCRIPTION + " Tangerines were mentioned."  # the original is untouched
    assert (event.event, event.actor_role, event.reason) == (
        "edit_public_text",
        "staff",
        "Removed a detail that identifies a third party",
    )
    assert (event.from_status, event.to_status) == (Status.ANSWERED, Status.ANSWERED)
    assert f"complaint-{complaint.number}" not in listed(client, business, "tangerines")
    assert api_numbers(client, business, "tangerines") == []
    assert api_numbers(client, business, "apricots") == [complaint.number]
    assert stored.timeline_head == event.hash


def test_only_staff_edit_published_text_with_a_reason_and_only_when_published(business):
    complaint = complaint_in(Status.ANSWERED, business=business)
    with pytest.raises(NotAllowed):
        complaint_public_text_set(complaint_id=complaint.pk, staff=complaint.complainant, description="x", reason="y")
    with pytest.raises(InvalidInput) as refused:
        complaint_public_text_set(complaint_id=complaint.pk, staff=staff_user(), description="New text", reason="")
    assert refused.value.field_errors == {"reason": ["A reason is required."]}
    with pytest.raises(InvalidInput) as empty:
        complaint_public_text_set(complaint_id=complaint.pk, staff=staff_user(), description="  ", reason="Why")
    assert empty.value.field_errors == {"description": ["Write the published text."]}
    open_complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    with pytest.raises(InvalidTransition):
        complaint_public_text_set(complaint_id=open_complaint.pk, staff=staff_user(), description="New", reason="Why")


def test_consent_withdrawn_after_closing_unpublishes_the_text_and_its_search_entry_at_once(client, business):
    complaint = complaint_in(Status.RESOLVED, business=business, description=DESCRIPTION + " Marmalade was spilled.")
    assert api_numbers(client, business, "marmalade") == [complaint.number]
    assert "Marmalade was spilled." in listed(client, business, "")

    event = complaint_set_consent(complaint_id=complaint.pk, user=complaint.complainant, publish_consent=False)
    assert (event.event, event.from_status, event.to_status) == ("change_consent", Status.RESOLVED, Status.RESOLVED)
    assert api_numbers(client, business, "marmalade") == []
    page = listed(client, business, "")
    assert "Marmalade was spilled." not in page
    assert f"complaint-{complaint.number}" in page  # the entry stays, with type, dates and status only
    entry = client.get(f"/api/v1/businesses/{business.slug}/complaints/").json()["results"][0]
    assert (entry["number"], entry["text"]) == (complaint.number, None)
    assert all(item["text"] is None for item in entry["thread"])

    complaint_set_consent(complaint_id=complaint.pk, user=complaint.complainant, publish_consent=True)
    assert api_numbers(client, business, "marmalade") == [complaint.number]
