"""The public profile's ETag and Cache-Control: anonymous pages may be kept by any cache, never stale.

Every change to what the profile shows changes its ETag at once (a new publication, a changed
published text, the business's own details); a page for someone signed in is private.
"""

import pytest
from django.test import override_settings

from accounts.models import Business, Location
from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Status
from complaints.services import complaint_public_text_set, complaint_remask
from complaints.tests.factories import complaint_in, staff_user
from disputes.services import answer_submit

pytestmark = pytest.mark.django_db


def profile(client, business, **headers):
    return client.get(f"/businesses/{business.slug}/", headers=headers)


def etag_of(client, business) -> str:
    response = profile(client, business)
    assert response.status_code == 200
    return response.headers["ETag"]


def test_an_anonymous_profile_is_public_with_an_etag_and_a_repeat_visit_gets_304(client, django_assert_num_queries):
    business = BusinessFactory()
    complaint_in(Status.RESOLVED, business=business)
    first = profile(client, business)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and etag.endswith('"')
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert "Cookie" in first.headers["Vary"]
    assert "Set-Cookie" not in first.headers
    # The business and its locations, in one statement: nothing else is read to answer a repeat visit.
    with django_assert_num_queries(1):
        repeat = profile(client, business, if_none_match=etag)
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat.headers["ETag"] == etag
    assert repeat.headers["Cache-Control"] == "public, no-cache"
    # Another ETag, or several of which one matches.
    assert profile(client, business, if_none_match='W/"other"').status_code == 200
    assert profile(client, business, if_none_match=f'W/"other", {etag}').status_code == 304


def test_a_new_publication_changes_the_etag_at_once(client):
    business = BusinessFactory()
    open_complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    before = etag_of(client, business)
    # Still open: no public change, the same ETag.
    assert etag_of(client, business) == before
    answer_submit(complaint_id=open_complaint.pk, author=open_complaint.complainant, text="Thanks.", verdict="accept")
    after = etag_of(client, business)
    assert after != before
    assert profile(client, business, if_none_match=before).status_code == 200
    assert profile(client, business, if_none_match=after).status_code == 304


def test_an_edited_or_remasked_published_text_changes_the_etag(client):
    business = BusinessFactory()
    complaint = complaint_in(Status.RESOLVED, business=business)
    first = etag_of(client, business)
    complaint_public_text_set(
        complaint_id=complaint.pk, staff=staff_user(), reason="A name left unmasked", description="Edited text."
    )
    second = etag_of(client, business)
    assert second != first
    complaint_remask(complaint_id=complaint.pk)
    assert etag_of(client, business) not in {first, second}


def test_the_business_details_and_locations_are_in_the_etag(client):
    business = BusinessFactory(name="Acme Plumbing")
    first = etag_of(client, business)
    Business.objects.filter(pk=business.pk).update(phone="555-000-1111")
    second = etag_of(client, business)
    Location.objects.create(business=business, address="1 Side Rd", city="Ogdenville")
    third = etag_of(client, business)
    assert len({first, second, third}) == 3


def test_a_new_release_changes_the_etag(client):
    business = BusinessFactory()
    first = etag_of(client, business)
    with override_settings(REDRESS_RELEASE="r2"):
        assert etag_of(client, business) != first


def test_a_signed_in_page_is_never_cached_publicly_nor_answered_with_304(client):
    business = BusinessFactory()
    complaint_in(Status.RESOLVED, business=business)
    etag = etag_of(client, business)
    client.force_login(UserFactory())
    response = profile(client, business, if_none_match=etag)
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert set(response.headers["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert "Cookie" in response.headers["Vary"]


def test_a_max_age_lets_caches_serve_the_page_without_asking(client):
    business = BusinessFactory()
    with override_settings(REDRESS_PUBLIC_MAX_AGE=60):
        assert profile(client, business).headers["Cache-Control"] == "public, max-age=60"


# Anonymous pages kept in the cache under their ETag (REDRESS_PUBLIC_PAGE_CACHE_SECONDS).


@pytest.fixture
def pages_kept():
    with override_settings(REDRESS_PUBLIC_PAGE_CACHE_SECONDS=3600):
        yield


def test_a_kept_page_is_served_from_the_cache_with_the_same_body_and_headers(
    client, pages_kept, django_assert_num_queries
):
    business = BusinessFactory(name="Kept Page Traders")
    complaint_in(Status.RESOLVED, business=business)
    first = profile(client, business)
    # Business and locations for the ETag, and nothing else: the page itself comes from the cache.
    with django_assert_num_queries(1):
        again = profile(client, business)
    assert again.status_code == 200
    assert again.content == first.content
    assert b"Kept Page Traders" in again.content
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, no-cache"
    assert again.headers["Content-Type"] == "text/html; charset=utf-8"
    # Another address (a filter, a page) is a page of its own.
    assert profile_path(client, business, "?status=resolved").content != first.content


def profile_path(client, business, query):
    return client.get(f"/businesses/{business.slug}/{query}")


def test_a_new_publication_shows_at_once_on_a_kept_page(client, pages_kept):
    business = BusinessFactory()
    open_complaint = complaint_in(Status.AWAITING_CONSUMER, business=business)
    before = profile(client, business).content.decode()
    assert f"complaint-{open_complaint.number}" not in before
    answer_submit(complaint_id=open_complaint.pk, author=open_complaint.complainant, text="Thanks.", verdict="accept")
    after = profile(client, business).content.decode()
    assert f"complaint-{open_complaint.number}" in after


def test_a_changed_business_detail_shows_at_once_on_a_kept_page(client, pages_kept):
    business = BusinessFactory(phone="555-000-2222")
    assert "555-000-2222" in profile(client, business).content.decode()
    Business.objects.filter(pk=business.pk).update(phone="555-000-3333")
    page = profile(client, business).content.decode()
    assert "555-000-3333" in page and "555-000-2222" not in page


def test_a_signed_in_visitor_never_gets_the_kept_anonymous_page(client, pages_kept):
    business = BusinessFactory()
    anonymous = profile(client, business).content.decode()
    user = UserFactory(email="reader@example.com")
    client.force_login(user)
    signed_in = profile(client, business)
    assert signed_in.content.decode() != anonymous
    assert "ETag" not in signed_in.headers
    assert set(signed_in.headers["Cache-Control"].split(", ")) == {"private", "no-cache"}
