"""Issues, the consumer's place, business outcomes and the one public response, through the API
and the pages (docs/open-data.md, "Issues, place and outcomes")."""

import pytest

from complaints.models import Complaint, Status
from complaints.tests.factories import complaint_in, representative_of
from complaints.tests.test_api import FILING

pytestmark = pytest.mark.django_db


def test_filing_keeps_the_issue_the_place_and_the_contact_with_the_business(api, complainant, business):
    data = {
        **FILING,
        "business": business.slug,
        "issue": "identity_verification_stuck",
        "country": "GB",
        "region": "Scotland",
        "contacted_business": True,
        "business_ticket_reference": "SUP-7781",
    }
    response = api(complainant).post("/api/v1/complaints/", data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["issue"], body["country"], body["region"]) == ("identity_verification_stuck", "GB", "Scotland")
    assert body["contacted_business"] is True
    assert body["business_ticket_reference"] == "SUP-7781"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"issue": "not_delivered"}, "issue", "Choose an issue of the complaint type you chose."),
        ({"issue": "no_such_issue"}, "issue", '"no_such_issue" is not a valid choice.'),
        ({"country": "ZZ"}, "country", '"ZZ" is not a valid choice.'),
    ],
)
def test_an_issue_of_another_type_or_an_unknown_country_is_a_field_error(
    api, complainant, business, extra, field, message
):
    response = api(complainant).post(
        "/api/v1/complaints/", {**FILING, "business": business.slug, **extra}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}
    assert not Complaint.objects.exists()


def test_a_response_carries_its_outcome_and_amount(api, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    rep = representative_of(business)
    url = f"/api/v1/complaints/{complaint.number}/responses/"
    refused = api(rep).post(url, {"text": "We refunded you.", "outcome": "monetary_relief"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"relief_amount": ["Give the amount paid or credited."]}
    refused = api(rep).post(
        url, {"text": "We explained.", "outcome": "explanation", "relief_amount": "5.00"}, format="json"
    )
    assert refused.json()["errors"] == {"relief_amount": ["An amount goes only with monetary relief."]}
    response = api(rep).post(
        url, {"text": "We refunded you.", "outcome": "monetary_relief", "relief_amount": "80.00"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["business_outcome"] == "monetary_relief"
    assert response.json()["relief_amount"] == "80.00"


def test_one_public_response_after_closing_masked_on_the_profile(api, client, business):
    complaint = complaint_in(Status.RESOLVED, business=business)
    rep = representative_of(business)
    url = f"/api/v1/complaints/{complaint.number}/public-response/"
    response = api(rep).post(url, {"text": "Thank you. Reach our desk at help@gigwork.example."}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["public_response"] == "Thank you. Reach our desk at help@gigwork.example."
    again = api(rep).post(url, {"text": "Once more."}, format="json")
    assert again.status_code == 409
    page = client.get(f"/businesses/{business.slug}/").content.decode()
    assert "Public response from the business" in page
    assert "Thank you. Reach our desk at" in page
    assert "help@gigwork.example" not in page
    timeline = [event["kind"] for event in api(rep).get(f"/api/v1/complaints/{complaint.number}/").json()["timeline"]]
    assert timeline[-1] == "public_response"


def test_a_public_response_is_refused_while_open_and_to_the_complainant(api, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    url = f"/api/v1/complaints/{complaint.number}/public-response/"
    assert api(representative_of(business)).post(url, {"text": "Too early."}, format="json").status_code == 409
    closed = complaint_in(Status.RESOLVED, business=business)
    url = f"/api/v1/complaints/{closed.number}/public-response/"
    assert api(closed.complainant).post(url, {"text": "Not mine to add."}, format="json").status_code == 403
