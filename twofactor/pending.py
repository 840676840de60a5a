"""A sign-in between its two steps: the password was right, the second factor is still due.

The user is not signed in until the second step succeeds: the session only remembers who is
signing in, for PENDING_SECONDS, and where to go next.
"""

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model

PENDING_KEY = "twofactor_pending"


def pending_start(request, user, *, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": int(time.time()),
    }


def pending_state(request) -> dict | None:
    state = request.session.get(PENDING_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("at"), int):
        return None
    if time.time() - state["at"] > settings.TWO_FACTOR_PENDING_SECONDS:
        pending_cancel(request)
        return None
    return state


def pending_user(request):
    state = pending_state(request)
    if state is None:
        return None
    return get_user_model()._default_manager.filter(pk=state["user"], is_active=True).first()


def pending_cancel(request) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_finish(request, user, device) -> str:
    """Sign the user in, verified by `device`; returns where to go next."""
    state = request.session.pop(PENDING_KEY)
    user.otp_device = device  # django_otp marks the session verified on user_logged_in
    auth.login(request, user, backend=state["backend"])
    return state["next"]
