"""Reads prepared once on each PostgreSQL connection, then run by name, and their rows made into model instances.

Every signed-in page reads its session and its header's facts, the case page its thread, files
and history, and a public profile's repeat visit its business: short reads by key whose planning
on each request, and the ORM's building of them, cost several times their running
(bench/README.md, "Sixth round" and "Seventh round"). A `PreparedRead` is planned once on each
connection: `PREPARE name AS ...` the first time a connection runs it, `EXECUTE name(...)` from
then on. The `PREPARE` goes through the driver's cursor, outside Django's query log: it is a cost
of the connection, not of whichever request happens to come first, so the query counts pinned in
tests do not depend on their order. The connections that hold a statement are tracked by the
driver's connection object, so a reconnection (CONN_MAX_AGE, a broken connection) prepares it
again.

A prepared statement lives as long as its connection: behind a connection pooler it needs the
pooler's session mode (docs/operations.md, "DATABASE_URL"). Only PostgreSQL has them; callers
keep their ORM read for any other database (`prepared_reads()`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def prepared_reads() -> bool:
    """Whether the default database prepares statements (PostgreSQL)."""
    return connection.vendor == "postgresql"


@dataclass(eq=False)
class PreparedRead:
    """A SELECT with parameters `$1`, `$2`..., its text built on first use (`build`, once per process).

    The parameters' types are inferred by PostgreSQL from where they are used.
    """

    name: str
    build: Callable[[], str]
    _prepared_on: weakref.WeakSet[Any] = field(default_factory=weakref.WeakSet, repr=False)

    @cached_property
    def sql(self) -> str:
        return self.build()

    def rows(self, *params: Any) -> list[tuple[Any, ...]]:
        """The statement's rows for these parameters, preparing it first on a connection that has not."""
        with connection.cursor() as cursor:
            raw = connection.connection
            if raw not in self._prepared_on:
                # On the driver's own cursor: once a connection, not a query of the request that
                # happens to run first, so the query counts pinned in tests do not depend on order.
                with raw.cursor() as plain:
                    plain.execute(f"PREPARE {self.name} AS {self.sql}")
                self._prepared_on.add(raw)
            # A statement without parameters is executed without parentheses: `name()` is a syntax error.
            placeholders = f"({', '.join(['%s'] * len(params))})" if params else ""
            cursor.execute(f"EXECUTE {self.name}{placeholders}", params)
            return cursor.fetchall()


@dataclass(frozen=True)
class Branch:
    """One SELECT of a `UnionRead`: its models' columns under their aliases, and what follows the column list.

    `source` is the FROM and WHERE, with the read's parameters as `$1`...; `order` is its rows'
    order as two keys, a timestamp and an id, or none (the branch's rows then come in any order).
    `extras` follow the models' columns: each an expression and the SQL type it is cast to.
    """

    parts: tuple[tuple[Columns, str], ...]
    source: str
    order: tuple[str, str] | None = None
    extras: tuple[tuple[str, str], ...] = ()

    @property
    def width(self) -> int:
        return sum(len(columns.names) for columns, _ in self.parts) + len(self.extras)

    def columns(self, own: bool) -> list[str]:
        """The branch's column list in its own SELECT, or the typed NULLs another branch puts in its place."""
        listed = [part.select(alias) if own else part.nulls() for part, alias in self.parts]
        listed += [f"({expression})::{kind}" if own else f"NULL::{kind}" for expression, kind in self.extras]
        return listed


class UnionRead:
    """Several reads by the same parameters as one prepared statement: one round trip instead of one each.

    On this machine a round trip to PostgreSQL costs 0.1-0.2 ms through Django's cursor however
    small the read (bench/README.md, "Tenth round"). The branches are joined by UNION ALL, each row wide enough
    for every branch's columns: its own values in its place, typed NULLs in the others'. A
    leading column names the branch, and the rows come ordered by it, then by the branch's order.
    """

    def __init__(self, name: str, branches: Sequence[Branch]) -> None:
        self.branches = tuple(branches)
        self.read = PreparedRead(name, self._sql)

    def _sql(self) -> str:
        selects = []
        for index, branch in enumerate(self.branches):
            columns = [column for at, other in enumerate(self.branches) for column in other.columns(own=at == index)]
            # Every piece is a model's table or column name, or the read's own text (B608 is a false alarm).
            order = (
                f"{branch.order[0]}, {branch.order[1]}::bigint" if branch.order else "NULL::timestamptz, NULL::bigint"
            )
            selects.append(f"SELECT {index}, {order}, {', '.join(columns)} {branch.source}")  # nosec B608
        return " UNION ALL ".join(selects) + " ORDER BY 1, 2, 3"

    def rows(self, *params: Any) -> list[list[Sequence[Any]]]:
        """Each branch's rows, in the order of the branches, each row only that branch's columns."""
        found: list[list[Sequence[Any]]] = [[] for _ in self.branches]
        starts, start = [], 3
        for branch in self.branches:
            starts.append(start)
            start += branch.width
        for row in self.read.rows(*params):
            index = row[0]
            begin = starts[index]
            found[index].append(row[begin : begin + self.branches[index].width])
        return found


class Columns:
    """A model's concrete columns as a SELECT lists them, and a row of them made into the ORM's instance.

    The instance is the one a queryset gives: built by `Model.from_db` from the same values, each
    passed through the converters the ORM would apply to its column (a JSON field's decoding,
    say); most columns have none.
    """

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]

    def select(self, alias: str) -> str:
        """The columns, qualified by `alias`, as the model's meta names them (never a value)."""
        quote = connection.ops.quote_name
        return ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)

    def nulls(self) -> str:
        """A NULL of each column's type, in `select`'s order: what another branch of a `UnionRead` puts here."""
        return ", ".join(f"NULL::{f.db_type(connection)}" for f in self.fields)

    @cached_property
    def _converters(self) -> list[tuple[int, list[Callable[..., Any]], Any]]:
        table = self.model._meta.db_table
        found = []
        for index, model_field in enumerate(self.fields):
            column = model_field.get_col(table)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if converters:
                found.append((index, converters, column))
        return found

    def instance(self, values: Sequence[Any]) -> Any:
        """The model instance of one row's values (in `select`'s order)."""
        if self._converters:
            values = list(values)
            for index, converters, column in self._converters:
                for converter in converters:
                    values[index] = converter(values[index], column, connection)
        return self.model.from_db(connection.alias, self.names, values)

    def instance_or_none(self, values: Sequence[Any]) -> Any | None:
        """The instance of a LEFT JOINed model's values, or None where the join found no row (its id is NULL)."""
        return None if values[self._pk_index] is None else self.instance(values)

    @cached_property
    def _pk_index(self) -> int:
        return self.names.index(self.model._meta.pk.attname)


def split(row: Sequence[Any], *parts: Columns) -> list[Sequence[Any]]:
    """A joined row cut into each model's values, in the order of `parts`, then whatever follows them."""
    pieces, start = [], 0
    for part in parts:
        pieces.append(row[start : start + len(part.names)])
        start += len(part.names)
    return [*pieces, row[start:]]


def keep_prefetched(instance: Model, accessor: str, related: list[Any]) -> None:
    """Leave `related` on `instance` as `prefetch_related(accessor)` would: `instance.<accessor>.all()`
    then reads no more. `accessor` is a reverse relation whose related name it is."""
    kept = getattr(instance, accessor).all()
    kept._result_cache = related
    kept._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[accessor] = kept
