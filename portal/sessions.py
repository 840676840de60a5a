"""Sessions read from the shared cache together with the signed-in user: one round trip.

Django's `cached_db` store reads the session from the cache; then the authentication backend
reads the session's user from the cache (portal/user_cache.py): two round trips to Redis
before any page can start, and on a loaded server each one waits its turn for the CPU. The
second needs the user's id, which only the session holds, so the two cannot be asked for at
once... except that a session belongs to the same user from one request to the next. This
store remembers, per process, which user each session it has read belongs to, and asks for
that user's cached entry in the same MGET as the session. What it finds is offered to the
backend (`offered_user`, taken by portal.middleware.AuthenticationMiddleware): it is the
entry the backend's own read would have returned, read in the same instant.

The remembered user is only a guess of which entry to fetch: the session's own data decides
who is signed in, and a guess that does not match it is ignored (the backend then reads the
cache as before). Nothing else changes: writes, expiry and the database copy are Django's.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from portal import user_cache

# Session key -> the id of the user it was signed in as, when this process last read it.
# Bounded: emptied when full (a forgotten guess costs one more round trip, once).
_USER_OF: dict[str, str] = {}
MAX_REMEMBERED = 20_000


class SessionStore(cached_db.SessionStore):
    # (user id, the user's cached entry or None) read with the session, for the backend.
    offered_user: tuple[str, object] | None = None

    def load(self):
        guess = _USER_OF.get(self.session_key) if settings.USER_CACHE_SECONDS else None
        if guess is None:
            data = super().load()
        else:
            user_key = user_cache.key(guess)
            try:
                found = self._cache.get_many([self.cache_key, user_key])
            except Exception:  # as Django's store: an unreadable cache reads the database
                found = {}
            data = found.get(self.cache_key)
            if data is None:
                data = super().load()
            self.offered_user = (guess, found.get(user_key))
        user_id = data.get(SESSION_KEY)
        if user_id is not None and self.session_key is not None:
            if len(_USER_OF) >= MAX_REMEMBERED:
                _USER_OF.clear()
            _USER_OF[self.session_key] = str(user_id)
        return data
