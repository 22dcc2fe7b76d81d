"""The listed business a public page reads: by two plain statements on PostgreSQL, the ORM's instances."""

import datetime as dt

import pytest
from django.db import connection

from accounts.models import Business, Location
from accounts.tests.factories import BusinessFactory
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
    with django_assert_num_queries(2):
        business = business_get_public(slug="gigwork-market")
        locations = list(business.locations.all())  # kept as prefetch_related keeps them: no third query
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


def test_an_unlisted_or_missing_business_is_not_found(listed):
    Business.objects.filter(pk=listed.pk).update(is_listed=False)
    with pytest.raises(NotFound):
        business_get_public(slug="gigwork-market")
    with pytest.raises(NotFound):
        business_get_public(slug="no-such-business")


def test_every_column_of_a_business_and_a_location_is_read_as_the_driver_gives_it():
    """The plain read builds instances from the driver's values: a column needing a converter would break it."""
    for model in (Business, Location):
        for field in model._meta.concrete_fields:
            assert field.get_db_converters(connection) == [], f"{model.__name__}.{field.name} needs a converter"
            assert connection.ops.get_db_converters(field.cached_col) == [], f"{model.__name__}.{field.name}"
