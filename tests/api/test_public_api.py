"""The public record and the directory through the API: masked text only, consent respected."""

import pytest

from accounts.models import Business, Membership
from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Status
from complaints.tests.factories import complaint_in

pytestmark = pytest.mark.django_db


def test_the_directory_searches_listed_businesses(api):
    BusinessFactory(name="Gigwork Market")
    BusinessFactory(name="Harbor Plumbing")
    BusinessFactory(name="Gigwork Hidden", is_listed=False)
    response = api().get("/api/v1/businesses/", {"search": "gigwork"})
    assert response.status_code == 200
    assert [b["name"] for b in response.json()["results"]] == ["Gigwork Market"]


def test_staff_add_a_business_and_a_representative(api, staff, complainant):
    created = api(staff).post(
        "/api/v1/businesses/",
        {"name": "Acme Repairs", "notice_email": "Notices@Acme.example", "category": "Repair", "address": "1 Main St"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "acme-repairs"
    again = api(staff).post("/api/v1/businesses/", {"name": "Acme Repairs", "notice_email": "b@acme.example"})
    assert again.json()["slug"] == "acme-repairs-2"
    assert Business.objects.get(slug="acme-repairs").notice_email == "notices@acme.example"

    url = "/api/v1/businesses/acme-repairs/representatives/"
    added = api(staff).post(url, {"email": complainant.email.upper()}, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["business"] == "acme-repairs"
    assert Membership.objects.filter(user=complainant, business__slug="acme-repairs").exists()
    assert api(staff).post(url, {"email": complainant.email}).status_code == 200
    unknown = api(staff).post(url, {"email": "nobody@example.com"})
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["email"]


def test_a_profile_carries_its_figures_and_definitions(api, business):
    complaint_in(Status.RESOLVED, business=business)
    complaint_in(Status.UNANSWERED, business=business)
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    body = api().get(f"/api/v1/businesses/{business.slug}/").json()
    assert body["name"] == "Gigwork Market"
    assert body["figures"]["total"] == 2
    assert body["figures"]["by_status"]["resolved"] == 1
    assert body["figures"]["by_status"]["unanswered"] == 1
    assert [d["status"] for d in body["status_definitions"]] == [
        "resolved",
        "answered",
        "unanswered",
        "unresolved",
        "unpursuable",
    ]
    assert api().get("/api/v1/businesses/no-such-business/").status_code == 404


def test_published_complaints_are_masked_and_respect_consent(api, business):
    complainant = UserFactory(name="Dana Whitfield")
    description = (
        "Dana Whitfield here. The seller kept my deposit; call me on 555-123-4567 or write to dana@example.com "
        "about order 99887766."
    )
    consented = complaint_in(Status.RESOLVED, complainant=complainant, business=business, description=description)
    private = complaint_in(Status.ANSWERED, business=business, publish_consent=False)
    complaint_in(Status.AWAITING_CONSUMER, business=business)  # open: not published

    response = api().get(f"/api/v1/businesses/{business.slug}/complaints/", {"ordering": "oldest"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["number"] for r in results] == [consented.number, private.number]
    shown = results[0]
    assert shown["status"] == "resolved"
    assert "555-123-4567" not in shown["text"] and "dana@example.com" not in shown["text"]
    assert "Whitfield" not in shown["text"]
    assert "7766" in shown["text"]
    assert [(i["kind"], i["author_role"]) for i in shown["thread"]] == [
        ("response", "representative"),
        ("answer", "complainant"),
    ]
    hidden = results[1]
    assert hidden["text"] is None
    assert all(item["text"] is None for item in hidden["thread"])
    assert "description" not in shown


def test_published_complaints_filter_by_status_and_type(api, business):
    resolved = complaint_in(Status.RESOLVED, business=business)
    complaint_in(Status.UNANSWERED, business=business, type="delivery")
    url = f"/api/v1/businesses/{business.slug}/complaints/"
    assert [r["number"] for r in api().get(url, {"status": "resolved"}).json()["results"]] == [resolved.number]
    assert len(api().get(url, {"type": "delivery"}).json()["results"]) == 1
    assert api().get(url, {"status": "withdrawn"}).json()["results"] == []
