"""Pages through Django's test client: filing in steps, the complaint page, actions, the dashboard."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.tests.factories import DESCRIPTION, complaint_in

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def business_step(client, business):
    return client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}),
        {"query": business.name, "business": business.slug, "action": "next"},
    )


def details_step(client, **overrides):
    data = {
        "type": "delivery",
        "description": DESCRIPTION,
        "desired_outcome": "refund",
        "desired_outcome_detail": "Refund the parcel",
        "transaction_date": "2026-01-05",
        "amount": "49.90",
        "currency": "usd",
        "reference": "ORD-1",
        "action": "next",
    }
    data.update(overrides)
    return client.post(reverse("complaints:file-step", kwargs={"step": "details"}), data)


def consent_step(client):
    return client.post(
        reverse("complaints:file-step", kwargs={"step": "consent"}),
        {"publish_consent": "yes", "affirm_true": "on", "affirm_not_in_court": "on", "action": "next"},
    )


def test_filing_in_steps_files_the_complaint_with_an_attachment(client, complainant, business):
    client.force_login(complainant)
    assert business_step(client, business).url.endswith("/complaints/new/details/")
    assert details_step(client).url.endswith("/complaints/new/consent/")
    assert consent_step(client).url.endswith("/complaints/new/review/")
    review = client.get(reverse("complaints:file-step", kwargs={"step": "review"}))
    assert business.name in review.content.decode() and "Refund the parcel" in review.content.decode()
    upload = io.BytesIO(PNG)
    upload.name = "receipt.png"
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "review"}), {"action": "file", "attachments": [upload]}
    )
    complaint = Complaint.objects.get(complainant=complainant)
    assert response.url == reverse("complaints:filed", kwargs={"number": complaint.number})
    assert complaint.business == business and complaint.currency == "USD" and complaint.publish_consent
    assert complaint.attachments.get().original_name == "receipt.png"
    done = client.get(response.url)
    assert complaint.number in done.content.decode()


def test_a_renamed_executable_is_refused_beside_the_attachment_field(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    details_step(client)
    consent_step(client)
    upload = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    upload.name = "invoice.pdf"
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "review"}), {"action": "file", "attachments": [upload]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "invoice.pdf is not a PDF, PNG or JPEG file" in page
    assert 'id="id_attachments_errors"' in page
    assert not Complaint.objects.exists()
    # What was typed is still there.
    assert "Refund the parcel" in page


def test_bad_details_show_errors_beside_fields_and_keep_what_was_typed(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    response = details_step(client, description="Too short", desired_outcome="other", desired_outcome_detail="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "at least 50 characters" in page
    assert "Say what outcome you want." in page
    assert "Too short</textarea>" in page
    # Going away and back keeps the draft.
    again = client.get(reverse("complaints:file-step", kwargs={"step": "details"}))
    assert "Too short</textarea>" in again.content.decode()


def test_skipping_ahead_sends_the_user_to_the_first_unfinished_step(client, complainant):
    client.force_login(complainant)
    response = client.get(reverse("complaints:file-step", kwargs={"step": "review"}))
    assert response.url.endswith("/complaints/new/business/")


def test_an_unlisted_business_needs_a_name(client, complainant):
    client.force_login(complainant)
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}), {"not_listed": "on", "action": "next"}
    )
    assert "Give the name of the business." in response.content.decode()
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}),
        {"not_listed": "on", "business_name": "Corner Shop", "business_website": "corner.example", "action": "next"},
    )
    assert response.url.endswith("/details/")


def test_search_without_javascript_lists_matches_in_the_select(client, complainant):
    BusinessFactory.create(name="Acme Plumbing")
    BusinessFactory.create(name="Zeta Foods")
    client.force_login(complainant)
    response = client.post(
        reverse("complaints:file-step", kwargs={"step": "business"}), {"query": "acme", "action": "search"}
    )
    page = response.content.decode()
    assert 'value="acme-plumbing"' in page and "zeta-foods" not in page
    assert "errorlist" not in page


def test_suggestions_endpoint_returns_matching_listed_businesses(client):
    BusinessFactory.create(name="Acme Plumbing")
    BusinessFactory.create(name="Acme Hidden", is_listed=False)
    data = client.get(reverse("complaints:business-suggestions"), {"q": "acm"}).json()
    assert [r["name"] for r in data["results"]] == ["Acme Plumbing"]


def test_my_complaints_lists_status_due_date_and_whose_move(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    other = complaint_in(Status.SUBMITTED)
    client.force_login(complainant)
    page = client.get(reverse("complaints:mine")).content.decode()
    assert complaint.number in page and other.number not in page
    assert "Awaiting business" in page and "The business" in page
    assert complaint.due_at is not None
    assert complaint.due_at.strftime("%-d %b %Y") in page


def test_unverified_complainant_sees_why_the_complaint_waits(client, business):
    user = UserFactory.create(email_verified_at=None)
    complaint = complaint_in(Status.SUBMITTED, complainant=user, business=business)
    client.force_login(user)
    assert "Confirm your e-mail address" in client.get(reverse("complaints:mine")).content.decode()
    assert "not sent to the business" in client.get(complaint.get_absolute_url()).content.decode()


def test_complaint_page_offers_only_what_the_state_allows(client, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    client.force_login(complainant)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Accept the answer" in page and "Reject the answer" in page and "Withdraw the complaint" in page
    assert "Respond to the complaint" not in page
    assert "Waiting on: <strong>you</strong>" in page
    client.force_login(representative)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Respond to the complaint" not in page and "Accept the answer" not in page
    assert complainant.email in page  # the full complaint, unmasked, for the business


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


def test_withdraw_and_consent_change(client, complainant, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client.force_login(complainant)
    client.post(
        reverse("complaints:consent", kwargs={"number": complaint.number}), {"publish_consent": "no", "confirm": "yes"}
    )
    complaint.refresh_from_db()
    assert complaint.publish_consent is False
    client.post(reverse("complaints:withdraw", kwargs={"number": complaint.number}), {"text": "", "confirm": "yes"})
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Withdraw the complaint" not in page


def test_other_users_get_404_on_the_page_actions_and_attachments(client, complainant, business, other_representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client.force_login(other_representative)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("disputes:respond", kwargs={"number": complaint.number}), {"text": "x"}).status_code == 404
    )
    assert client.get(reverse("complaints:attachment", kwargs={"number": complaint.number, "pk": 1})).status_code == 404


def test_attachment_is_served_only_through_the_checked_view(client, complainant, business, other_complainant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.tests.factories import file_complaint

    complaint = file_complaint(
        complainant, business, attachments=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")]
    )
    attachment = complaint.attachments.get()
    url = reverse("complaints:attachment", kwargs={"number": complaint.number, "pk": attachment.pk})
    client.force_login(complainant)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    client.force_login(other_complainant)
    assert client.get(url).status_code == 404


def test_dashboard_shows_own_business_complaints_with_counts_and_filters(client, business, representative):
    mine = complaint_in(Status.AWAITING_BUSINESS, business=business)
    answered = complaint_in(Status.AWAITING_CONSUMER, business=business)
    elsewhere = complaint_in(Status.AWAITING_BUSINESS)
    Complaint.objects.filter(pk=mine.pk).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(representative)
    page = client.get(reverse("complaints:dashboard")).content.decode()
    assert mine.number in page and answered.number in page and elsewhere.number not in page
    assert page.index(mine.number) < page.index(answered.number)  # soonest due first
    assert "Overdue</span>" in page
    assert "Response rate" in page and "50%" in page
    filtered = client.get(reverse("complaints:dashboard"), {"state": "awaiting_consumer"}).content.decode()
    assert answered.number in filtered and mine.number not in filtered
    overdue = client.get(reverse("complaints:dashboard"), {"overdue": "on"}).content.decode()
    assert mine.number in overdue and answered.number not in overdue


def test_the_dashboard_queue_is_read_a_page_at_a_time(client, business, representative, settings):
    from complaints.views import cases

    settings.DEBUG = False
    cases.DASHBOARD_PAGE_SIZE, original = 3, cases.DASHBOARD_PAGE_SIZE
    try:
        complaints = [complaint_in(Status.AWAITING_BUSINESS, business=business) for _ in range(4)]
        for days_left, complaint in enumerate(complaints):
            Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() + timedelta(days=days_left + 1))
        client.force_login(representative)
        first = client.get(reverse("complaints:dashboard")).content.decode()
        second = client.get(reverse("complaints:dashboard"), {"page": 2}).content.decode()
        filtered = client.get(reverse("complaints:dashboard"), {"state": "awaiting_business", "page": 2}).content
    finally:
        cases.DASHBOARD_PAGE_SIZE = original
    assert all(c.number in first for c in complaints[:3]) and complaints[3].number not in first
    assert complaints[3].number in second and complaints[0].number not in second
    assert "Page 1 of 2 (4 complaints)" in first and 'rel="next"' in first
    assert complaints[3].number in filtered.decode()


def test_list_pages_use_a_fixed_number_of_queries(
    client, complainant, business, representative, django_assert_max_num_queries
):
    for _ in range(3):
        complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    client.force_login(complainant)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("complaints:mine")).status_code == 200
    client.force_login(representative)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("complaints:dashboard")).status_code == 200


def test_staff_see_the_complaint_with_a_link_to_admin_actions(client, staff, business):
    complaint = complaint_in(Status.SUBMITTED, business=business)
    client.force_login(staff)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert f"/admin/complaints/complaint/{complaint.pk}/change/" in page
    assert "Withdraw the complaint" not in page


def test_pages_quote_the_configured_deadlines(client, settings):
    settings.REDRESS_BUSINESS_RESPONSE_DAYS = 21
    page = client.get("/").content.decode()
    assert "It has 21 days to respond." in page
