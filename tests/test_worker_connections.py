"""A worker keeps its database connections across tasks, under Django's own rule (decision 0039)."""

from types import SimpleNamespace

import pytest
from django.db import connection

from config.celery import DB_REUSE_MAX, app, connections_checked

pytestmark = pytest.mark.django_db(transaction=True)


def task(eager: bool = False) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


@pytest.fixture
def max_age():
    """Set CONN_MAX_AGE for the next connection, as the settings would, and put it back after."""
    kept = connection.settings_dict["CONN_MAX_AGE"]

    def reconnect(seconds: int) -> object:
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = seconds
        connection.ensure_connection()
        return connection.connection

    yield reconnect
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = kept


def test_celery_leaves_the_connections_to_django():
    assert app.conf.get("CELERY_DB_REUSE_MAX") == DB_REUSE_MAX == 1_000_000


def test_a_connection_younger_than_its_max_age_is_kept_across_tasks(max_age):
    opened = max_age(60)
    connections_checked(task=task())
    connections_checked(task=task())
    assert connection.connection is opened


def test_with_no_max_age_each_task_gets_a_new_connection(max_age):
    max_age(0)
    connections_checked(task=task())
    assert connection.connection is None


def test_a_broken_connection_is_dropped_before_the_next_task(max_age):
    opened = max_age(60)
    connection.errors_occurred = True
    opened.close()  # the server went away
    connections_checked(task=task())
    assert connection.connection is None


def test_an_eager_task_leaves_its_callers_connection_alone(max_age):
    opened = max_age(0)
    connections_checked(task=task(eager=True))
    assert connection.connection is opened
