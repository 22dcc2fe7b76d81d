"""Write many rows at once where Django's own bulk methods are too slow for the sweep.

`QuerySet.bulk_update` builds a `CASE WHEN id = ... THEN ...` expression per field and row: for
a page of 200 complaints that is ~0.5 s of Python before PostgreSQL sees it (bench/README.md).
`bulk_set` sends one `UPDATE ... FROM (VALUES ...)` instead, with each value prepared by its
model field exactly as `save()` would prepare it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model


def bulk_set(objects: Sequence[Model], fields: Sequence[str]) -> None:
    """Save the given fields of already saved objects of one model in one statement."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objects, list(fields))
        return
    db = transaction.get_connection()  # the connection itself: the proxy costs a lookup per value
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    columns: list[Field[Any, Any]] = []
    for name in fields:
        column = meta.get_field(name)
        assert isinstance(column, Field) and column.column, f"{name} is not a column"
        columns.append(column)
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    params: list[Any] = []
    for obj in objects:
        params.append(pk.get_db_prep_value(obj.pk, db))
        for column in columns:
            params.append(column.get_db_prep_save(getattr(obj, column.attname), db))
    quoted = [db.ops.quote_name(column.column or "") for column in columns]
    names = ", ".join(quoted)
    assignments = ", ".join(
        f"{name} = v.{name}::{column.db_type(db)}" for name, column in zip(quoted, columns, strict=True)
    )
    table = db.ops.quote_name(meta.db_table)
    key = db.ops.quote_name(pk.column or "")
    sql = (
        f"UPDATE {table} AS t SET {assignments} "
        f"FROM (VALUES {', '.join([row] * len(objects))}) AS v({key}, {names}) "
        f"WHERE t.{key} = v.{key}::{pk.db_type(db)}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, params)


def bulk_insert(objects: Sequence[Model]) -> None:
    """Insert new objects of one model in one statement and set their primary keys.

    Each value is prepared by its field as `save()` would (`pre_save`, then `get_db_prep_save`),
    without the per-object work `bulk_create` does for cases the sweep never has (parents,
    conflicts, unsaved related objects).
    """
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects)
        return
    db = transaction.get_connection()  # the connection itself: the proxy costs a lookup per value
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    columns = [field for field in meta.concrete_fields if field is not pk]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    params: list[Any] = []
    for obj in objects:
        for column in columns:
            params.append(column.get_db_prep_save(column.pre_save(obj, True), db))
    names = ", ".join(db.ops.quote_name(column.column or "") for column in columns)
    sql = (
        f"INSERT INTO {db.ops.quote_name(meta.db_table)} ({names}) "
        f"VALUES {', '.join([row] * len(objects))} RETURNING {db.ops.quote_name(pk.column or '')}"
    )
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row_id for (row_id,) in cursor.fetchall()]
    for obj, row_id in zip(objects, ids, strict=True):
        obj.pk = row_id
        obj._state.adding = False
        obj._state.db = db.alias
