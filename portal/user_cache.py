"""The signed-in user of each request, kept in the shared cache for a short while.

Reading the user costs every page a query, and most of the time of a small one (the ORM builds
it anew each time). `portal.auth.EmailBackend.get_user` reads the user from the cache when
USER_CACHE_SECONDS is set (only with a shared cache: settings.py). Every save or delete of the
user, their regulator profile (the jurisdiction) or a membership drops the entry, at once and
again when the transaction commits, so the next request reads the database. A request that
read the user just before a change and stores it just after could keep the old row until the
entry expires: USER_CACHE_SECONDS bounds that (a minute). Access to an organisation's data is
always decided from the memberships in the database, not from this copy.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# The entry portal.sessions read together with the session, while the request's user is
# being resolved (portal.middleware.AuthenticationMiddleware): (user id, entry or None).
_OFFERED: ContextVar[tuple[str, object] | None] = ContextVar("offered_user", default=None)


def key(user_id) -> str:
    return f"signed-in-user:{user_id}"


def get(user_id):
    if not settings.USER_CACHE_SECONDS:
        return None
    offered = _OFFERED.get()
    if offered is not None and offered[0] == str(user_id):
        return offered[1]  # read with the session: what cache.get would return (None: absent)
    return cache.get(key(user_id))


@contextmanager
def offered(entry: tuple[str, object] | None):
    """While the block runs, `get` answers for `entry`'s user with `entry`'s value."""
    token = _OFFERED.set(entry)
    try:
        yield
    finally:
        _OFFERED.reset(token)


def put(user) -> None:
    if settings.USER_CACHE_SECONDS:
        cache.set(key(user.pk), user, settings.USER_CACHE_SECONDS)


def forget(user_id) -> None:
    if user_id is None:
        return
    cache.delete(key(user_id))
    transaction.on_commit(lambda: cache.delete(key(user_id)))


def on_user_change(sender, instance, **kwargs):
    forget(instance.pk)


def on_related_change(sender, instance, **kwargs):
    forget(instance.user_id)


def on_groups_change(sender, instance, pk_set=None, reverse=False, **kwargs):
    if reverse:  # a group's users changed
        for user_id in pk_set or ():
            forget(user_id)
    else:
        forget(instance.pk)


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from portal.models import Membership, RegulatorProfile

    User = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(on_user_change, sender=User, dispatch_uid=f"user_cache.user.{signal}")
        for model in (Membership, RegulatorProfile):
            signal.connect(
                on_related_change,
                sender=model,
                dispatch_uid=f"user_cache.{model.__name__}.{signal}",
            )
    m2m_changed.connect(
        on_groups_change, sender=User.groups.through, dispatch_uid="user_cache.groups"
    )
