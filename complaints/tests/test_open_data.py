"""The open data API: filters, keyset pages, bad parameters, the streamed CSV, trends, and that only
published fields leave (docs/open-data.md)."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.services import complaint_public_response_add
from complaints.tests.factories import complaint_in, representative_of

pytestmark = pytest.mark.django_db

LIST = "/api/v1/open-data/complaints/"
CSV = "/api/v1/open-data/complaints.csv"
TRENDS = "/api/v1/open-data/trends/"


def _filed_days_ago(complaint: Complaint, days: int) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(filed_at=timezone.now() - timedelta(days=days))
    return Complaint.objects.get(pk=complaint.pk)


@pytest.fixture
def published(db):
    """Three published complaints of one business and one open one that must never appear."""
    business = BusinessFactory(name="Gigwork Market")
    first = complaint_in(
        Status.RESOLVED,
        business=business,
        issue="suspended_without_reason",
        country="US",
        region="CA",
        contacted_business=True,
        business_ticket_reference="SUP-55123",
    )
    second = complaint_in(
        Status.ANSWERED,
        business=business,
        issue="funds_withheld_after_closure",
        country="GB",
        region="Scotland",
        publish_consent=False,
    )
    third = complaint_in(Status.UNRESOLVED, business=business, type="delivery", issue="not_delivered", country="US")
    complaint_in(Status.AWAITING_BUSINESS, business=business, issue="appeal_not_answered")
    _filed_days_ago(first, 30)
    _filed_days_ago(second, 20)
    _filed_days_ago(third, 10)
    return [Complaint.objects.get(pk=c.pk) for c in (third, second, first)]  # newest filed first


def test_the_list_gives_published_complaints_newest_filed_first_with_the_cfpb_names(published):
    body = Client().get(LIST).json()
    assert [row["complaint_id"] for row in body["results"]] == [c.number for c in published]
    row = body["results"][2]
    assert row["company"] == "Gigwork Market"
    assert row["product"] == "Account Access or Suspension"
    assert row["issue"] == "Suspended without a stated reason"
    assert row["issue_code"] == "suspended_without_reason"
    assert row["state"] == "CA"
    assert row["country"] == "US"
    assert row["status"] == "resolved"
    assert row["has_narrative"] is True
    assert row["consumer_consent_provided"] == "Consent provided"
    assert row["timely"] == "Yes"
    assert row["closing_summary"].startswith("Closed as Resolved")
    unconsented = body["results"][1]
    assert unconsented["has_narrative"] is False
    assert unconsented["complaint_what_happened"] == ""
    assert body["frm"] is None and body["next"] is None


def test_keyset_pages_follow_on_without_repeats_and_end_with_no_cursor(published):
    client = Client()
    first = client.get(LIST, {"size": 2}).json()
    assert [r["complaint_id"] for r in first["results"]] == [published[0].number, published[1].number]
    assert first["frm"]
    second = client.get(LIST, {"size": 2, "frm": first["frm"]}).json()
    assert [r["complaint_id"] for r in second["results"]] == [published[2].number]
    assert second["frm"] is None
    assert client.get(first["next"]).json()["results"] == second["results"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"product": "delivery"}, [0]),
        ({"product": "Account Access or Suspension"}, [1, 2]),
        ({"issue": "funds_withheld_after_closure"}, [1]),
        ({"state": "scotland"}, [1]),
        ({"country": "us"}, [0, 2]),
        ({"status": "unresolved"}, [0]),
        ({"has_narrative": "false"}, [1]),
        ({"company": "gigwork market"}, [0, 1, 2]),
        ({"company": "Another Shop"}, []),
    ],
)
def test_each_filter_narrows_the_list(published, params, expected):
    body = Client().get(LIST, params).json()
    assert [r["complaint_id"] for r in body["results"]] == [published[i].number for i in expected]


def test_the_date_range_is_half_open(published):
    today = timezone.now().date()
    params = {"date_received_min": (today - timedelta(days=20)).isoformat(), "date_received_max": today.isoformat()}
    body = Client().get(LIST, params).json()
    assert [r["complaint_id"] for r in body["results"]] == [published[0].number, published[1].number]
    # The max day itself is excluded: a range ending on the day of the 10-days-ago complaint misses it.
    params["date_received_max"] = (today - timedelta(days=10)).isoformat()
    body = Client().get(LIST, params).json()
    assert [r["complaint_id"] for r in body["results"]] == [published[1].number]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"size": "0"}, "size"),
        ({"size": "1001"}, "size"),
        ({"size": "many"}, "size"),
        ({"frm": "not-a-cursor"}, "frm"),
        ({"issue": "nothing_like_it"}, "issue"),
        ({"product": "spaceships"}, "product"),
        ({"status": "awaiting_business"}, "status"),
        ({"country": "ZZ"}, "country"),
        ({"has_narrative": "maybe"}, "has_narrative"),
        ({"date_received_min": "01/02/2026"}, "date_received_min"),
        ({"date_received_min": "2026-05-01", "date_received_max": "2026-04-01"}, "date_received_max"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_parameters_answer_400_with_a_message_for_the_field(published, params, field):
    response = Client().get(LIST, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_csv_streams_every_matching_row_with_the_header(published):
    response = Client().get(CSV, {"country": "US"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["complaint_id"] for row in rows] == [published[0].number, published[2].number]
    assert rows[1]["issue"] == "Suspended without a stated reason"
    assert rows[1]["has_narrative"] == "true"


def test_the_csv_reads_in_chunks_and_keeps_the_order(published):
    from complaints.open_data import Filters, open_data_rows

    numbers = [row["complaint_id"] for row in open_data_rows(Filters(), chunk=1)]
    assert numbers == [c.number for c in published]


def test_format_csv_on_the_list_gives_the_same_file(published):
    one = b"".join(Client().get(LIST, {"format": "csv"}).streaming_content)
    other = b"".join(Client().get(CSV).streaming_content)
    assert one == other
    assert one.count(b"\r\n") == 4


def test_trends_count_complaints_per_month_by_dimension(published):
    body = Client().get(TRENDS, {"by": "issue"}).json()
    assert body["by"] == "issue"
    assert len(body["total"]) == 12
    assert sum(month["count"] for month in body["total"]) == 3
    series = {s["value"]: sum(m["count"] for m in s["months"]) for s in body["series"]}
    assert series == {"suspended_without_reason": 1, "funds_withheld_after_closure": 1, "not_delivered": 1}
    assert Client().get(TRENDS, {"by": "colour"}).json()["errors"] == {
        "by": ["Choose one of type, issue, status, business."]
    }
    by_business = Client().get(TRENDS, {"by": "business", "product": "delivery"}).json()
    assert [(s["value"], sum(m["count"] for m in s["months"])) for s in by_business["series"]] == [
        ("Gigwork Market", 1)
    ]


def test_outcomes_and_the_public_response_appear_masked_and_only_with_consent(published):
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=published[0].business)
    rep = representative_of(complaint.business)
    from disputes.services import answer_submit, response_submit

    response_submit(
        complaint_id=complaint.pk,
        author=rep,
        text="We have paid back the fees.",
        outcome="monetary_relief",
        relief_amount=Decimal("45.50"),
    )
    answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Thank you.", verdict="accept")
    complaint_public_response_add(
        complaint_id=complaint.pk, author=rep, text="Call our desk on +1 415 555 0142 with any question."
    )
    row = next(r for r in Client().get(LIST).json()["results"] if r["complaint_id"] == complaint.number)
    assert row["company_response"] == "Closed with monetary relief"
    assert row["relief_amount"] == "45.50"
    assert "Call our desk on" in row["company_public_response"]
    assert "555 0142" not in row["company_public_response"]


def test_the_open_data_is_throttled_per_client_address(published, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "opendata": "2/minute"},
    }
    client = Client()
    assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_no_original_text_or_contact_detail_leaves_through_the_export(db):
    """Crawl the JSON pages and the CSV for everything private about the test data: none of it appears."""
    person = UserFactory(name="Priya Natarajan", email="priya.natarajan@example.com")
    business = BusinessFactory(name="Gigwork Market", notice_email="notices@gigwork.example")
    description = (
        "Priya Natarajan here: my account was suspended on 3 March. Write to priya.natarajan@example.com or "
        "call +1 415 555 0199; I live at 12 Elm Street, Springfield. Order ACC-99812 paid with card "
        "4111 1111 1111 1111 is still held."
    )
    private = complaint_in(
        Status.RESOLVED,
        complainant=person,
        business=business,
        description=description,
        reference="ACC-99812",
        contacted_business=True,
        business_ticket_reference="SUP-55123",
        region="CA",
        country="US",
    )
    unconsented = complaint_in(
        Status.ANSWERED,
        complainant=UserFactory(name="Tomas Berglund", email="tomas.b@example.org"),
        business=business,
        description="Tomas Berglund: my account was closed without a reason and the support line "
        "+1 212 555 0123 never answers. My address is 99 Harbour Road, Portland.",
        publish_consent=False,
    )
    rep = representative_of(business)
    complaint_public_response_add(
        complaint_id=private.pk, author=rep, text="Priya Natarajan, call us on +1 415 555 0177 about this."
    )
    client = Client()
    pages, frm = [], None
    while True:
        body = client.get(LIST, {"size": 1, **({"frm": frm} if frm else {})}).json()
        pages.append(json.dumps(body))
        frm = body["frm"]
        if not frm:
            break
    exported = "\n".join(pages) + b"".join(client.get(CSV).streaming_content).decode()
    assert private.number in exported and unconsented.number in exported
    secrets = [
        description,
        unconsented.description,
        "Priya Natarajan",
        "Natarajan",
        "priya.natarajan@example.com",
        "415 555 0199",
        "555 0199",
        "415 555 0177",
        "12 Elm Street",
        "ACC-99812",
        "SUP-55123",
        "4111 1111 1111 1111",
        "Tomas Berglund",
        "tomas.b@example.org",
        "212 555 0123",
        "99 Harbour Road",
        "notices@gigwork.example",
        person.email,
        rep.email,
        rep.name,
        "1240.00",  # the amount in dispute
        "Release the withheld earnings",  # the outcome wanted, in the complainant's words
    ]
    found = [secret for secret in secrets if secret in exported]
    assert found == []


def test_a_nul_byte_in_the_search_answers_400(published):
    assert Client().get(LIST, {"search_term": "a\x00b"}).status_code == 400
