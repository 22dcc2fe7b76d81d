"""The main pages work under the strict Content-Security-Policy, and Chromium reports no violation.

Chromium writes every refused script, style, image or connection to the console; the tests
collect the console and fail on any such message (a listener added with a script of our own
would itself be subject to the policy).
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import UserFactory
from complaints.models import Status
from complaints.tests.factories import complaint_in

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIOLATION = "Content Security Policy"


@pytest.fixture
def console(page):
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    return messages


def visit(page, console, url: str, name: str) -> None:
    console.clear()
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    # Every script and style has loaded, so any violation has been reported. The admin's pages load a
    # dozen files through the test server: on a loaded machine that outlasts the 10 s default.
    page.wait_for_load_state("networkidle", timeout=30_000)
    screenshot(page, f"csp-{name}")
    problems = [m for m in console if VIOLATION in m or m.startswith("error:")]
    assert problems == [], f"{name}: {problems}"


def test_the_console_shows_a_refused_inline_script(page, live_server, console):
    # The check below is only worth something if a violation does reach the console.
    page.goto(live_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any(VIOLATION in m for m in console), console


def test_public_pages_and_the_chart_work_without_a_violation(page, live_server, console, business):
    complaint_in(Status.RESOLVED, business=business)
    visit(page, console, live_server.url + "/", "home")
    visit(page, console, live_server.url + "/businesses/", "directory")
    expect(page.get_by_role("link", name="Gigwork Market")).to_be_visible()
    visit(page, console, live_server.url + business.get_absolute_url(), "profile")
    expect(page.locator("figure.monthly-chart svg")).to_be_visible()
    # The bars are drawn, and coloured by the stylesheet (an unstyled SVG rect is black).
    bars = page.locator("rect.chart-bar")
    assert bars.evaluate_all("rects => rects.filter(r => r.getBBox().height > 0).length") >= 1
    assert bars.first.evaluate("r => getComputedStyle(r).fill") == "rgb(47, 93, 138)"
    visit(page, console, live_server.url + "/accounts/signin/", "signin")


def test_complainant_pages_and_the_filing_wizard_work_without_a_violation(
    page, context, live_server, console, complainant, business
):
    complaint = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    sign_in(context, live_server, complainant)
    visit(page, console, live_server.url + "/complaints/", "my-complaints")
    visit(page, console, live_server.url + complaint.get_absolute_url(), "case")
    expect(page.locator("[data-case-number]")).to_have_text(complaint.number)
    visit(page, console, live_server.url + "/notifications/", "notifications")
    visit(page, console, live_server.url + "/accounts/data/", "your-data")

    # The wizard's suggestions come from a fetch (connect-src 'self'); its form posts (form-action 'self').
    visit(page, console, live_server.url + "/complaints/new/", "file-business")
    page.get_by_label("Search the directory").fill("gig")
    page.get_by_role("button", name=re.compile("Gigwork Market")).click()
    expect(page.locator("select[name=business]")).to_have_value("gigwork-market")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="What happened")).to_be_visible()
    assert [m for m in console if VIOLATION in m or m.startswith("error:")] == []
    screenshot(page, "csp-file-details")


def test_dashboard_and_admin_work_without_a_violation(page, context, live_server, console, representative, business):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    sign_in(context, live_server, representative)
    visit(page, console, live_server.url + "/dashboard/", "dashboard")
    expect(page.get_by_role("link", name=f"#{complaint.number}")).to_be_visible()
    context.clear_cookies()
    admin = UserFactory(email="admin@redress.example", name="Alex Admin", is_staff=True, is_superuser=True)
    sign_in(context, live_server, admin)
    visit(page, console, live_server.url + "/admin/complaints/complaint/", "admin-changelist")
    expect(page.get_by_role("link", name=complaint.number, exact=True)).to_be_visible()
    # The admin's own scripts run: ticking the header box selects every row.
    page.locator("#action-toggle").check()
    expect(page.get_by_text("1 of 1 selected")).to_be_visible()
    visit(page, console, live_server.url + f"/admin/complaints/complaint/{complaint.pk}/change/", "admin-change")
    visit(page, console, live_server.url + "/admin/accounts/user/", "admin-users")


def test_the_api_documentation_pages_render_under_their_policy(page, live_server, console):
    visit(page, console, live_server.url + "/api/docs/", "swagger")
    expect(page.get_by_role("heading", name=re.compile("Redress API"))).to_be_visible()
    console.clear()
    page.goto(live_server.url + "/api/redoc/")
    # Redoc lays out the whole document before its heading shows: allow it time on a loaded machine.
    expect(page.get_by_role("heading", name=re.compile(r"Redress API \(1\.0\.0\)"))).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle", timeout=30_000)
    # Redoc's document is many screens tall: a whole-page capture of it can outlast the timeout on a
    # loaded machine, and the first screen shows what this test is about.
    screenshot(page, "csp-redoc", full_page=False)
    # Redoc's footer logo comes from its makers' site; the policy refuses it, and nothing else.
    refused = [m for m in console if VIOLATION in m]
    assert all("https://cdn.redoc.ly/" in m for m in refused), refused


def test_a_complainant_deletes_the_account_from_the_data_page(page, context, live_server, console, complainant):
    complaint = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant)
    sign_in(context, live_server, complainant)
    visit(page, console, live_server.url + "/accounts/data/", "data-page")
    page.get_by_label("Your password").fill("correct horse battery")
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account was deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    screenshot(page, "csp-account-deleted")
    assert not User.objects.get(pk=complainant.pk).is_active
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN
