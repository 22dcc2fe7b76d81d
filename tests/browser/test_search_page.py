"""The search page in Chromium, signed out: search across businesses from the header, filter, and
follow a result to its entry on the business's profile; desktop and phone, axe clean
(docs/domain.md, "Search")."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import BusinessFactory
from complaints.models import Status
from complaints.tests.factories import complaint_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("width", "height", "size"), [(1280, 900, "desktop"), (390, 844, "phone")])
def test_a_visitor_searches_across_businesses_and_opens_an_entry(page, live_server, check_page, width, height, size):
    market = BusinessFactory(name="Gigwork Market", slug="gigwork-market")
    shop = BusinessFactory(name="Parcel Shop", slug="parcel-shop")
    held = complaint_in(
        Status.RESOLVED,
        business=market,
        description="The escrow was frozen. Escrow support said the escrow would clear in a week; it did not.",
    )
    parcel = complaint_in(
        Status.ANSWERED,
        business=shop,
        type="delivery",
        description="My parcel never arrived although the payment left escrow on the first of the month.",
    )
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/")
    if size == "phone" and page.get_by_role("button", name=re.compile("Menu", re.I)).count():
        page.get_by_role("button", name=re.compile("Menu", re.I)).click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search complaints", level=1)).to_be_visible()
    page.get_by_label("Search for").fill("escrow")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=escrow"))
    results = page.locator("[data-result]")
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_have_attribute("data-result", held.number)
    expect(results.nth(1)).to_have_attribute("data-result", parcel.number)
    expect(page.get_by_text("2 complaints found.")).to_be_visible()
    check_page(page, f"search-results-{size}")

    page.get_by_label("Type of complaint").select_option(label=str(parcel.get_type_display()))
    page.get_by_role("button", name="Search", exact=True).click()
    expect(results).to_have_count(1)
    page.get_by_role("link", name=f"Complaint {parcel.number} against Parcel Shop").click()
    expect(page).to_have_url(
        re.compile(rf"/businesses/parcel-shop/\?complaint={parcel.number}#complaint-{parcel.number}")
    )
    expect(page.get_by_role("heading", name=f"Complaint {parcel.number}")).to_be_visible()
    check_page(page, f"search-entry-{size}")


def test_bad_dates_show_a_form_error(page, live_server, check_page):
    page.goto(live_server.url + "/search/?q=escrow&date_received_min=2026-05-02&date_received_max=2026-05-01")
    expect(page.get_by_role("link", name="Filed before: Give a day after the first one.")).to_be_visible()
    check_page(page, "search-form-error")
