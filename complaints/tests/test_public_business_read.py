"""The listed business a public page reads: by one plain statement on PostgreSQL, the ORM's instances."""

import datetime as dt

import pytest
from django.db import connection

from accounts.models import Business, Location
from accounts.tests.factories import BusinessFactory
from complaints.selectors import public
from complaints.selectors.public import business_get_public
from core.errors import NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    business = BusinessFactory(
        name="Gigwork Market",
        slug="gigwork-market",
        city="Austin",
        alert="Suspensions without a reason were reported.",
        alert_set_at=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
        accredited=True,
    )
    Location.objects.create(business=business, label="Depot", address="9 Dock Road", city="Leeds", country="GB")
    Location.objects.create(business=business, label="", address="1 Main Street", city="Austin", country="US")
    Location.objects.create(business=business, label="Second", address="1 Main Street", city="Austin", country="US")
    return business


def test_the_business_and_its_locations_are_the_orms_instances(listed, django_assert_num_queries):
    business_get_public(slug="gigwork-market")  # prepares the statement on this connection, if not yet
    with django_assert_num_queries(1):
        business = business_get_public(slug="gigwork-market")
        locations = list(business.locations.all())  # kept as prefetch_related keeps them: no second query
    assert isinstance(business, Business) and not business._state.adding
    assert (business.pk, business.name, business.city, business.accredited) == (
        listed.pk,
        "Gigwork Market",
        "Austin",
        True,
    )
    assert business.alert_set_at == dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    assert [(location.city, location.address, location.label) for location in locations] == [
        ("Austin", "1 Main Street", ""),
        ("Austin", "1 Main Street", "Second"),
        ("Leeds", "9 Dock Road", "Depot"),
    ]
    orm = Business.objects.prefetch_related("locations").get(pk=listed.pk)
    fields = Business._meta.concrete_fields
    assert [getattr(business, f.attname) for f in fields] == [getattr(orm, f.attname) for f in fields]
    location_fields = Location._meta.concrete_fields
    assert [[getattr(location, f.attname) for f in location_fields] for location in locations] == [
        [getattr(location, f.attname) for f in location_fields] for location in orm.locations.all()
    ]
    assert all(location.business_id == listed.pk and not location._state.adding for location in locations)


def test_a_business_without_locations_reads_with_none(django_assert_num_queries):
    BusinessFactory(name="Quiet Shop", slug="quiet-shop")
    business_get_public(slug="quiet-shop")
    with django_assert_num_queries(1):
        business = business_get_public(slug="quiet-shop")
        assert list(business.locations.all()) == []
    assert business.name == "Quiet Shop"


def test_the_read_is_prepared_once_on_a_connection(listed, django_assert_num_queries):
    with connection.cursor() as cursor:
        if connection.connection in public.PUBLIC_BUSINESS._prepared_on:
            cursor.execute("DEALLOCATE redress_public_business")
    public.PUBLIC_BUSINESS._prepared_on.discard(connection.connection)
    with django_assert_num_queries(1) as first:  # the PREPARE goes outside the query log (core.prepared)
        business_get_public(slug="gigwork-market")
    assert first.captured_queries[0]["sql"] == "EXECUTE redress_public_business('gigwork-market')"
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = 'redress_public_business'")
        assert cursor.fetchone()[0].startswith("PREPARE redress_public_business AS SELECT")
    with django_assert_num_queries(1):
        assert business_get_public(slug="gigwork-market").pk == listed.pk


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_the_read_again():
    business = BusinessFactory(name="Gigwork Market", slug="gigwork-market")
    assert business_get_public(slug="gigwork-market").pk == business.pk
    connection.close()  # the next query opens a new session, without the statement
    assert business_get_public(slug="gigwork-market").pk == business.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = 'redress_public_business'")
        assert cursor.fetchone() == (1,)


def test_an_unlisted_or_missing_business_is_not_found(listed):
    Business.objects.filter(pk=listed.pk).update(is_listed=False)
    with pytest.raises(NotFound):
        business_get_public(slug="gigwork-market")
    with pytest.raises(NotFound):
        business_get_public(slug="no-such-business")
