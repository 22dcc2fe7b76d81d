"""The accounts API: the business directory, and staff adding businesses and representatives."""

import pytest

from accounts.models import Business, Membership
from accounts.tests.factories import BusinessFactory

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
