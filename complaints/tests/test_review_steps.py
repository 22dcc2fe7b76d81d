"""The filing review step and the response confirmation show the new fields in words (docs/domain.md)."""

import pytest
from django.urls import reverse

from complaints.models import Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_views import business_step, consent_step, details_step
from disputes.models import BusinessResponse

pytestmark = pytest.mark.django_db


def review_page(client) -> str:
    response = client.get(reverse("complaints:file-step", kwargs={"step": "review"}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_review_step_shows_issue_place_and_the_business_contacted_with_its_ticket(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    moved = details_step(
        client,
        type="account_suspension",
        issue="funds_withheld_after_closure",
        country="US",
        region="Ohio",
        contacted_business="on",
        business_ticket_reference="TCK-4471",
    )
    assert moved.status_code == 302
    consent_step(client)
    html = review_page(client)
    assert "<dt>Issue</dt><dd>Funds withheld after closure</dd>" in html
    assert "<dt>Where you are</dt><dd>United States, Ohio</dd>" in html
    assert "<dt>Contacted the business first</dt><dd>Yes, ticket TCK-4471</dd>" in html


def test_the_review_step_says_what_was_not_given(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    details_step(client)
    consent_step(client)
    html = review_page(client)
    assert "<dt>Issue</dt><dd>—</dd>" in html
    assert "<dt>Where you are</dt><dd>—</dd>" in html
    assert "<dt>Contacted the business first</dt><dd>No</dd>" in html


def shown(html: str, label: str) -> str:
    """The value the confirmation step shows under `label`."""
    start = f'<p class="confirm-label">{label}</p><blockquote class="prose">'
    assert start in html
    return html.split(start, 1)[1].split("</blockquote>", 1)[0]


def test_the_response_confirmation_shows_the_outcome_label_and_the_amount(client, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    url = reverse("disputes:respond", kwargs={"number": complaint.number})
    data = {"text": "Refunded in full.", "outcome": "monetary_relief", "relief_amount": "125.50"}
    asked = client.post(url, data)
    html = asked.content.decode()
    assert "<h1>Confirm: respond to the complaint</h1>" in html
    assert shown(html, "Outcome") == "Closed with monetary relief"
    assert shown(html, "Amount paid or credited") == "125.50 USD"
    assert ">monetary_relief<" not in html
    # The values travel on as hidden fields, and confirming stores them.
    assert '<input type="hidden" name="outcome" value="monetary_relief"' in html
    client.post(url, {**data, "confirm": "yes"})
    response = BusinessResponse.objects.get()
    assert (response.outcome, str(response.relief_amount)) == ("monetary_relief", "125.50")


def test_the_response_confirmation_without_an_amount_shows_only_the_outcome(client, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    url = reverse("disputes:respond", kwargs={"number": complaint.number})
    html = client.post(url, {"text": "We explained the rule.", "outcome": "explanation"}).content.decode()
    assert shown(html, "Outcome") == "Closed with explanation"
    assert "Amount paid or credited" not in html
