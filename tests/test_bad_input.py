"""Odd input on pages and API answers 4xx, never 500."""

import pytest

from complaints.models import Status
from complaints.tests.factories import complaint_in

pytestmark = pytest.mark.django_db

ODD_QUERIES = [
    "?page=abc",
    "?page=-1",
    "?page=999999",
    "?page=1e9",
    "?status=bogus",
    "?type=bogus",
    "?ordering=bogus",
    "?q=%00",
    "?search=%00",
    "?q=" + "x" * 5000,
    "?q=%27%22%3B--",
    "?state=bogus",
    "?business=abc",
    "?business=999999",
    "?overdue=maybe",
]


def test_odd_queries_on_public_and_private_pages_never_answer_500(client, business, representative, complainant):
    complaint = complaint_in(Status.RESOLVED, business=business, complainant=complainant)
    public = ["/businesses/", f"/businesses/{business.slug}/", "/api/v1/businesses/"]
    public += [f"/api/v1/businesses/{business.slug}/complaints/"]
    answers = {url + query: client.get(url + query).status_code for url in public for query in ODD_QUERIES}
    client.force_login(representative)
    answers |= {"/dashboard/" + query: client.get("/dashboard/" + query).status_code for query in ODD_QUERIES}
    client.force_login(complainant)
    for url in (
        "/complaints/%00/",
        "/complaints/12/",
        f"/complaints/{complaint.number}/%00/",
        "/complaints/new/?business=%00",
        "/complaints/new/?business=no-such-business",
        "/notifications/?page=abc",
        "/api/v1/complaints/?status=%00",
        "/api/v1/complaints/%00/",
    ):
        answers[url] = client.get(url).status_code
    assert not {url: code for url, code in answers.items() if code >= 500}
    assert answers["/businesses/?q=%00"] == 400 and answers["/api/v1/complaints/%00/"] in (400, 404)


def test_a_nul_character_in_an_api_query_answers_the_json_error_shape(client):
    response = client.get("/api/v1/businesses/?search=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
