"""The public pages looked at in Chromium, at desktop and phone width: the directory's search
row, the profile's record and chart, the filing wizard's review step and the icon."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from complaints.models import Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_views import business_step, consent_step, details_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def box(locator) -> dict:
    return locator.evaluate("e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom} }")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_directory_search_button_is_styled_and_level_with_the_fields(page, live_server, check_page, business, size):
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + "/businesses/")
    button, city = page.get_by_role("button", name="Search"), page.get_by_label("City")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 79, 138)"
    # The button sits on the last field's line, as tall as the field.
    assert box(button) == box(city)
    # Nothing runs off the side of the page.
    assert page.evaluate("() => document.documentElement.scrollWidth") == WIDTHS[size]
    check_page(page, f"polish-directory-{size}")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_profile_chart_labels_are_at_least_12_px_and_every_figure_card_is_full(
    page, live_server, check_page, business, size
):
    complaint_in(Status.RESOLVED, business=business)
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + business.get_absolute_url())
    labels = page.locator("figure.monthly-chart text.chart-axis")
    expect(labels.first).to_be_visible()
    # The size each label is drawn at on screen: its CSS font size times the SVG's scale.
    drawn = labels.evaluate_all("ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)")
    assert len(drawn) >= 8 and min(drawn) >= 12, drawn
    # Every label lies inside the page, the value labels too (they hang left of the plot).
    sides = labels.evaluate_all("ts => ts.map(t => [t.getBoundingClientRect().left, t.getBoundingClientRect().right])")
    assert all(left >= 0 and right <= WIDTHS[size] for left, right in sides), sides
    # Five figure cards, each with its name, its value and its definition: no empty cell.
    cards = page.locator("section.complaint-record > .figure-cards > div")
    expect(cards).to_have_count(5)
    assert cards.evaluate_all("cs => cs.map(c => c.querySelectorAll('dt, dd').length)") == [3, 3, 3, 3, 3]
    expect(cards.nth(0).locator("dd.figure-definition")).to_have_text(
        "Complaints closed in a public state in the last 36 months: the list below."
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") == WIDTHS[size]
    check_page(page, f"polish-profile-{size}")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_profile_outcomes_fit_the_page_with_every_card_full(page, live_server, check_page, business, size):
    from complaints.tests.test_figures_outcomes import outcome_record

    outcome_record(business)
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + business.get_absolute_url())
    # Five outcomes and the relief, each with its name, its value and its definition.
    cards = page.locator("section.outcome-figures .figure-cards > div")
    expect(cards).to_have_count(6)
    assert cards.evaluate_all("cs => cs.map(c => c.querySelectorAll('dt, dd').length)") == [3, 3, 3, 3, 3, 3]
    expect(page.locator('[data-figure="relief"]')).to_have_text("20.50 EUR150.25 USD")
    labels = page.locator("figure.outcome-chart text.chart-axis")
    expect(labels).to_have_count(10)
    drawn = labels.evaluate_all("ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)")
    assert min(drawn) >= 12, drawn
    sides = labels.evaluate_all("ts => ts.map(t => [t.getBoundingClientRect().left, t.getBoundingClientRect().right])")
    assert all(left >= 0 and right <= WIDTHS[size] for left, right in sides), sides
    assert page.evaluate("() => document.documentElement.scrollWidth") == WIDTHS[size]
    check_page(page, f"polish-profile-outcomes-{size}")


@pytest.mark.parametrize("size", WIDTHS)
def test_the_review_step_says_optional_once(page, context, live_server, check_page, complainant, business, size):
    client = Client()
    client.force_login(complainant)
    business_step(client, business)
    details_step(client)
    consent_step(client)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}])
    page.set_viewport_size({"width": WIDTHS[size], "height": 900})
    page.goto(live_server.url + "/complaints/new/review/")
    expect(page.locator("label[for=id_attachments]")).to_have_text("Attachments (optional)")
    assert "(optional) (optional)" not in page.inner_text("main")
    check_page(page, f"polish-review-{size}")


def test_the_icon_is_linked_and_served(page, live_server):
    page.goto(live_server.url + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href == "/static/img/favicon.svg"
    icon = page.request.get(live_server.url + "/favicon.ico")  # followed to the SVG
    assert icon.status == 200 and icon.url == live_server.url + "/static/img/favicon.svg"
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text().startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">')
