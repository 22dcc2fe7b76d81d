"""The Data page in Chromium, signed out: filter to Account Access or Suspension in the last 12
months, download the CSV and open it (docs/open-data.md)."""

import csv
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import BusinessFactory
from complaints.models import Complaint, Status
from complaints.tests.factories import complaint_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signed_out_visitor_filters_the_data_page_and_downloads_the_matching_csv(page, live_server, check_page):
    business = BusinessFactory(name="Gigwork Market")
    recent = complaint_in(
        Status.RESOLVED, business=business, issue="suspended_without_reason", country="US", region="CA"
    )
    old = complaint_in(Status.RESOLVED, business=business, issue="appeal_not_answered")
    Complaint.objects.filter(pk=old.pk).update(filed_at=timezone.now() - timedelta(days=400))
    other_type = complaint_in(Status.ANSWERED, business=business, type="delivery", issue="not_delivered")

    page.goto(live_server.url + "/data/")
    expect(page.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    page.get_by_label("Type of complaint").select_option(label="Account Access or Suspension")
    year_ago = (timezone.now() - timedelta(days=365)).date().isoformat()
    page.get_by_label("Filed on or after").fill(year_ago)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"/data/\?product=account_suspension&.*date_received_min={year_ago}"))
    expect(page.locator("[data-download-csv]")).to_have_attribute(
        "href", f"/api/v1/open-data/complaints.csv?product=account_suspension&date_received_min={year_ago}"
    )
    # The chart's table alternative counts the one matching complaint.
    expect(page.locator(".figures-table caption")).to_have_text("By type of complaint, over the same 12 months")
    expect(page.get_by_role("row", name="Account Access or Suspension 1")).to_be_visible()
    check_page(page, "open-data-filtered")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    path = info.value.path()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["complaint_id"] for row in rows] == [recent.number]
    assert rows[0]["product"] == "Account Access or Suspension"
    assert rows[0]["issue"] == "Suspended without a stated reason"
    assert rows[0]["state"] == "CA"
    assert other_type.number not in {row["complaint_id"] for row in rows}
