"""Staff act from the case page with a file, and a file sent with a response reaches the other party."""

import pytest
from playwright.sync_api import expect

from complaints.models import Status
from complaints.tests.factories import complaint_in, staff_user
from complaints.tests.test_services import pdf_bytes

from .conftest import screenshot, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REASON = "In scope: a marketplace withholding a seller's earnings."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_staff_forward_with_a_file_from_the_case_page_then_a_response_file_reaches_the_complainant(
    browser, live_server, complainant, business, representative, tmp_path
):
    complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
    url = live_server.url + complaint.get_absolute_url()
    staff = staff_user()

    # Staff open the case in screening: the actions allowed now, forward first, at both sizes.
    staff_context = browser.new_context(viewport=DESKTOP)
    sign_in(staff_context, live_server, staff)
    page = staff_context.new_page()
    page.goto(url)
    actions = page.locator("[data-staff-actions]")
    expect(actions.get_by_role("heading", level=3).first).to_have_text("Forward to the business")
    expect(page.get_by_text("use the list")).to_have_count(0)
    expect(page.locator("[data-staff-notes]")).to_be_visible()
    screenshot(page, "staff-case")
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    screenshot(page, "staff-case-phone")
    assert serious_violations(page) == []
    page.set_viewport_size(DESKTOP)

    page.locator("#staff_forward_reason").fill(REASON)
    page.get_by_role("button", name="Forward to the business…").click()
    expect(page.get_by_text(REASON)).to_be_visible()
    # The file goes with the act, chosen on the confirmation step as the parties choose theirs.
    page.get_by_label("Files to send with it").set_input_files(
        files=[{"name": "eligibility-check.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    screenshot(page, "staff-forward-with-file")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Yes: forward to the business").click()
    expect(page.locator(".state-box")).to_contain_text("Awaiting business")
    expect(page.locator(".timeline")).to_contain_text(REASON)
    expect(page.locator(".timeline").get_by_role("link", name="eligibility-check.pdf")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_BUSINESS

    # The business responds with a file, chosen on the confirmation step.
    rep_context = browser.new_context(viewport=DESKTOP)
    sign_in(rep_context, live_server, representative)
    rep = rep_context.new_page()
    rep.goto(url)
    rep.locator("#respond_text").fill("The earnings were released today; the statement is attached.")
    rep.get_by_role("button", name="Continue to send response").click()
    rep.get_by_label("Files to send with it").set_input_files(
        files=[{"name": "statement.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    screenshot(rep, "respond-with-file")
    rep.get_by_role("button", name="Yes, send the response").click()
    expect(rep.locator(".thread")).to_contain_text("statement.pdf")

    # The complainant, on a phone, sees it beside the response and downloads it.
    consumer_context = browser.new_context(viewport=PHONE)
    sign_in(consumer_context, live_server, complainant)
    consumer = consumer_context.new_page()
    consumer.goto(url)
    link = consumer.locator(".thread").get_by_role("link", name="statement.pdf")
    expect(link).to_be_visible()
    # Staff's file is listed under the forward in the history.
    expect(consumer.locator(".timeline").get_by_role("link", name="eligibility-check.pdf")).to_be_visible()
    screenshot(consumer, "response-file-phone")
    with consumer.expect_download() as download:
        link.click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == pdf_bytes()
    assert download.value.suggested_filename == "statement.pdf"
    with consumer.expect_download() as staff_file:
        consumer.locator(".timeline").get_by_role("link", name="eligibility-check.pdf").click()
    assert staff_file.value.suggested_filename == "eligibility-check.pdf"
    staff_file.value.save_as(tmp_path / "staff-file.pdf")
    assert (tmp_path / "staff-file.pdf").read_bytes() == pdf_bytes()
    for context in (staff_context, rep_context, consumer_context):
        context.close()
