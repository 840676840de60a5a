"""Model instances from plain SQL, for the few hot paths where building a query with the ORM
costs more than running it (the autosave, the member pages' access check).

`columns(model, alias)` gives a model's concrete columns, quoted and prefixed with a table
alias, for a SELECT list; `take(model, row, start)` builds the instance from that part of a row
with `Model.from_db`, exactly as the ORM does (fields left out are deferred and read on first
use, as with `.defer()`), and `attach(instance, field, related)` stores a related instance the
way `select_related` does, so reading the relation costs no query.
"""

from functools import cache

from django.db import connection


@cache
def fields(model, without: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The attribute names of `model`'s concrete fields, in declaration order."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.name not in without)


@cache
def columns(model, alias: str, without: frozenset[str] = frozenset()) -> str:
    """`alias."col", alias."col", …` for the fields `fields(model, without)` names."""
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(by_attname[name])}" for name in fields(model, without))


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field_name: str) -> str:
    """The quoted column of `model`'s field `field_name` (a foreign key's `…_id` column)."""
    return connection.ops.quote_name(model._meta.get_field(field_name).column)


@cache
def _converters(model, without: frozenset[str]) -> tuple[tuple, ...]:
    """For each field, the (converter, expression) pairs the ORM's compiler would apply to its
    value (JSON decoded, SQLite's dates and booleans typed…)."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    out = []
    for name in fields(model, without):
        col = by_attname[name].get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        out.append(tuple((converter, col) for converter in found))
    return tuple(out)


def values(model, row, start: int = 0, without: frozenset[str] = frozenset()) -> list:
    """The Python values of `row[start:]` for the fields `fields(model, without)` names, as the
    ORM would give them, without building an instance."""
    names = fields(model, without)
    out = list(row[start : start + len(names)])
    for i, pairs in enumerate(_converters(model, without)):
        for converter, col in pairs:
            out[i] = converter(out[i], col, connection)
    return out


def take(model, row, start: int = 0, without: frozenset[str] = frozenset()):
    """The instance of `model` from `row[start:]` (as many values as `fields` names), and the
    index after them."""
    names = fields(model, without)
    instance = model.from_db(connection.alias, names, values(model, row, start, without))
    return instance, start + len(names)


def attach(instance, field_name: str, related) -> None:
    """Keep `related` as `instance.<field_name>`, as select_related does."""
    instance._meta.get_field(field_name).set_cached_value(instance, related)
