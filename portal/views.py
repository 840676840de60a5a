"""Pages of the shell: home per role, the health check."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from portal import access
from portal.roles import is_platform_admin

BROKER_TIMEOUT_SECONDS = 2


def home(request):
    user = request.user
    context = {}
    if user.is_authenticated:
        context["memberships"] = list(
            access.memberships_for_user(user).order_by("organisation__name")
        )
        context["regulator"] = access.regulator_profile(user)
        context["platform_admin"] = is_platform_admin(user)
        if is_regulator_only(user, context):
            return redirect("supervision:queue")
        context.update(member_next_step(user, context["memberships"]))
    return render(request, "portal/home.html", context)


def member_next_step(user, memberships) -> dict:
    """What a member's home offers next: the latest assessment to continue, a first one to
    start, or a notice that their access is read-only."""
    roles = [membership.can_write for membership in memberships]
    if not roles:
        return {}
    latest = access.assessments_for_user(user).select_related("version__questionnaire")
    return {
        "latest_assessment": latest.order_by("-updated_at").first(),
        "can_start": any(roles),
        "read_only": not any(roles),
    }


def is_regulator_only(user, context) -> bool:
    """A regulator with no organisation and no content work lands on the review queue."""
    regulator = context["regulator"] is not None
    return regulator and not user.is_content_admin and not context["memberships"]


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to our SVG icon."""
    return HttpResponseRedirect(static("favicon.svg"))


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down" to the probe
        return f"error: {type(error).__name__}"
    return "ok"


def broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
        )
        client.ping()
    except Exception as error:  # noqa: BLE001
        return f"error: {type(error).__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 when every configured dependency answers, 503 naming the one that does not."""
    checks = {"database": database_state(), "broker": broker_state()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes lock-out page: says why and for how long, in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
