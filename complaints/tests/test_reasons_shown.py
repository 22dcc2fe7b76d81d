"""Reasons reach people: the history, why a case closed, and the chain's head, on the page and in the API."""

import pytest

from complaints.models import Complaint, Status
from complaints.tests.factories import complaint_in, staff_user
from disputes.services import complaint_staff_act

pytestmark = pytest.mark.django_db

RULING = "The business reinstated the account but kept the earnings without a reason."


@pytest.fixture
def ruled():
    complaint = complaint_in(Status.STAFF_REVIEW)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="rule_unresolved", reason=RULING)
    return Complaint.objects.select_related("business").get(pk=complaint.pk)


def test_the_api_gives_the_parties_the_timeline_with_reasons_hashes_and_why_it_closed(api, ruled):
    body = api(ruled.complainant).get(f"/api/v1/complaints/{ruled.number}/").json()
    timeline = body["timeline"]
    events = list(ruled.events.order_by("created_at", "id"))
    assert [item["kind"] for item in timeline] == [event.event for event in events]
    assert [item["hash"] for item in timeline] == [event.hash for event in events]
    assert body["timeline_head"] == events[-1].hash
    forward = timeline[1]
    assert (forward["kind"], forward["actor"], forward["reason"]) == ("forward", "staff", "Eligible")
    assert forward["text"] == f"Redress staff forwarded the complaint to {ruled.business.name}"
    last = timeline[-1]
    assert (last["kind"], last["actor"], last["reason"]) == ("rule_unresolved", "staff", RULING)
    assert last["text"] == (
        f"Redress staff ruled that {ruled.business.name} made no good-faith effort: closed as Unresolved"
    )
    assert body["closing_summary"] == (
        f"Closed as Unresolved: Redress staff found no good-faith effort by {ruled.business.name}: {RULING[:-1]}."
    )


def test_the_case_page_shows_every_staff_reason_why_it_closed_and_the_head(client, ruled):
    client.force_login(ruled.complainant)
    page = client.get(ruled.get_absolute_url()).content.decode()
    assert f"Closed as Unresolved: Redress staff found no good-faith effort by {ruled.business.name}" in page
    assert RULING in page
    assert ": Eligible</span>" in page  # the forward's reason
    assert f"data-timeline-head>{ruled.timeline_head}<" in page
    assert "rule_unresolved" not in page and "awaiting_business" not in page  # no internal names


def test_the_published_entry_shows_why_it_closed_with_the_ruling_reason_and_the_head(client, api, ruled):
    page = client.get(f"/businesses/{ruled.business.slug}/").content.decode()
    assert f"Closed as Unresolved: Redress staff found no good-faith effort by {ruled.business.name}" in page
    assert RULING[:-1] in page
    assert ruled.timeline_head in page
    entry = api().get(f"/api/v1/businesses/{ruled.business.slug}/complaints/").json()["results"][0]
    assert entry["closing_summary"].startswith("Closed as Unresolved: Redress staff found no good-faith effort")
    assert entry["timeline_head"] == ruled.timeline_head
