"""The profile page and the profile API filter by issue, country and region (docs/api.md)."""

import pytest

from complaints.models import Status
from complaints.tests.factories import complaint_in

pytestmark = pytest.mark.django_db


def numbers_on_page(client, business, **params):
    response = client.get(f"/businesses/{business.slug}/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return {chunk.split('"', 1)[0] for chunk in html.split('id="complaint-')[1:]}, html


@pytest.fixture
def three(business):
    """Three published complaints: two issues, two countries, three regions."""
    ohio = complaint_in(
        Status.RESOLVED, business=business, issue="suspended_without_reason", country="US", region="Ohio"
    )
    texas = complaint_in(
        Status.UNANSWERED, business=business, issue="appeal_not_answered", country="US", region="Texas"
    )
    ontario = complaint_in(
        Status.ANSWERED, business=business, issue="suspended_without_reason", country="CA", region="Ontario"
    )
    return ohio, texas, ontario


def test_the_profile_page_filters_by_issue_country_and_region(client, business, three):
    ohio, texas, ontario = three
    assert numbers_on_page(client, business, issue="suspended_without_reason")[0] == {ohio.number, ontario.number}
    assert numbers_on_page(client, business, country="US")[0] == {ohio.number, texas.number}
    assert numbers_on_page(client, business, country="ca")[0] == {ontario.number}
    assert numbers_on_page(client, business, region="texas")[0] == {texas.number}
    assert numbers_on_page(client, business, issue="suspended_without_reason", country="US")[0] == {ohio.number}
    numbers, html = numbers_on_page(client, business, region="Nowhere")
    assert numbers == set()
    assert "No published complaint matches these filters." in html
    # The figures count by status and type only, so the total is not claimed for a place filter.
    _, html = numbers_on_page(client, business, country="US")
    assert "Showing 1\u20132 of the matching complaints." in html
    # The chosen values are shown again in the form.
    assert '<option value="US" selected>United States</option>' in html


def test_a_wrong_issue_or_country_on_the_page_is_said_beside_its_field_and_left_out(client, business, three):
    ohio, texas, ontario = three
    numbers, html = numbers_on_page(client, business, issue="no_such_issue", country="ZZ")
    assert numbers == {ohio.number, texas.number, ontario.number}
    assert "Choose an issue from the list." in html
    assert "Choose a country from the list (an ISO 3166-1 alpha-2 code)." in html
    numbers, html = numbers_on_page(client, business, region="x" * 101, country="US")
    assert numbers == {ohio.number, texas.number}
    assert "Ensure this value has at most 100 characters (it has 101)." in html


def test_the_profile_api_filters_by_issue_country_and_region(api, business, three):
    ohio, texas, ontario = three
    url = f"/api/v1/businesses/{business.slug}/complaints/"

    def numbers(**params):
        response = api().get(url, params)
        assert response.status_code == 200
        return {row["number"] for row in response.json()["results"]}

    assert numbers(issue="appeal_not_answered") == {texas.number}
    assert numbers(country="CA") == {ontario.number}
    assert numbers(country="us", region="OHIO") == {ohio.number}
    assert numbers(issue="suspended_without_reason", region="Texas") == set()
    response = api().get(url, {"country": "US"})
    assert response.json()["count"] == 2


def test_wrong_filters_on_the_profile_api_are_a_400_with_field_messages(api, business, three):
    url = f"/api/v1/businesses/{business.slug}/complaints/"
    response = api().get(url, {"issue": "no_such_issue", "country": "Narnia", "region": "r" * 101})
    assert response.status_code == 400
    fields = response.json()["errors"]
    assert fields["issue"] == ["Choose an issue from the list."]
    assert fields["country"] == ["Choose a country from the list (an ISO 3166-1 alpha-2 code)."]
    assert fields["region"] == ["Ensure this value has at most 100 characters (it has 101)."]
    assert api().get(url, {"region": "a\x00b"}).status_code == 400
