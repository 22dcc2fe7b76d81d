"""The staff workbench in Chromium: queues with counts, the ageing chart with its table, and counts
kept a minute that a staff act drops at once."""

import secrets

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from complaints.selectors.staff_queues import VERSION_KEY
from complaints.tests.factories import file_complaint, staff_user

from .conftest import screenshot, serious_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_staff_work_the_screening_queue_and_their_own_act_shows_in_the_counts_at_once(
    browser, live_server, settings, complainant, business
):
    settings.REDRESS_WORKBENCH_CACHE_SECONDS = 60
    # A version of this test's own: the cache outlives a test, and other tests keep counts in it.
    cache.set(VERSION_KEY, secrets.randbelow(2**62), timeout=None)
    first = file_complaint(complainant=complainant, business=business)
    file_complaint(complainant=complainant, business=business)
    staff = staff_user()
    context = browser.new_context(viewport=DESKTOP)
    sign_in(context, live_server, staff)
    page = context.new_page()
    page.goto(live_server.url + "/staff/workbench/")
    expect(page.locator('[data-count="screening"]')).to_have_text("2")
    expect(page.locator("[data-counted-at]")).to_contain_text("Counts and ageing as of")
    expect(page.get_by_role("link", name=f"#{first.number}")).to_be_visible()
    expect(page.get_by_role("heading", name="Ageing of open cases")).to_be_visible()
    screenshot(page, "workbench-desktop")
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    screenshot(page, "workbench-phone")
    assert serious_violations(page) == []
    page.set_viewport_size(DESKTOP)

    # Another complaint filed meanwhile: the list shows it, the kept counts say when they were counted.
    third = file_complaint(complainant=complainant, business=business)
    page.reload()
    expect(page.get_by_role("link", name=f"#{third.number}")).to_be_visible()
    expect(page.locator('[data-count="screening"]')).to_have_text("2")
    expect(page.locator("[data-counted-at]")).to_contain_text("your own acts show at once")

    # Staff forward the first from its case page; back on the workbench the count has moved at once.
    page.goto(live_server.url + first.get_absolute_url())
    page.locator("#staff_forward_reason").fill("In scope: earnings withheld by a marketplace.")
    page.get_by_role("button", name="Forward to the business…").click()
    page.get_by_role("button", name="Yes: forward to the business").click()
    expect(page.locator(".state-box")).to_contain_text("Awaiting business")
    page.goto(live_server.url + "/staff/workbench/")
    expect(page.locator('[data-count="screening"]')).to_have_text("2")
    expect(page.get_by_role("link", name=f"#{first.number}")).to_have_count(0)
    screenshot(page, "workbench-after-forward")
    context.close()
