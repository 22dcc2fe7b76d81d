"""The public directory and business profiles: what is listed, what is shown, and at what cost."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.models import Location
from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, Status
from complaints.services import business_stats_rebuild, complaint_remask
from complaints.tests.factories import DESCRIPTION, complaint_in, representative_of, staff_user
from disputes.models import BusinessResponse
from disputes.selectors import NOT_PUBLISHED_LINE, published_complaints
from disputes.services import answer_submit, business_information_add, complaint_staff_act, response_submit

pytestmark = pytest.mark.django_db


def page(client, business, **params):
    response = client.get(f"/businesses/{business.slug}/", params)
    assert response.status_code == 200
    return response.content.decode()


def listed_numbers(client, business, **params):
    html = page(client, business, **params)
    return [chunk.split('"', 1)[0] for chunk in html.split('id="complaint-')[1:]]


# Directory -----------------------------------------------------------------------------------


def test_directory_searches_listed_businesses_by_name_category_and_city(client):
    BusinessFactory(name="Acme Plumbing", category="Plumbing", city="Springfield")
    BusinessFactory(name="Acme Bakery", category="Bakery", city="Shelbyville")
    BusinessFactory(name="Zenith Plumbing", category="Plumbing", city="Ogdenville")
    hidden = BusinessFactory(name="Acme Hidden", category="Plumbing", is_listed=False)
    elsewhere = BusinessFactory(name="Branch Co", category="Bakery", city="Capital City")
    Location.objects.create(business=elsewhere, address="1 Side Rd", city="Ogdenville")

    def names(**params):
        html = client.get("/businesses/", params).content.decode()
        return {name for name in ("Acme Plumbing", "Acme Bakery", "Zenith Plumbing", "Branch Co") if name in html}

    assert names() == {"Acme Plumbing", "Acme Bakery", "Zenith Plumbing", "Branch Co"}
    assert names(q="acme") == {"Acme Plumbing", "Acme Bakery"}
    assert names(category="Plumbing") == {"Acme Plumbing", "Zenith Plumbing"}
    assert names(city="ogdenville") == {"Zenith Plumbing", "Branch Co"}
    assert names(q="acme", category="plumbing", city="Springfield") == {"Acme Plumbing"}
    assert hidden.name not in client.get("/businesses/", {"q": "hidden"}).content.decode()


def test_directory_paginates_twenty_a_page(client):
    for n in range(23):
        BusinessFactory(name=f"Shop {n:02d}")
    first = client.get("/businesses/").content.decode()
    second = client.get("/businesses/", {"page": 2}).content.decode()
    assert "Shop 00" in first and "Shop 19" in first and "Shop 20" not in first
    assert "Shop 20" in second and "Shop 22" in second and "Page 2 of 2" in second


# Profile -------------------------------------------------------------------------------------


def test_unlisted_and_missing_businesses_have_no_profile(client):
    unlisted = BusinessFactory(name="Quiet Traders", is_listed=False)
    complaint_in(Status.RESOLVED, business=unlisted)
    assert client.get(f"/businesses/{unlisted.slug}/").status_code == 404
    assert client.get("/businesses/no-such-business/").status_code == 404


def test_profile_shows_details_locations_accreditation_and_state_definitions(client):
    business = BusinessFactory(
        name="Harbor Movers", address="9 Dock Road", city="Portsmouth", region="NH", accredited=True
    )
    Location.objects.create(business=business, label="Depot", address="14 Mill Lane", city="Dover")
    html = page(client, business)
    for text in ("Harbor Movers", "9 Dock Road", "Portsmouth", "Depot", "14 Mill Lane", "Dover"):
        assert text in html
    assert "Accredited business" in html
    assert "the complainant confirmed the issue was resolved to their satisfaction." in html.lower()
    assert "The business could not be located." in html
    assert "made no good-faith effort to resolve it." in html
    business.accredited = False
    business.save()
    assert "Not accredited" in page(client, business)


def test_staff_alert_banner_appears_only_when_set(client, business):
    assert "Important information" not in page(client, business)
    business.alert = "Redress found a pattern of undelivered orders."
    business.alert_set_at = timezone.now()
    business.save()
    html = page(client, business)
    assert "Important information" in html
    assert "a pattern of undelivered orders" in html


def test_only_recent_complaints_in_public_closed_states_are_listed(client, business):
    public = (Status.RESOLVED, Status.ANSWERED, Status.UNANSWERED, Status.UNRESOLVED, Status.UNPURSUABLE)
    published = {status: complaint_in(status, business=business) for status in public}
    hidden = [
        complaint_in(status, business=business)
        for status in (
            Status.REJECTED,
            Status.WITHDRAWN,
            Status.SUBMITTED,
            Status.AWAITING_BUSINESS,
            Status.AWAITING_CONSUMER,
            Status.STAFF_REVIEW,
        )
    ]
    with time_machine.travel(timezone.now() - timedelta(days=37 * 31), tick=False):
        hidden.append(complaint_in(Status.RESOLVED, business=business, transaction_date=None))
    numbers = listed_numbers(client, business)
    assert sorted(numbers) == sorted(c.number for c in published.values())
    assert not {c.number for c in hidden} & set(numbers)


def test_text_is_shown_only_where_the_complainant_consented(client, business):
    complaint_in(Status.RESOLVED, business=business, description=DESCRIPTION + " Consent given.")
    withheld = complaint_in(
        Status.RESOLVED, business=business, publish_consent=False, description=DESCRIPTION + " Kept private."
    )
    html = page(client, business)
    assert "Consent given." in html
    assert "Kept private." not in html
    assert "We have reviewed the account" in html  # the consented complaint's response
    assert html.count(NOT_PUBLISHED_LINE.replace("'", "&#x27;")) == 1
    assert withheld.number in html


def test_an_entry_shows_the_complaint_then_its_thread_in_date_order_masked(client, business, complainant):
    complaint_in(
        Status.ANSWERED,
        complainant=complainant,
        business=business,
        description=DESCRIPTION + " Call me on 555-867-5309.",
    )
    html = page(client, business)
    description_at = html.index("My seller account was suspended")
    response_at = html.index("We have reviewed the account")
    assert description_at < response_at
    assert "555-867-5309" not in html
    assert "************" in html


def test_information_from_the_business_is_published_masked_with_the_thread_under_consent(
    client, business, complainant, representative
):
    shown = complaint_in(Status.AWAITING_CONSUMER, complainant=complainant, business=business)
    withheld = complaint_in(Status.AWAITING_CONSUMER, business=business, publish_consent=False)
    for complaint in (shown, withheld):
        business_information_add(
            complaint_id=complaint.pk,
            author=representative,
            text="Ravi here: the zeppelin refund left on 4 May. Call 555-867-5309 or write to ravi@gigwork.example.",
        )
        answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="", verdict="accept")
    html = page(client, business)
    assert "<strong>Information from the business</strong>" in html
    assert "the zeppelin refund left on 4 May." in html
    for private in ("Ravi here", "555-867-5309", "ravi@gigwork.example"):
        assert private not in html
    assert html.count("the zeppelin refund") == 1  # the withheld complaint shows no thread text
    assert listed_numbers(client, business, q="zeppelin") == [shown.number]
    listed = client.get(f"/api/v1/businesses/{business.slug}/complaints/").json()["results"]
    by_number = {entry["number"]: entry for entry in listed}
    (information,) = [item for item in by_number[shown.number]["thread"] if item["kind"] == "information"]
    assert information["author_role"] == "representative"
    assert "the zeppelin refund left on 4 May." in information["text"] and "Ravi" not in information["text"]
    (withheld_item,) = [item for item in by_number[withheld.number]["thread"] if item["kind"] == "information"]
    assert withheld_item["text"] is None


def test_list_filters_by_status_and_type_and_sorts_both_ways(client, business):
    with time_machine.travel(timezone.now() - timedelta(days=30), tick=False):
        old = complaint_in(Status.RESOLVED, business=business, type="delivery")
    middle = complaint_in(Status.UNANSWERED, business=business, type="delivery")
    new = complaint_in(Status.RESOLVED, business=business, type="billing_collection")
    assert listed_numbers(client, business) == [new.number, middle.number, old.number]
    assert listed_numbers(client, business, ordering="oldest") == [old.number, middle.number, new.number]
    assert listed_numbers(client, business, status="resolved") == [new.number, old.number]
    assert listed_numbers(client, business, type="delivery") == [middle.number, old.number]
    assert listed_numbers(client, business, status="resolved", type="delivery") == [old.number]
    assert listed_numbers(client, business, status="rejected") == [new.number, middle.number, old.number]
    assert list(published_complaints(business, status="rejected")) == []


def test_search_matches_published_masked_text_only(client, business):
    refund = complaint_in(
        Status.RESOLVED, business=business, description=DESCRIPTION + " The refund for my umbrellas never came."
    )
    private = complaint_in(
        Status.RESOLVED,
        business=business,
        publish_consent=False,
        description=DESCRIPTION + " The umbrellas were broken.",
    )
    secret = complaint_in(
        Status.RESOLVED, business=business, description=DESCRIPTION + " Write to umbrella.fan@example.com now."
    )
    assert listed_numbers(client, business, q="umbrellas") == [refund.number]
    assert private.number not in listed_numbers(client, business, q="broken umbrellas")
    assert listed_numbers(client, business, q="umbrella.fan@example.com") == []
    assert secret.number in listed_numbers(client, business, q="write")
    # The thread is searchable too.
    assert refund.number in listed_numbers(client, business, q="reviewed account")


def test_list_pages_use_the_figures_for_the_total(client, business):
    made = [complaint_in(Status.RESOLVED, business=business) for _ in range(12)]
    first = page(client, business)
    second = page(client, business, page=2)
    beyond = page(client, business, page=99)
    assert "of 12 complaints" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in second and second.count('id="complaint-') == 2
    assert beyond.count('id="complaint-') == 2  # past the end shows the last page
    searched = page(client, business, q="seller")
    assert "Page 1" in searched and 'rel="next"' in searched
    assert len(made) == 12


def test_a_reopened_complaint_leaves_the_list_and_the_figures(client, business):
    complaint = complaint_in(Status.RESOLVED, business=business)
    assert listed_numbers(client, business) == [complaint.number]
    complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="reopen", reason="Filed in error")
    assert listed_numbers(client, business) == []
    assert 'data-figure="total">0<' in page(client, business)


def test_a_late_response_is_masked_when_the_complaint_closes_again(client, business, complainant):
    rep = representative_of(business)
    rep.name = "Ravi Patel"
    rep.save()
    complaint = complaint_in(Status.UNANSWERED, complainant=complainant, business=business)
    late = response_submit(complaint_id=complaint.pk, author=rep, text="Sorry, Ravi Patel here: call 555-010-2233.")
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Fine, Dana Whitfield agrees.", verdict="accept")
    late.refresh_from_db()
    assert "Ravi" not in late.text_masked and "555-010-2233" not in late.text_masked
    html = page(client, business)
    assert "Business response (late)" in html
    for secret in ("Ravi", "Patel", "555-010-2233", "Dana", "Whitfield"):
        assert secret not in html.split("Published complaints", 1)[1]


def test_staff_edits_to_masked_text_survive_until_an_explicit_remask(client, business, complainant):
    complaint = complaint_in(Status.ANSWERED, complainant=complainant, business=business)
    Complaint.objects.filter(pk=complaint.pk).update(description_masked="Edited by staff for the record.")
    BusinessResponse.objects.filter(complaint=complaint).update(text_masked="Response edited by staff.")
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Accepting late.", verdict="accept")
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert complaint.description_masked == "Edited by staff for the record."
    html = page(client, business)
    assert "Edited by staff for the record." in html and "Response edited by staff." in html
    complaint_remask(complaint_id=complaint.pk)
    complaint.refresh_from_db()
    assert complaint.description_masked.startswith("My seller account was suspended")


# Query count at scale --------------------------------------------------------------------------

# business with its locations (one prepared statement), figures, the page's ids, its complaints,
# responses, answers, business information, closings
PROFILE_QUERIES = 8


def _prepare_the_business_read(client, business) -> None:
    """The first public read on a connection prepares its statement (one more query): do it uncounted."""
    page(client, business)


def test_profile_runs_the_same_queries_for_any_page_filter_or_sort(client, business, django_assert_num_queries):
    for status in ("resolved", "answered", "unanswered"):
        complaint_in(status, business=business, issue="appeal_not_answered", country="US", region="Ohio")
    _prepare_the_business_read(client, business)
    for params in (
        {},
        {"status": "resolved"},
        {"type": "account_suspension", "ordering": "oldest"},
        {"q": "seller"},
        {"issue": "appeal_not_answered", "country": "US", "region": "Ohio"},
        {"issue": "no_such_issue"},
    ):
        with django_assert_num_queries(PROFILE_QUERIES):
            page(client, business, **params)


def test_a_profile_with_100000_published_complaints_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    business = BusinessFactory(name="Huge Marketplace")
    complainant = UserFactory()
    MembershipFactory(business=business)
    started = time.monotonic()
    # One INSERT ... SELECT: 100,000 closed complaints over the last 34 months, every status and
    # four types, two thirds consented, four fifths answered; search vectors for the first 2,000.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO complaints_complaint (
                number, complainant_id, business_id, business_name, business_website, business_address,
                business_email, business_phone, type, description, desired_outcome, desired_outcome_detail,
                currency, reference, affirm_true, affirm_not_in_court, publish_consent, status,
                status_changed_at, due_kind, on_hold, response_count, late_response, reject_reason, filed_at,
                forwarded_at, first_response_at, closed_at, updated_at, description_masked, masked_at,
                search_vector)
            SELECT (20000000 + i)::text, %(complainant)s, %(business)s, '', '', '', '', '',
                (ARRAY['delivery', 'billing_collection', 'order', 'product'])[i %% 4 + 1],
                'Original text ' || i, 'refund', '', 'USD', '', true, true, i %% 3 <> 0,
                (ARRAY['resolved', 'answered', 'unanswered', 'unresolved', 'unpursuable'])[i %% 5 + 1],
                closed, '', false, 0, false, '', closed - interval '20 days', closed - interval '18 days',
                CASE WHEN i %% 5 <> 2 THEN closed - make_interval(days => 18 - i %% 20) END,
                closed, closed, 'Masked text number ' || i || ' about a parcel', closed,
                CASE WHEN i < 2000 AND i %% 3 <> 0
                    THEN to_tsvector('english', 'Masked text number ' || i || ' about a parcel') END
            FROM (SELECT i, %(now)s::timestamptz - make_interval(mins => 15 * i + 1) AS closed
                  FROM generate_series(0, 99999) AS i) AS rows
            """,
            {"complainant": complainant.pk, "business": business.pk, "now": timezone.now()},
        )
    assert business_stats_rebuild(business_id=business.pk) == 100_000
    built = time.monotonic() - started

    _prepare_the_business_read(client, business)
    timings = {}
    for params in (
        {},
        {"page": 2},
        {"page": 5000},
        {"page": 10_000},
        {"status": "answered"},
        {"type": "order", "ordering": "oldest", "page": 300},
        {"status": "unresolved", "type": "product"},
        {"q": "parcel"},
        {"q": "parcel", "page": 3},
    ):
        begun = time.monotonic()
        with django_assert_num_queries(PROFILE_QUERIES):
            html = page(client, business, **params)
        timings[str(params)] = round(time.monotonic() - begun, 3)
        assert html.count('id="complaint-') == 10, params
    first = page(client, business)
    assert 'data-figure="total">100000<' in first
    assert "of 100000 complaints" in first and "Page 1 of 10000" in first
    print(f"\n100k profile: built in {built:.1f}s; page timings {timings}")
