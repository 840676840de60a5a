"""Whole-page cache for the public library, for visitors without a session.

The library's pages depend only on the texts, the catalogue, the day (the text in force today),
the language and the query string. A visitor who is not signed in and has no flash message
waiting gets the page from the cache (Redis in production, local memory otherwise); everyone
else gets it rendered. The CSRF tokens of the page (the language switch, htmx's header) are
personal: they are cut out before storing and a fresh one is put in for each visitor.

Freshness: every write to a model of the regulations app (an import, a catalogue load, a
published edition, an edited key point) bumps a stamp once its transaction commits, and the
stamp is part of every key, so the next request renders anew. Pages also carry an ETag and
answer a matching If-None-Match with 304 Not Modified.
"""

import hashlib
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from portal import page_cache, stamps

STAMP_SCOPE = "library"  # portal.stamps
TIMEOUT = 24 * 3600


def stamp() -> str:
    return stamps.get(STAMP_SCOPE)


def bump() -> None:
    """A new stamp: every cached library page is out of date from now on."""
    stamps.bump(STAMP_SCOPE)


def bump_on_commit(**_) -> None:
    transaction.on_commit(bump)


def connect_signals() -> None:
    for model in apps.get_app_config("regulations").get_models():
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"library-save-{model}")
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"library-del-{model}")


def cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def page_key(request) -> str:
    day = timezone.localdate().isoformat()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"library-page:{stamp()}:{get_language() or ''}:{day}:{path}"


def public_page(view):
    """Serve `view`'s 200 responses to visitors without a session from the cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:24]}"'
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            patch_vary_headers(not_modified, ("Cookie", "Accept-Language"))
            return not_modified
        stored = cache.get(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            body = page_cache.cut_tokens(response.content.decode(response.charset))
            cache.set(key, (response["Content-Type"], body), TIMEOUT)
        else:
            content_type, body = stored
            response = HttpResponse(page_cache.put_token(request, body), content_type=content_type)
        response["ETag"] = etag
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapper
