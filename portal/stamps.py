"""Stamps: one random token per scope in the shared cache, replaced whenever something in the
scope changes, so that a cache key that carries the stamp stops being used from then on.

A stamp that is missing (never set, evicted, or the cache emptied) is set to a new random
token, never to an earlier one, so a lost stamp can only make keys miss, never bring an old
entry back.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

PREFIX = "stamp:"


def _key(scope: str) -> str:
    return PREFIX + scope


def get(scope: str) -> str:
    return get_many([scope])[scope]


def get_many(scopes: list[str]) -> dict[str, str]:
    """The stamps of `scopes` (one round trip when they are all set)."""
    keys = [_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return {scope: found[_key(scope)] for scope in scopes}


def bump(*scopes: str) -> None:
    """New stamps for `scopes`: every key made with the old ones is out of date from now on."""
    if len(scopes) == 1:  # the usual case: one command rather than a pipeline
        cache.set(_key(scopes[0]), uuid.uuid4().hex, None)
    elif scopes:
        cache.set_many({_key(scope): uuid.uuid4().hex for scope in scopes}, None)


class _Pending:
    """The scopes a transaction has changed, bumped again when it commits."""

    def __init__(self):
        self.scopes: set[str] = set()

    def flush(self) -> None:
        bump(*sorted(self.scopes))


def bump_in_transaction(scopes: set[str]) -> None:
    """Bump `scopes` at once (later reads of this transaction see the change) and, inside a
    transaction, again when it commits, so that a page rendered by another request in between
    from the data before the commit is never used (one bump per scope at the commit, however
    many rows the transaction wrote)."""
    if not scopes:
        return
    bump(*sorted(scopes))
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "_stamps_pending", None)
    # A rolled-back transaction drops its on-commit callbacks: then this one starts anew.
    if pending is None or not any(entry[1] == pending.flush for entry in connection.run_on_commit):
        pending = connection._stamps_pending = _Pending()
        transaction.on_commit(pending.flush)
    pending.scopes |= scopes
