"""The browser experience end to end: filing, the exchange, and who may see what."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import BusinessFactory
from complaints.models import Complaint, Status
from complaints.tests.factories import DESCRIPTION, complaint_in

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def test_sign_up_verify_and_file_a_complaint_in_steps(page, live_server, check_page):
    BusinessFactory.create(name="Gigwork Market", city="Austin")
    BusinessFactory.create(name="Harbor Foods")

    page.goto(live_server.url + "/")
    check_page(page, "home")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail address").fill("dana@example.com")
    page.get_by_label("Your name").fill("Dana Whitfield")
    page.get_by_label("Password").fill("a sturdy passphrase")
    check_page(page, "signup")
    page.get_by_role("button", name="Create account").click()

    # Nobody is signed in until the address is confirmed: the link, opened in this browser, signs in.
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_text("We sent a message to dana@example.com.")).to_be_visible()
    check_page(page, "signup-sent")
    match = re.search(r"https?://[^/\s]+(/accounts/verify/\S+)", str(mail.outbox[0].body))
    assert match
    page.goto(live_server.url + match.group(1))
    expect(page.get_by_text("Welcome to Redress. Your e-mail address is confirmed.")).to_be_visible()
    assert User.objects.get(email="dana@example.com").email_verified_at is not None

    # Step 1: suggestions as you type.
    expect(page.get_by_role("heading", name="The business")).to_be_visible()
    page.get_by_label("Search the directory").fill("gig")
    page.get_by_role("button", name=re.compile("Gigwork Market")).click()
    expect(page.locator("select[name=business]")).to_have_value("gigwork-market")
    check_page(page, "file-1-business")
    page.get_by_role("button", name="Continue").click()

    # Step 2: bad input shows errors beside the fields and keeps what was typed.
    page.get_by_label("Type of complaint").select_option("delivery")
    page.get_by_label("What happened").fill("It never came.")
    page.get_by_role("checkbox", name="Refund", exact=True).check()
    page.get_by_role("checkbox", name="Other", exact=True).check()
    page.get_by_label("Amount in dispute").fill("49.90")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#field-description .errorlist")).to_contain_text("at least 50 characters")
    expect(page.locator("#field-desired_outcome_detail .errorlist")).to_contain_text("Say what outcome you want")
    expect(page.get_by_label("What happened")).to_have_value("It never came.")
    expect(page.get_by_label("Amount in dispute")).to_have_value("49.90")
    expect(page.get_by_label("Type of complaint")).to_have_value("delivery")
    expect(page.get_by_role("checkbox", name="Refund", exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name="Other", exact=True)).to_be_checked()
    check_page(page, "file-2-details-errors")
    page.get_by_label("What happened").fill(DESCRIPTION)
    page.get_by_label("Outcome in your words").fill("Refund of the missing parcel")
    page.get_by_role("button", name="Continue").click()

    # Step 3: consent and affirmations.
    page.get_by_label("Yes, publish the text with my personal details masked").check()
    page.get_by_label("I affirm that the information in this complaint is true and accurate.").check()
    page.get_by_label("I affirm that this matter is not, and has not been, before a court.").check()
    check_page(page, "file-3-consent")
    page.get_by_role("button", name="Continue").click()

    # Review: a renamed executable is refused; then a real image is accepted.
    expect(page.get_by_text("Refund and Other: Refund of the missing parcel")).to_be_visible()
    attach = page.get_by_label("Attachments (optional)")
    attach.set_input_files(
        [{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\0" * 300}]
    )
    page.get_by_role("button", name="File the complaint").click()
    expect(page.locator("#field-attachments .errorlist")).to_contain_text("invoice.pdf is not a PDF, PNG or JPEG")
    check_page(page, "file-4-review-error")
    assert not Complaint.objects.exists()
    attach.set_input_files([{"name": "receipt.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="File the complaint").click()

    complaint = Complaint.objects.get()
    expect(page.locator("[data-case-number]")).to_have_text(complaint.number)
    expect(page.get_by_text("Confirm your e-mail address.")).to_have_count(0)
    check_page(page, "file-5-confirmation")

    # The address is confirmed, so the complaint waits for screening, not for the complainant.
    page.get_by_role("link", name="All my complaints").click()
    expect(page.get_by_role("cell", name="Redress staff (screening)")).to_be_visible()

    page.get_by_role("link", name=f"#{complaint.number}").click()
    expect(page.get_by_role("link", name="receipt.png")).to_be_visible()
    check_page(page, "complaint-submitted")


def _respond(page, text):
    page.get_by_label("Your response").fill(text)
    page.get_by_role("button", name="Continue to send response").click()
    expect(page.get_by_role("heading", name="Confirm: respond to the complaint")).to_be_visible()
    page.get_by_role("button", name="Yes, send the response").click()
    expect(page.get_by_text("Your response was sent")).to_be_visible()


def test_respond_reject_respond_again_and_accept(browser, live_server, complainant, business, representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    url = live_server.url + complaint.get_absolute_url()
    rep_context = browser.new_context(viewport={"width": 1280, "height": 900})
    consumer_context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    sign_in(rep_context, live_server, representative)
    sign_in(consumer_context, live_server, complainant)
    rep, consumer = rep_context.new_page(), consumer_context.new_page()

    rep.goto(live_server.url + "/dashboard/")
    expect(rep.get_by_role("link", name=f"#{complaint.number}")).to_be_visible()
    screenshot(rep, "dashboard")
    rep.get_by_role("link", name=f"#{complaint.number}").click()
    expect(rep.get_by_text(complainant.email)).to_be_visible()  # unmasked for the business
    screenshot(rep, "complaint-representative")
    _respond(rep, "We are sorry. The parcel was lost; we will send a replacement.")

    consumer.goto(url)
    expect(consumer.locator(".state-box")).to_contain_text("Awaiting consumer")
    screenshot(consumer, "complaint-consumer-phone")
    consumer.get_by_label("Why the answer does not settle it").fill("I asked for a refund, not a replacement.")
    consumer.get_by_role("button", name="Reject…").click()
    expect(consumer.get_by_text("I asked for a refund, not a replacement.")).to_be_visible()
    consumer.get_by_role("button", name="Yes, reject the answer").click()
    expect(consumer.locator(".state-box")).to_contain_text("Awaiting business")

    rep.goto(url)
    _respond(rep, "Understood: a full refund of 49.90 USD was issued today.")

    consumer.goto(url)
    consumer.get_by_role("button", name="Accept…").click()
    consumer.get_by_role("button", name="Yes, the complaint is resolved").click()
    expect(consumer.locator(".state-box")).to_contain_text("Resolved")
    thread = consumer.locator(".thread > li")
    expect(thread).to_have_count(4)
    screenshot(consumer, "complaint-resolved-phone")

    rep.goto(url)
    expect(rep.locator(".state-box")).to_contain_text("Resolved")
    expect(rep.get_by_role("button", name="Continue to send response")).to_have_count(0)
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED and complaint.response_count == 2
    rep_context.close()
    consumer_context.close()


def test_a_representative_of_another_business_gets_404(page, context, live_server, business, other_representative):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    sign_in(context, live_server, other_representative)
    response = page.goto(live_server.url + complaint.get_absolute_url())
    assert response.status == 404
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("link", name=f"#{complaint.number}")).to_have_count(0)


def test_main_pages_have_no_serious_accessibility_violations(
    page, context, live_server, check_page, complainant, business, representative
):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    page.goto(live_server.url + "/accounts/signin/")
    check_page(page, "signin")
    page.goto(live_server.url + "/accounts/password-reset/")
    check_page(page, "password-reset")
    sign_in(context, live_server, representative)
    page.goto(live_server.url + "/dashboard/")
    check_page(page, "dashboard-axe")
    page.goto(live_server.url + complaint.get_absolute_url())
    check_page(page, "complaint-representative-axe")
    context.clear_cookies()
    sign_in(context, live_server, complainant)
    page.goto(live_server.url + complaint.get_absolute_url())
    check_page(page, "complaint-complainant")
    page.goto(live_server.url + "/complaints/")
    check_page(page, "my-complaints")
    # Keyboard: the skip link is the first stop and is visible when focused.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
