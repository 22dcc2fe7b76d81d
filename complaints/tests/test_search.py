"""Search across businesses: ranking, filters, masking, pages, bad parameters and the query count
(docs/domain.md, "Search"; docs/api.md, "Search")."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.search import CANDIDATES, candidate_ids, search_from
from complaints.tests.factories import complaint_in

pytestmark = pytest.mark.django_db

API = "/api/v1/complaints/search/"
PAGE = "/search/"


def _filed_days_ago(complaint: Complaint, days: int) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(filed_at=timezone.now() - timedelta(days=days))
    return Complaint.objects.get(pk=complaint.pk)


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [result["number"] for result in response.json()["results"]]


@pytest.fixture
def record(db):
    """Published complaints of two businesses that mention "escrow" 3, 1 and 2 times, a published one
    without the word against a business named for it, one unconsented, and one still open."""
    market = BusinessFactory(name="Gigwork Market", slug="gigwork-market")
    shop = BusinessFactory(name="Parcel Shop", slug="parcel-shop")
    named = BusinessFactory(name="Escrowly Payments", slug="escrowly-payments")
    three = complaint_in(
        Status.RESOLVED,
        business=market,
        issue="funds_withheld_after_closure",
        description="The escrow was frozen. Escrow support said the escrow would clear in a week; it did not.",
    )
    one = complaint_in(
        Status.ANSWERED,
        business=shop,
        type="delivery",
        issue="not_delivered",
        description="My parcel never arrived although the payment left escrow on the first of the month.",
    )
    two = complaint_in(
        Status.UNRESOLVED,
        business=market,
        issue="appeal_not_answered",
        description="They kept my escrow after closing the account. My appeal about the escrow is unanswered.",
    )
    by_name = complaint_in(
        Status.RESOLVED,
        business=named,
        issue="suspended_without_reason",
        description="The account was suspended without any reason given and the balance is held.",
    )
    hidden = complaint_in(
        Status.RESOLVED,
        business=shop,
        type="delivery",
        description="The escrow refund went to the wrong card and nobody answers.",
        publish_consent=False,
    )
    still_open = complaint_in(
        Status.AWAITING_BUSINESS,
        business=market,
        description="The escrow is held and they will not say why, nor when it will be released.",
    )
    _filed_days_ago(three, 40)
    _filed_days_ago(one, 30)
    _filed_days_ago(two, 20)
    _filed_days_ago(by_name, 10)
    _filed_days_ago(hidden, 5)
    return {
        "three": three.number,
        "one": one.number,
        "two": two.number,
        "by_name": by_name.number,
        "hidden": hidden.number,
        "open": still_open.number,
    }


def test_results_come_best_match_first_the_business_named_on_top(record):
    body = Client().get(API, {"q": "escrow"}).json()
    assert [r["number"] for r in body["results"]] == [record["by_name"], record["three"], record["two"], record["one"]]
    assert body["count"] == 4
    assert body["more"] is False
    assert (body["page"], body["pages"], body["next"], body["previous"]) == (1, 1, None, None)
    first = body["results"][1]
    assert first["company"] == "Gigwork Market"
    assert first["business"] == "gigwork-market"
    assert first["type_label"] == "Account Access or Suspension"
    assert first["issue_label"] == "Funds withheld after closure"
    assert first["status"] == "resolved"
    assert first["url"] == f"/businesses/gigwork-market/?complaint={record['three']}#complaint-{record['three']}"


def test_a_result_links_to_its_entry_shown_alone_on_the_profile(record):
    url = f"/businesses/gigwork-market/?complaint={record['two']}"
    html = Client().get(url).content.decode()
    assert f'id="complaint-{record["two"]}"' in html
    assert f'id="complaint-{record["three"]}"' not in html


def test_the_text_stems_english_words(record):
    # "escrows" is not part of "Escrowly Payments": only the text matches.
    assert _numbers(Client().get(API, {"q": "escrows"})) == [record["three"], record["two"], record["one"]]
    assert _numbers(Client().get(API, {"q": "appeals unanswered"})) == [record["two"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "delivery"}, ["one"]),
        ({"type": "Account Access or Suspension"}, ["by_name", "three", "two"]),
        ({"issue": "appeal_not_answered"}, ["two"]),
        ({"status": "resolved"}, ["by_name", "three"]),
        ({"status": ["resolved", "answered"]}, ["by_name", "three", "one"]),
        ({"business": "gigwork-market"}, ["three", "two"]),
    ],
)
def test_each_filter_narrows_the_results(record, params, expected):
    assert _numbers(Client().get(API, {"q": "escrow", **params})) == [record[name] for name in expected]


def test_the_date_range_is_half_open(record):
    day = (timezone.now() - timedelta(days=30)).date()
    low = {"date_received_min": day.isoformat()}
    assert _numbers(Client().get(API, {"q": "escrow", **low})) == [record["by_name"], record["two"], record["one"]]
    high = {"date_received_max": day.isoformat()}
    assert _numbers(Client().get(API, {"q": "escrow", **high})) == [record["three"]]


def test_only_published_masked_consented_text_is_found(db):
    person = UserFactory(name="Priya Natarajan", email="priya.natarajan@example.com")
    business = BusinessFactory(name="Gigwork Market", notice_email="notices@gigwork.example")
    description = (
        "Priya Natarajan here: my account was suspended. Write to priya.natarajan@example.com or "
        "call +1 415 555 0199. Order ACC-99812 is still held in escrow."
    )
    published = complaint_in(Status.RESOLVED, complainant=person, business=business, description=description)
    unconsented = complaint_in(
        Status.ANSWERED,
        business=business,
        description="Tomas Berglund: the zeppelin order was cancelled and never refunded.",
        publish_consent=False,
    )
    client = Client()
    assert _numbers(client.get(API, {"q": "escrow"})) == [published.number]
    for secret in ("Natarajan", "Priya", "priya.natarajan@example.com", "415 555 0199", "zeppelin", "Berglund"):
        assert _numbers(client.get(API, {"q": secret})) == [], secret
        assert secret not in client.get(PAGE, {"q": "escrow"}).content.decode()
    by_name = client.get(API, {"q": "Gigwork"}).json()["results"]
    expected = [(unconsented.number, False), (published.number, True)]
    assert [(r["number"], r["has_narrative"]) for r in by_name] == expected
    assert by_name[0]["excerpt"] == ""


def test_a_complaint_without_consent_is_found_by_its_business_name_with_no_text(record):
    results = Client().get(API, {"q": "Parcel Shop"}).json()["results"]
    assert [(r["number"], r["has_narrative"], r["excerpt"]) for r in results] == [
        (record["hidden"], False, ""),
        (record["one"], True, "My parcel never arrived although the payment left escrow on the first of the month."),
    ]


def test_pages_are_bounded_and_follow_on(record):
    client = Client()
    first = client.get(API, {"q": "escrow", "size": 3}).json()
    assert [r["number"] for r in first["results"]] == [record["by_name"], record["three"], record["two"]]
    assert (first["page"], first["pages"], first["previous"]) == (1, 2, None)
    assert first["next"].endswith("page=2") or "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["number"] for r in second["results"]] == [record["one"]]
    assert second["next"] is None
    assert client.get(API, {"q": "escrow", "size": 3, "page": 2000}).status_code == 400


def test_the_candidates_are_the_newest_matches_looked_for_in_widening_windows(record):
    matches = Complaint.objects.filter(number__in=[record["three"], record["one"], record["two"]])
    ids = dict(Complaint.objects.filter(number__in=record.values()).values_list("number", "id"))
    with CaptureQueriesContext(connection) as queries:
        found = candidate_ids(lambda since: matches if since is None else matches.filter(filed_at__gte=since))
    assert found == [ids[record["two"]], ids[record["one"]], ids[record["three"]]]
    assert len(queries) == 3  # 31 days, 366 days, the whole record: fewer than CANDIDATES in each
    assert CANDIDATES == 500


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "escrow", "type": "spaceships"}, "type"),
        ({"q": "escrow", "issue": "moon"}, "issue"),
        ({"q": "escrow", "status": "awaiting_business"}, "status"),
        ({"q": "escrow", "date_received_min": "yesterday"}, "date_received_min"),
        ({"q": "escrow", "date_received_min": "2026-05-02", "date_received_max": "2026-05-01"}, "date_received_max"),
        ({"q": "escrow", "size": "0"}, "size"),
        ({"q": "escrow", "size": "101"}, "size"),
        ({"q": "escrow", "page": "-1"}, "page"),
    ],
)
def test_bad_parameters_answer_400_with_a_message_for_the_field(record, params, field):
    response = Client().get(API, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_nul_byte_in_the_search_answers_400(record):
    assert Client().get(API, {"q": "a\x00b"}).status_code == 400


def test_search_from_maps_type_to_the_open_data_product():
    search = search_from({"q": "refund", "type": "delivery", "page": "2", "size": "10"})
    assert (search.q, search.filters.product, search.page, search.size) == ("refund", ("delivery",), 2, 10)


def test_the_query_count_does_not_grow_with_the_results(record):
    client = Client()
    client.get(API, {"q": "escrow"})
    # The named businesses, three candidate windows (too few matches to stop early), the page.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, {"q": "escrow"}).status_code == 200
    assert len(queries) == 5


def test_the_page_shows_ranked_results_and_form_errors(record):
    client = Client()
    html = client.get(PAGE, {"q": "escrow"}).content.decode()
    positions = [html.index(f'data-result="{record[name]}"') for name in ("by_name", "three", "two", "one")]
    assert positions == sorted(positions)
    assert f"/businesses/gigwork-market/?complaint={record['three']}#complaint-{record['three']}" in html
    assert "4 complaints found." in html
    bad = client.get(PAGE, {"q": "escrow", "date_received_min": "2026-05-02", "date_received_max": "2026-05-01"})
    assert bad.status_code == 200
    assert "Give a day after the first one." in bad.content.decode()
    assert "data-search-results" not in bad.content.decode()
    empty = client.get(PAGE, {"q": ""})
    assert "This field is required." in empty.content.decode()


def test_the_search_is_throttled_per_client_address(record, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "search": "2/minute"},
    }
    client = Client()
    assert [client.get(API, {"q": "escrow"}).status_code for _ in range(3)] == [200, 200, 429]
    assert "Too many attempts from here." in client.get(PAGE, {"q": "escrow"}).content.decode()
    cache.clear()


def test_a_window_inside_the_publication_window_leaves_out_the_closing_date_bound_and_finds_the_same(record):
    from complaints.open_data import Filters, published_open_data

    now = timezone.now()
    numbers = lambda qs: set(qs.values_list("number", flat=True))  # noqa: E731
    # Filed in the last 31 days and published: "one" (30 days ago), "two" (20), "by_name" (10);
    # "hidden" (unconsented) is published too, without its text; "three" was filed 40 days ago.
    recent = published_open_data(Filters(), filed_since=now - timedelta(days=31))
    assert numbers(recent) == {record["one"], record["two"], record["by_name"], record["hidden"]}
    assert '"closed_at" >=' not in str(recent.query).split(" WHERE ")[1]
    # A window reaching past the publication cutoff keeps the bound.
    older = published_open_data(Filters(), filed_since=now - timedelta(days=5000))
    assert numbers(older) == {record["one"], record["two"], record["three"], record["by_name"], record["hidden"]}
    assert '"closed_at" >=' in str(older.query).split(" WHERE ")[1]
