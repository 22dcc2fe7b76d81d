"""The case page's "what happens next" in Chromium, as each party, at desktop and phone widths; axe clean."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from complaints.models import Status
from complaints.tests.factories import complaint_in, representative_of
from disputes.services import answer_submit, response_submit

from .conftest import screenshot, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1280, 900, "desktop"), (390, 844, "phone")]


def day(after: int) -> str:
    return f"{(date.today() + timedelta(days=after)):%-d %b %Y}"


def final_answer_due(complainant, business):
    """The business's second response is in: the complainant's answer is the last before staff rule."""
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    answer_submit(complaint_id=complaint.pk, author=complainant, text="The funds are still held.", verdict="reject")
    response_submit(complaint_id=complaint.pk, author=representative_of(business), text="Held under our terms.")
    return complaint


def open_case(browser, live_server, user, complaint, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    sign_in(context, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + complaint.get_absolute_url())
    return context, page


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_the_complainant_reads_what_the_final_rejection_leads_to(
    browser, live_server, complainant, business, width, height, name
):
    complaint = final_answer_due(complainant, business)
    context, page = open_case(browser, live_server, complainant, complaint, width, height)

    expect(page.locator("[data-next]")).to_have_text(
        f"What happens next: If you do not answer by {day(10)}, the complaint closes as Answered."
    )
    reject = page.locator('[data-consequence="reject_answer"]')
    expect(reject).to_have_text(f"If you reject this answer, Redress staff will rule by {day(7)}.")
    expect(reject).to_be_visible()
    # The answer the state waits for comes first: accepting, then rejecting.
    blocks = page.locator(".actions-section [data-consequence]")
    first_two = [blocks.nth(i).get_attribute("data-consequence") for i in range(2)]
    assert first_two == ["accept", "reject_answer"]
    box = reject.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    reject.scroll_into_view_if_needed()
    screenshot(page, f"complaint-consequences-complainant-{name}")
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize(("width", "height", "name"), SIZES)
def test_the_business_reads_what_silence_leads_to(
    browser, live_server, complainant, business, representative, width, height, name
):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    context, page = open_case(browser, live_server, representative, complaint, width, height)

    expect(page.locator("[data-next]")).to_have_text(
        f"What happens next: If you do not respond by {day(14)}, Redress sends a second notice; with no "
        f"response by {day(28)}, the complaint closes as Unanswered on your business's public record."
    )
    expect(page.locator('[data-consequence="respond"]')).to_have_text(
        f"If you respond now, the complainant has until {day(10)} to accept or reject it."
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"complaint-consequences-business-{name}")
    assert serious_violations(page) == []
    context.close()


def test_the_staff_case_view_reads_in_the_third_person_and_stays_axe_clean(browser, live_server, staff, business):
    complaint = complaint_in(Status.SUBMITTED, business=business)
    context, page = open_case(browser, live_server, staff, complaint, 1280, 900)
    expect(page.locator("[data-next]")).to_have_text(
        f"What happens next: Redress staff screen the complaint by {day(2)}. If they have not acted by then, "
        "it is sent to Gigwork Market."
    )
    screenshot(page, "complaint-consequences-staff-desktop")
    assert serious_violations(page) == []
    context.close()
