"""The case page's step tracker in Chromium: one row at desktop width, stacked on a phone, axe clean."""

import pytest
from playwright.sync_api import expect

from complaints.models import Status
from complaints.tests.factories import complaint_in

from .conftest import screenshot, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = ["Filed", "Screening", "With the business", "Your answer", "Staff review", "Closed"]


@pytest.mark.parametrize(("width", "height", "name"), [(1280, 900, "desktop"), (390, 844, "phone")])
def test_tracker_reads_in_words_at_desktop_and_phone_sizes(browser, live_server, complainant, width, height, name):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant)
    context = browser.new_context(viewport={"width": width, "height": height})
    sign_in(context, live_server, complainant)
    page = context.new_page()
    page.goto(live_server.url + complaint.get_absolute_url())

    steps = page.locator("[data-tracker] ol > li")
    expect(steps.locator(".tracker-label")).to_have_text(STEPS)
    expect(steps.locator(".tracker-word")).to_have_text(["Done", "Done", "Done", "Done", "Now", "Next"])
    current = page.locator('[data-tracker] [aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Staff review")

    boxes = [steps.nth(i).bounding_box() for i in range(len(STEPS))]
    if name == "desktop":  # one row: every step at the same height, left to right
        assert len({round(b["y"]) for b in boxes}) == 1
        assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    else:  # stacked: one step under the other, none wider than the screen
        assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
        assert len({round(b["y"]) for b in boxes}) == len(STEPS)
        assert all(b["x"] + b["width"] <= width for b in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    screenshot(page, f"complaint-tracker-{name}")
    page.locator("[data-tracker]").screenshot(path=f"/tmp/h11-tracker-{name}.png")
    page.screenshot(path=f"/tmp/h11-case-{name}.png", full_page=False)
    assert serious_violations(page) == []
    context.close()
