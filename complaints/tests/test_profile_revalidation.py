"""A cookie-less revalidation of a public profile is answered before the session and user layers.

config.middleware.PublicRevalidationMiddleware answers the `304` when the visitor carries neither
a session nor a message cookie and their copy is current; everything else reaches the view.
"""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Status
from complaints.tests.factories import complaint_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def business():
    business = BusinessFactory(name="Gigwork Market", slug="gigwork-market")
    complaint_in(Status.RESOLVED, business=business)
    return business


@pytest.fixture
def etag(client, business):
    first = client.get("/businesses/gigwork-market/")
    assert first.status_code == 200
    return first.headers["ETag"]


def test_a_current_copy_is_confirmed_before_the_session_layer_with_every_header(
    client, etag, django_assert_num_queries
):
    with django_assert_num_queries(1):
        repeat = client.get("/businesses/gigwork-market/", headers={"If-None-Match": etag})
    assert repeat.status_code == 304
    assert repeat.content == b""
    # The session layer never ran: the answer came from the middleware, not the view.
    assert not hasattr(repeat.wsgi_request, "session")
    assert repeat.headers["ETag"] == etag
    assert repeat.headers["Cache-Control"] == "public, no-cache"
    assert repeat.headers["Vary"] == "Cookie"
    assert repeat.headers["X-Frame-Options"] == "DENY"
    assert repeat.headers["X-Content-Type-Options"] == "nosniff"
    assert repeat.headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in repeat.headers["Content-Security-Policy"]
    assert "camera=()" in repeat.headers["Permissions-Policy"]


def test_one_of_several_tags_matching_is_enough(client, etag):
    repeat = client.get("/businesses/gigwork-market/", headers={"If-None-Match": f'W/"old", {etag}'})
    assert repeat.status_code == 304
    assert not hasattr(repeat.wsgi_request, "session")


def test_a_stale_copy_gets_the_whole_page_from_the_view(client, etag):
    page = client.get("/businesses/gigwork-market/", headers={"If-None-Match": 'W/"old"'})
    assert page.status_code == 200
    assert hasattr(page.wsgi_request, "session")
    assert page.headers["ETag"] == etag
    assert b"Gigwork Market" in page.content


def test_a_signed_in_visitor_with_the_anonymous_tag_gets_their_own_page(client, etag):
    client.force_login(UserFactory(email="dana@example.com"))
    page = client.get("/businesses/gigwork-market/", headers={"If-None-Match": etag})
    assert page.status_code == 200
    assert "ETag" not in page.headers
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert b"Sign out" in page.content


def test_a_visitor_with_a_message_waiting_gets_the_page_that_shows_it(client, etag):
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[CookieStorage.cookie_name] = storage._encode([Message(constants.INFO, "Your account was deleted.")])
    page = client.get("/businesses/gigwork-market/", headers={"If-None-Match": etag})
    assert page.status_code == 200
    assert b"Your account was deleted." in page.content
    assert page.headers["Cache-Control"] == "private, no-cache"


def test_a_missing_business_and_other_methods_and_pages_reach_the_views(client, etag):
    assert client.get("/businesses/no-such-business/", headers={"If-None-Match": etag}).status_code == 404
    assert client.post("/businesses/gigwork-market/", headers={"If-None-Match": etag}).status_code == 405
    assert client.head("/businesses/gigwork-market/", headers={"If-None-Match": etag}).status_code == 405
    home = client.get("/", headers={"If-None-Match": etag})
    assert home.status_code == 200 and hasattr(home.wsgi_request, "session")


def test_an_unlisted_business_is_not_confirmed(client, business, etag):
    type(business).objects.filter(pk=business.pk).update(is_listed=False)
    assert client.get("/businesses/gigwork-market/", headers={"If-None-Match": etag}).status_code == 404
