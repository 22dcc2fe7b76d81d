"""Details every page shares: one "(optional)" per optional field, and the icon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from complaints.models import Status
from complaints.tests.factories import complaint_in
from complaints.tests.test_views import business_step, consent_step, details_step

pytestmark = pytest.mark.django_db

OPTIONAL = '<span class="optional">(optional)</span>'


def labels(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r"<label [^>]*>(.*?)</label>", html, re.S)]


def test_the_review_step_marks_the_attachments_optional_once(client, complainant, business):
    client.force_login(complainant)
    business_step(client, business)
    details_step(client)
    consent_step(client)
    page = client.get(reverse("complaints:file-step", kwargs={"step": "review"})).content.decode()
    assert f"Attachments {OPTIONAL}" in labels(page)
    assert "(optional) (optional)" not in page and page.count("(optional)") == 1


@pytest.mark.parametrize(
    ("state", "url_name", "kwargs", "label"),
    [
        (Status.AWAITING_CONSUMER, "disputes:answer", {"kind": "accept"}, f"Anything to add {OPTIONAL}"),
        (Status.AWAITING_BUSINESS, "disputes:answer", {"kind": "mark_resolved"}, f"How it was resolved {OPTIONAL}"),
        (Status.AWAITING_BUSINESS, "complaints:withdraw", {}, f"Why you are withdrawing {OPTIONAL}"),
    ],
)
def test_each_optional_reason_says_optional_once(client, complainant, business, state, url_name, kwargs, label):
    complaint = complaint_in(state, complainant=complainant, business=business)
    client.force_login(complainant)
    page = client.get(reverse(url_name, kwargs={"number": complaint.number, **kwargs})).content.decode()
    assert label in labels(page)
    assert "(optional) (optional)" not in page


def test_every_page_links_the_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    redirect = client.get("/favicon.ico")
    assert (redirect.status_code, redirect["Location"]) == (301, "/static/img/favicon.svg")
    # served by the live server in tests/browser/test_page_polish.py
    with open(finders.find("img/favicon.svg"), "rb") as icon:
        assert icon.read().startswith(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">')
