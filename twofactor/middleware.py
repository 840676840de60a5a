"""Regulators and content admins reach nothing before their session is verified with a second
factor (when TWO_FACTOR_REQUIRED_FOR_ROLES is on)."""

import functools

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from twofactor import policy

# Where a user who still has to enrol may go: the enrolment itself, signing out, the language.
OPEN_URL_NAMES = ("twofactor:enrol", "logout", "set_language")


class TwoFactorRequiredMiddleware:
    """Placed after AuthenticationMiddleware, django_otp's OTPMiddleware and messages.

    Without an authenticator the user is sent to enrolment; with one but in a session that was
    never verified (signed in before it became required), the user is signed out and signs in
    again with a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            not settings.TWO_FACTOR_REQUIRED_FOR_ROLES
            or not user.is_authenticated
            or policy.session_is_verified(user)
            or request.path_info in open_paths()
            or not policy.two_factor_required(user)
        ):
            return self.get_response(request)
        return send_to_second_factor(request)


@functools.cache
def open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_URL_NAMES)


def send_to_second_factor(request):
    if policy.has_two_factor(request.user):
        auth.logout(request)
        messages.info(request, _("Sign in again with a code from your authentication app."))
        response = redirect_to_login(request.get_full_path())
    else:
        messages.info(request, _("Your role requires two-factor sign-in: set it up to continue."))
        response = redirect("twofactor:enrol")
    if request.headers.get("HX-Request"):
        return HttpResponseClientRedirect(response["Location"])
    return response
