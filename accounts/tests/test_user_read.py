"""accounts.models.UserManager.get: the user by integer id is a prepared read on PostgreSQL, the same user."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def columns(user: User) -> list:
    return [getattr(user, field.attname) for field in User._meta.concrete_fields]


def test_a_user_by_id_is_the_querysets_user_by_a_prepared_read():
    user = UserFactory(name="Ada Byron", time_zone="Europe/London", is_staff=True)
    with CaptureQueriesContext(connection) as queries:
        read = User.objects.get(pk=user.pk)
    assert columns(read) == columns(User.objects.filter(pk=user.pk).first())
    assert (read.email, read.name, read.time_zone, read.is_staff) == (user.email, "Ada Byron", "Europe/London", True)
    assert read._state.adding is False and read._state.db == "default"
    (query,) = queries.captured_queries
    assert query["sql"].startswith("EXECUTE redress_user_by_id(" if POSTGRES else "SELECT")
    assert columns(User.objects.get(id=user.pk)) == columns(read)


def test_a_missing_id_raises_does_not_exist_like_the_queryset():
    with pytest.raises(User.DoesNotExist, match=r"^User matching query does not exist\.$"):
        User.objects.get(pk=987654321)


@pytest.mark.parametrize("lookup", ["text id", "two filters", "e-mail"])
def test_any_other_get_goes_through_the_queryset(lookup):
    user = UserFactory()
    kwargs = {"text id": {"pk": str(user.pk)}, "two filters": {"pk": user.pk, "is_active": True}}.get(
        lookup, {"email": user.email}
    )
    with CaptureQueriesContext(connection) as queries:
        assert User.objects.get(**kwargs).pk == user.pk
    (query,) = queries.captured_queries
    assert query["sql"].startswith("SELECT")


def test_a_signed_in_page_reads_its_user_by_the_prepared_read_and_keeps_djangos_backend(client):
    user = UserFactory()
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/complaints/").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "redress_user_by_id" in q["sql"]]
    assert len(reads) == (1 if POSTGRES else 0)


def test_a_deactivated_users_session_is_signed_out_on_the_next_request(client):
    user = UserFactory()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/complaints/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/signin/")
