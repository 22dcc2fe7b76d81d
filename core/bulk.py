"""Write many rows at once where Django's own bulk methods are too slow for the sweep.

`QuerySet.bulk_update` builds a `CASE WHEN id = ... THEN ...` expression per field and row: for
a page of 200 complaints that is ~0.5 s of Python before PostgreSQL sees it (bench/README.md).
`bulk_set` sends one `UPDATE ... FROM (VALUES ...)` instead, with each value prepared by its
model field exactly as `save()` would prepare it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, JSONField, Model, Value
from django.db.models.expressions import DatabaseDefault


def bulk_set(
    objects: Sequence[Model],
    fields: Sequence[str],
    *,
    computed: Mapping[str, tuple[str, Sequence[Any]]] | None = None,
) -> None:
    """Save the given fields of already saved objects of one model in one statement.

    `computed` sets more columns from SQL (PostgreSQL only): column name -> (an expression with
    `{}` where the object's value goes, one text value per object). `t` is the table's row.
    """
    if not objects:
        return
    model = type(objects[0])
    computed = computed or {}
    if connection.vendor != "postgresql":
        assert not computed, "computed columns need PostgreSQL"
        model._default_manager.bulk_update(objects, list(fields))
        return
    db = transaction.get_connection()  # the connection itself: the proxy costs a lookup per value
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    columns = _fields(model, fields)
    extra = [(db.ops.quote_name(name), sql, values) for name, (sql, values) in computed.items()]
    row = "(" + ", ".join(["%s"] * (1 + len(columns) + len(extra))) + ")"
    params: list[Any] = []
    for index, obj in enumerate(objects):
        params.append(pk.get_db_prep_value(obj.pk, db))
        for column in columns:
            params.append(column.get_db_prep_save(getattr(obj, column.attname), db))
        params.extend(values[index] for _, _, values in extra)
    quoted = [db.ops.quote_name(column.column or "") for column in columns]
    names = ", ".join([*quoted, *(name for name, _, _ in extra)])
    assignments = ", ".join(
        [
            *(f"{name} = v.{name}::{column.db_type(db)}" for name, column in zip(quoted, columns, strict=True)),
            *(f"{name} = {sql.format(f'v.{name}::text')}" for name, sql, _ in extra),
        ]
    )
    table = db.ops.quote_name(meta.db_table)
    key = db.ops.quote_name(pk.column or "")
    values = ", ".join([row] * len(objects))
    match = f"t.{key} = v.{key}::{pk.db_type(db)}"
    # Every name is quoted from the model's meta and every value is a parameter (bandit B608 is a false alarm).
    sql = f"UPDATE {table} AS t SET {assignments} FROM (VALUES {values}) AS v({key}, {names}) WHERE {match}"  # nosec B608
    with db.cursor() as cursor:
        cursor.execute(sql, params)


def _fields(model: type[Model], names: Sequence[str]) -> list[Field[Any, Any]]:
    """The model's fields of these names (or attribute names, `complaint_id`), each a column once."""
    fields: list[Field[Any, Any]] = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column, f"{name} is not a column"
        assert field not in fields, f"{name} is given twice"
        fields.append(field)
    return fields


def _insert(db: Any, model: type[Model], fields: Sequence[Field[Any, Any]], params: list[Any]) -> list[int]:
    """One `INSERT ... RETURNING` of `params`, prepared values of `fields` row after row; the new keys in order."""
    pk = model._meta.pk
    assert pk is not None
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    names = ", ".join(db.ops.quote_name(field.column or "") for field in fields)
    table, key = db.ops.quote_name(model._meta.db_table), db.ops.quote_name(pk.column or "")
    values = ", ".join([row] * (len(params) // len(fields)))
    # Every name is quoted from the model's meta and every value is a parameter (bandit B608 is a false alarm).
    sql = f"INSERT INTO {table} ({names}) VALUES {values} RETURNING {key}"  # nosec B608
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return [row_id for (row_id,) in cursor.fetchall()]


def _value(field: Field[Any, Any], obj: Model) -> Any:
    """The value `save()` would insert for this field, with a database default written out."""
    value = field.pre_save(obj, True)
    if isinstance(value, DatabaseDefault):
        default = field.db_default
        return default.value if isinstance(default, Value) else default
    return value


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
    fields = [field for field in model._meta.concrete_fields if field is not model._meta.pk]
    params = [field.get_db_prep_save(_value(field, obj), db) for obj in objects for field in fields]
    for obj, row_id in zip(objects, _insert(db, model, fields, params), strict=True):
        obj.pk = row_id
        obj._state.adding = False
        obj._state.db = db.alias


def insert_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert rows given as plain values in one statement; returns their primary keys in order.

    For the sweep's thousands of e-mails and notices, where building a model instance per row
    costs more than the insert. `columns` are attribute names (`complaint_id`, not `complaint`);
    each value must be what the database takes as it is: a str, int, bool, aware datetime or
    None, or a dict or list for a JSON column. The other columns get their field's default,
    computed once for all the rows.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objects)
        return [obj.pk for obj in objects]
    db = transaction.get_connection()
    given = _fields(model, columns)
    # JSON columns take a dict or list: the field adapts it for the driver.
    json_columns = [index for index, field in enumerate(given) if isinstance(field, JSONField)]
    blank = model()
    others = [field for field in model._meta.concrete_fields if field is not model._meta.pk and field not in given]
    defaults = [field.get_db_prep_save(_value(field, blank), db) for field in others]
    # A JSON value is written out once however many rows share it (the recipients of one notice
    # share its context), as text: in an INSERT's VALUES PostgreSQL reads it as the column's type.
    written: dict[int, str | None] = {}
    params: list[Any] = []
    for values in rows:
        assert len(values) == len(given), "one value per column"
        if json_columns:
            values = list(values)
            for index in json_columns:
                value = values[index]
                if id(value) not in written:
                    field = given[index]
                    assert isinstance(field, JSONField)
                    written[id(value)] = None if value is None else json.dumps(value, cls=field.encoder)
                values[index] = written[id(value)]
        params.extend(values)
        params.extend(defaults)
    return _insert(db, model, [*given, *others], params)
