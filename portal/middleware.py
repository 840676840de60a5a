"""Request and response handling around every view: language, control characters, trusted
proxies, the loopback health check, privacy headers and the session idle time-out."""

import re
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from portal import user_cache
from portal.proxies import FORWARDED_HEADERS, is_trusted_proxy, parse_address


class PortalLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but the browser's Accept-Language does not override the default.

    The portal is Chinese first: an English-language browser still sees Chinese until its user
    picks English with the language switch (stored in the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Control characters never belong in a URL or a form value; PostgreSQL refuses NUL in text
# (DataError, a 500) and the others are only ever probes. Tab, line feed and carriage return
# are kept in values (text areas); nothing is allowed in the path.
FORBIDDEN_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
FORBIDDEN_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_forbidden_characters(data) -> bool:
    return any(
        FORBIDDEN_IN_VALUE.search(key) or any(FORBIDDEN_IN_VALUE.search(v) for v in values)
        for key, values in data.lists()
    )


def request_has_forbidden_characters(request) -> bool:
    if FORBIDDEN_IN_PATH.search(request.path_info) or has_forbidden_characters(request.GET):
        return True
    # Uploaded file names need no check: Django's multipart parser already strips them.
    return request.method == "POST" and has_forbidden_characters(request.POST)


class RejectControlCharactersMiddleware:
    """Answer 400 before any view runs when the path, the query or a form carries a control
    character such as NUL (%00)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = request_has_forbidden_characters(request)
        except MultiPartParserError:
            refused = True
        if refused:
            return HttpResponseBadRequest(
                gettext("The address or the form contains a character that is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class LoopbackHealthCheckMiddleware:
    """Serve /healthz to probes on the machine itself whatever Host header they send.

    The compose health check calls http://127.0.0.1:8000/healthz; ALLOWED_HOSTS names the public
    host only, so the request would otherwise be refused with 400. Placed first, before anything
    that validates the host.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and is_loopback(request.META.get("REMOTE_ADDR", "")):
            from portal.views import healthz

            return healthz(request)
        return self.get_response(request)


def is_loopback(address: str) -> bool:
    parsed = parse_address(address)
    return parsed is not None and parsed.is_loopback


class TrustedProxyMiddleware:
    """Drop X-Forwarded-* headers unless the connection comes from a trusted proxy.

    Django's SECURE_PROXY_SSL_HEADER (set only when TRUSTED_PROXIES is configured) then cannot
    be fooled by a client sending `X-Forwarded-Proto: https` over plain HTTP.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` for signed-in users.

    Everything a signed-in user sees (answers, submissions, PDFs, evidence files) is private,
    so no browser or shared cache may keep a copy after sign-out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if is_signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, except that the request's user is resolved with whatever entry the session
    store read in the same round trip as the session (portal.sessions, portal.user_cache)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))


def signed_in_user(request):
    request.session.get(SESSION_KEY)  # reads the session: its store may offer the user
    with user_cache.offered(getattr(request.session, "offered_user", None)):
        return auth_middleware.get_user(request)  # kept on the request, as Django does


def is_signed_in(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(SESSION_KEY) is not None


class SessionIdleMiddleware:
    """Sign a user out after SESSION_COOKIE_AGE of inactivity, not two weeks after sign-in.

    A session expires SESSION_COOKIE_AGE after it was last saved; this pushes the expiry forward
    at most once per SESSION_IDLE_REFRESH_SECONDS of activity (one write a few minutes, instead
    of SESSION_SAVE_EVERY_REQUEST's write on every request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_signed_in(request):
            seen = request.session.get(SESSION_SEEN_KEY, 0)
            now = int(time.time())
            if not isinstance(seen, int) or now - seen >= settings.SESSION_IDLE_REFRESH_SECONDS:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


SESSION_SEEN_KEY = "portal_seen_at"


def mark_session_seen(sender, request, user, **kwargs):
    """At sign-in, so the first page after it does not write the session again."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SEEN_KEY] = int(time.time())
