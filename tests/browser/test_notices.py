"""In Chromium: the notifications page with its "New" marks and "Mark all read", and a
representative's landing on the dashboard with its rows and figure definitions."""

import pytest
from playwright.sync_api import expect

from complaints.models import Notification, Status
from complaints.tests.factories import complaint_in

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def test_the_notifications_page_marks_new_notices_and_marks_all_read(
    browser, live_server, check_page, complainant, business
):
    complaint = complaint_in(Status.STAFF_REVIEW, complainant=complainant, business=business)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        Notification.objects.filter(user=complainant).update(read_at=None)
        context = browser.new_context(viewport=viewport)
        sign_in(context, live_server, complainant)
        page = context.new_page()
        page.goto(live_server.url + "/notifications/")
        new = page.locator(".notification.unread")
        expect(new).to_have_count(6)
        # In words, not by colour alone: each unread notice says "New".
        expect(new.first).to_contain_text("New")
        expect(new.first).to_contain_text(f"#{complaint.number}: Response rejected: staff will rule")
        expect(new.last).to_contain_text(f"#{complaint.number}: We received your complaint")
        check_page(page, f"notifications-{name}")
        # Shown once, they are read: the next visit shows them plainly, and nothing is left to mark.
        page.goto(live_server.url + "/notifications/")
        expect(page.locator(".notification.read")).to_have_count(6)
        expect(page.locator(".badge--new")).to_have_count(0)
        screenshot(page, f"notifications-read-{name}")
        context.close()

    # Unread notices on another page are marked read by "Mark all read".
    Notification.objects.bulk_create(Notification(user=complainant, message=f"Note {i}", url="/") for i in range(32))
    context = browser.new_context(viewport=DESKTOP)
    sign_in(context, live_server, complainant)
    page = context.new_page()
    page.goto(live_server.url + "/notifications/")
    expect(page.get_by_text("2 more unread on other pages.")).to_be_visible()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("2 notifications marked read.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark all read")).to_have_count(0)
    assert not Notification.objects.filter(user=complainant, read_at__isnull=True).exists()
    context.close()


def test_a_representative_signs_in_to_the_dashboard_and_reads_each_row_and_figure(
    browser, live_server, check_page, business, representative
):
    waiting = complaint_in(Status.AWAITING_BUSINESS, business=business)
    closed = complaint_in(Status.UNANSWERED, business=business)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/signin/")
        page.get_by_label("E-mail").fill(representative.email)
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(live_server.url + "/dashboard/")
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        rows = page.locator("table.cases tbody tr")
        # The move in bold, then what happens if nobody moves (complaints.consequences).
        waiting_move = rows.filter(has_text=f"#{waiting.number}").locator('[data-label="Whose move"]')
        expect(waiting_move.locator("strong")).to_have_text("Yours")
        expect(waiting_move.locator("[data-consequence]")).to_contain_text("If you do not respond by ")
        closed_move = rows.filter(has_text=f"#{closed.number}").locator('[data-label="Whose move"]')
        expect(closed_move.locator("strong")).to_have_text("Closed — you may still respond late")
        expect(closed_move.locator("[data-consequence]")).to_contain_text("You may still respond")
        expect(page.locator(".figure-definition")).to_have_count(4)
        expect(page.get_by_text("Half the first responses came sooner than this")).to_be_visible()
        check_page(page, f"dashboard-{name}")
        context.close()

    # The next-page parameter still wins.
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/signin/?next=/notifications/")
    page.get_by_label("E-mail").fill(representative.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + "/notifications/")
    context.close()
