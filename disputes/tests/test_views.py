"""The pages that add to a complaint's thread: a business response, its information, the complainant's answers.

Each is confirmed before it is applied; only what the case page offers in the complaint's state
can be opened at all.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from complaints.models import Status
from complaints.tests.factories import complaint_in
from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer

pytestmark = pytest.mark.django_db


def respond_url(complaint) -> str:
    return reverse("disputes:respond", kwargs={"number": complaint.number})


def answer_url(complaint, kind: str) -> str:
    return reverse("disputes:answer", kwargs={"number": complaint.number, "kind": kind})


def information_url(complaint) -> str:
    return reverse("disputes:business_information", kwargs={"number": complaint.number})


def test_reject_needs_confirmation_then_goes_back_to_the_business(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    client.force_login(complainant)
    url = reverse("disputes:answer", kwargs={"number": complaint.number, "kind": "reject_answer"})
    first = client.post(url, {"text": "The parcel never arrived."})
    assert "Confirm: reject the answer" in first.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONSUMER
    done = client.post(url, {"text": "The parcel never arrived.", "confirm": "yes"})
    assert done.url == complaint.get_absolute_url()
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS


def test_reject_without_a_reason_shows_the_error(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    client.force_login(complainant)
    url = reverse("disputes:answer", kwargs={"number": complaint.number, "kind": "reject_answer"})
    response = client.post(url, {"text": "", "confirm": "yes"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_representative_responds_and_late_after_unanswered(client, business, representative):
    complaint = complaint_in(Status.UNANSWERED, business=business)
    client.force_login(representative)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Respond late" in page
    url = reverse("disputes:respond", kwargs={"number": complaint.number})
    client.post(url, {"text": "Sorry for the delay; refund issued.", "confirm": "yes"})
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONSUMER and complaint.late_response


def test_the_response_page_asks_then_confirms_then_sends(client, settings, business, representative):
    settings.REDRESS_CONSUMER_ANSWER_DAYS = 8
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    form = client.get(respond_url(complaint))
    assert form.status_code == 200
    page = form.content.decode()
    in_eight_days = f"{(date.today() + timedelta(days=8)):%-d %b %Y}"
    assert "<h1>Respond to the complaint</h1>" in page
    assert f"the complainant has until {in_eight_days} to accept or reject it" in page
    asked = client.post(respond_url(complaint), {"text": "Refund issued today."})
    assert "<h1>Confirm: respond to the complaint</h1>" in asked.content.decode()
    assert not BusinessResponse.objects.exists()
    sent = client.post(respond_url(complaint), {"text": "Refund issued today.", "confirm": "yes"}, follow=True)
    assert sent.redirect_chain == [(complaint.get_absolute_url(), 302)]
    assert "Your response was sent to the complainant." in sent.content.decode()
    response = BusinessResponse.objects.get()
    assert (response.complaint_id, response.author, response.text, response.is_late) == (
        complaint.pk,
        representative,
        "Refund issued today.",
        False,
    )


def test_the_late_response_page_says_it_is_late(client, business, representative):
    complaint = complaint_in(Status.UNANSWERED, business=business)
    client.force_login(representative)
    page = client.get(respond_url(complaint)).content.decode()
    assert "<h1>Respond to the complaint (late)</h1>" in page
    assert "The complaint is marked Unanswered; this response is recorded as late." in page


def test_changing_a_confirmed_message_goes_back_to_the_form(client, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    client.force_login(representative)
    page = client.post(respond_url(complaint), {"text": "Draft", "edit": "1"}).content.decode()
    assert "<h1>Respond to the complaint</h1>" in page and "Draft</textarea>" in page
    assert not BusinessResponse.objects.exists()


def test_the_case_page_offers_the_business_information_where_no_response_is_due(client, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    client.force_login(representative)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert f'action="/complaints/{complaint.number}/business-information/"' in page
    assert "No response is due from you now; what you add goes on the thread and to the complainant." in page
    assert "Continue to send response" not in page
    waiting = complaint_in(Status.AWAITING_BUSINESS, business=business)
    page = client.get(waiting.get_absolute_url()).content.decode()
    assert "Continue to send response" in page and "business-information/" not in page


def test_the_business_information_page_asks_then_confirms_then_adds_it(client, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    due_at = complaint.due_at
    client.force_login(representative)
    form = client.get(information_url(complaint))
    assert form.status_code == 200 and "<h1>Add information</h1>" in form.content.decode()
    asked = client.post(information_url(complaint), {"text": "The courier collected it on 4 May."})
    assert "<h1>Confirm: add information</h1>" in asked.content.decode()
    assert not BusinessInformation.objects.exists()
    done = client.post(
        information_url(complaint), {"text": "The courier collected it on 4 May.", "confirm": "yes"}, follow=True
    )
    assert done.redirect_chain == [(complaint.get_absolute_url(), 302)]
    page = done.content.decode()
    assert "Your information was added and sent to the complainant." in page
    assert "<strong>Gigwork Market</strong> added information" in page
    assert "<p>The courier collected it on 4 May.</p>" in page
    assert "Gigwork Market added information" in page  # the history line
    information = BusinessInformation.objects.get()
    assert (information.complaint_id, information.author, information.text) == (
        complaint.pk,
        representative,
        "The courier collected it on 4 May.",
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.due_at, complaint.response_count) == (Status.AWAITING_CONSUMER, due_at, 1)


def test_business_information_without_text_shows_the_error_and_keeps_nothing(client, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    client.force_login(representative)
    response = client.post(information_url(complaint), {"text": "", "confirm": "yes"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    too_long = client.post(information_url(complaint), {"text": "x" * 10_001, "confirm": "yes"})
    assert too_long.status_code == 400
    assert not BusinessInformation.objects.exists()


def test_the_complainant_sees_the_business_information_on_the_case_page(client, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    client.force_login(representative)
    client.post(information_url(complaint), {"text": "Reference RF-20931.", "confirm": "yes"})
    client.force_login(complainant)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "<strong>Gigwork Market</strong> added information" in page and "<p>Reference RF-20931.</p>" in page
    assert "business-information/" not in page  # not the complainant's to add


# kind, state, the status it leads to, the verdict stored, the event written
ANSWERS = [
    ("accept", Status.AWAITING_CONSUMER, Status.RESOLVED, "accept", "accept"),
    ("mark_resolved", Status.AWAITING_BUSINESS, Status.RESOLVED, "accept", "mark_resolved"),
    ("reject_answer", Status.AWAITING_CONSUMER, Status.AWAITING_BUSINESS, "reject", "reject_answer"),
    ("add_information", Status.AWAITING_BUSINESS, Status.AWAITING_BUSINESS, "none", "add_information"),
]


@pytest.mark.parametrize(("kind", "state", "target", "verdict", "event"), ANSWERS)
def test_each_answer_page_stores_its_verdict_and_moves_the_complaint(
    client, complainant, business, kind, state, target, verdict, event
):
    complaint = complaint_in(state, complainant=complainant, business=business)
    client.force_login(complainant)
    done = client.post(answer_url(complaint, kind), {"text": "Written on the page.", "confirm": "yes"})
    assert done.status_code == 302 and done.url == complaint.get_absolute_url()
    complaint.refresh_from_db()
    answer = CustomerAnswer.objects.get()
    assert (complaint.status, answer.verdict, answer.text) == (target, verdict, "Written on the page.")
    assert complaint.events.order_by("-id").first().event == event


# who, state, the page, (responses, answers) the complaint has and keeps
NOT_OFFERED = [
    ("complainant", Status.AWAITING_BUSINESS, "accept", (0, 0)),  # nothing to accept yet: mark_resolved is offered
    ("complainant", Status.AWAITING_CONSUMER, "mark_resolved", (1, 0)),  # accept is offered instead
    ("complainant", Status.AWAITING_BUSINESS, "reject_answer", (0, 0)),
    ("complainant", Status.RESOLVED, "add_information", (1, 1)),
    ("complainant", Status.AWAITING_CONSUMER, "nonsense", (1, 0)),
    ("complainant", Status.AWAITING_BUSINESS, "respond", (0, 0)),
    ("representative", Status.AWAITING_CONSUMER, "respond", (1, 0)),
    ("representative", Status.AWAITING_CONSUMER, "accept", (1, 0)),
    ("representative", Status.AWAITING_CONSUMER, "add_information", (1, 0)),  # the complainant's page
    ("representative", Status.AWAITING_BUSINESS, "business_information", (0, 0)),  # a response is due
    ("representative", Status.ANSWERED, "business_information", (1, 0)),
    ("complainant", Status.AWAITING_CONSUMER, "business_information", (1, 0)),
]


@pytest.mark.parametrize(("who", "state", "page", "thread"), NOT_OFFERED)
def test_an_action_the_page_does_not_offer_now_is_not_found(
    client, complainant, representative, business, who, state, page, thread
):
    complaint = complaint_in(state, complainant=complainant, business=business)
    client.force_login(complainant if who == "complainant" else representative)
    urls = {"respond": respond_url(complaint), "business_information": information_url(complaint)}
    url = urls.get(page) or answer_url(complaint, page)
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Anything.", "confirm": "yes"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == state
    assert (BusinessResponse.objects.count(), CustomerAnswer.objects.count()) == thread
    assert not BusinessInformation.objects.exists()


def test_the_pages_need_a_signed_in_user(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    for url in (respond_url(complaint), answer_url(complaint, "accept"), information_url(complaint)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/signin/")
