"""Filing and answering through the pages share the API's rate limits: the same counter per user.

A refused page says when to retry and keeps what was typed.
"""

import pytest

from complaints.models import Complaint, Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_api import FILING
from complaints.tests.test_views import business_step, consent_step, details_step
from core.tests.api_client import clear_own_cache_keys, client_for
from disputes.models import BusinessInformation, CustomerAnswer

pytestmark = pytest.mark.django_db

REVIEW = "/complaints/new/review/"


@pytest.fixture(autouse=True)
def fresh_counters():
    clear_own_cache_keys()
    yield
    clear_own_cache_keys()


def rates(settings, **changed):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **changed},
    }


def page_filing(client, business):
    business_step(client, business)
    details_step(client)
    consent_step(client)
    return client.post(REVIEW, {"action": "file"})


def test_page_filings_and_api_filings_count_together(client, settings, complainant, business):
    rates(settings, filing="3/hour")
    client.force_login(complainant)
    api = client_for(complainant)
    assert page_filing(client, business).status_code == 302
    assert api.post("/api/v1/complaints/", {**FILING, "business": business.slug}, format="json").status_code == 201
    assert page_filing(client, business).status_code == 302
    refused = page_filing(client, business)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many attempts from here. Please try again in 60 minutes." in page
    assert business.name in page and "Refund the parcel" in page  # the draft is still there
    assert api.post("/api/v1/complaints/", {**FILING, "business": business.slug}, format="json").status_code == 429
    assert Complaint.objects.filter(complainant=complainant).count() == 3
    # The draft was kept: once allowed, the same review files it.
    rates(settings, filing="4/hour")
    assert client.post(REVIEW, {"action": "file"}).status_code == 302
    assert Complaint.objects.filter(complainant=complainant).count() == 4


def test_answer_pages_and_the_api_count_together_and_keep_the_typed_text(client, settings, complainant, business):
    rates(settings, answering="2/hour")
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    client.force_login(complainant)
    url = f"/complaints/{complaint.number}/answer/add_information/"
    assert client.post(url, {"text": "The courier's note.", "confirm": "yes"}).status_code == 302
    api = client_for(complainant)
    answers = f"/api/v1/complaints/{complaint.number}/answers/"
    assert api.post(answers, {"text": "Another detail.", "verdict": "none"}, format="json").status_code == 201
    refused = client.post(url, {"text": "A third detail I typed.", "confirm": "yes"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many attempts from here. Please try again in 60 minutes." in page
    assert "A third detail I typed." in page
    assert CustomerAnswer.objects.filter(complaint=complaint).count() == 2


def test_the_response_page_shares_the_answering_limit(client, settings, business, representative):
    rates(settings, answering="1/hour")
    first = complaint_in(Status.AWAITING_BUSINESS, business=business)
    second = complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    text = "We refunded the order in full today."
    assert client.post(f"/complaints/{first.number}/respond/", {"text": text, "confirm": "yes"}).status_code == 302
    refused = client.post(f"/complaints/{second.number}/respond/", {"text": text, "confirm": "yes"})
    assert refused.status_code == 429 and text in refused.content.decode()
    second.refresh_from_db()
    assert second.status == Status.AWAITING_BUSINESS


def test_asking_for_confirmation_is_not_counted(client, settings, complainant, business):
    rates(settings, answering="1/hour")
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    client.force_login(complainant)
    url = f"/complaints/{complaint.number}/answer/add_information/"
    for _ in range(3):
        assert "Confirm: add information" in client.post(url, {"text": "Some detail."}).content.decode()
    assert client.post(url, {"text": "Some detail.", "confirm": "yes"}).status_code == 302


def test_the_business_information_page_shares_the_answering_limit(client, settings, business, representative):
    rates(settings, answering="1/hour")
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    client.force_login(representative)
    url = f"/complaints/{complaint.number}/business-information/"
    assert client.post(url, {"text": "The payout reference is PO-55812.", "confirm": "yes"}).status_code == 302
    refused = client.post(url, {"text": "A second note I typed.", "confirm": "yes"})
    assert refused.status_code == 429
    assert "A second note I typed." in refused.content.decode()
    assert BusinessInformation.objects.filter(complaint=complaint).count() == 1
