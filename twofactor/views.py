"""Two-factor sign-in: the password step, the code step, enrolment and the settings page."""

from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken

from portal import forms as portal_forms
from portal.views import locked_out
from twofactor import pending, policy, services
from twofactor.forms import AuthenticatorCodeForm, CodeForm
from twofactor.qr import qr_svg


class SignInView(auth_views.LoginView):
    """Django's sign-in; a user with an authenticator then gives a code before being signed in."""

    authentication_form = portal_forms.LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not policy.has_two_factor(user):
            return super().form_valid(form)
        pending.pending_start(self.request, user, next_url=self.get_success_url())
        return redirect("twofactor:verify")


@never_cache
def verify(request):
    user = pending.pending_user(request)
    if user is None:
        messages.info(request, _("Sign in with your e-mail address and password first."))
        return redirect("login")
    credentials = {"username": user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        pending.pending_cancel(request)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = services.code_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            return redirect(pending.pending_finish(request, user, device))
        # Counted by the lock-out like a wrong password: per account and per address.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            pending.pending_cancel(request)
        form.add_error("code", services.WRONG_CODE)
    return render(request, "twofactor/verify.html", {"form": form})


@login_required
def overview(request):
    user = request.user
    context = {
        "enabled": policy.has_two_factor(user),
        "required": policy.two_factor_required(user),
        "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        "form": CodeForm(auto_id="regenerate_%s"),
        "disable_form": CodeForm(auto_id="disable_%s"),
    }
    return render(request, "twofactor/overview.html", context)


@login_required
def enrol(request):
    if policy.has_two_factor(request.user):
        return redirect("twofactor:overview")
    device = services.totp_enrolment_start(user=request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = services.totp_enrolment_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            device.confirmed = True
            otp_login(request, device)
            return render_recovery_codes(request, codes)
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret": grouped_secret(device),
        "required": policy.two_factor_required(request.user),
    }
    return render(request, "twofactor/enrol.html", context)


def grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def render_recovery_codes(request, codes):
    """Shown once: the codes are never displayed again (a new set can be made)."""
    return render(request, "twofactor/recovery_codes.html", {"codes": codes})


@require_POST
@login_required
def recovery_codes(request):
    try:
        codes = services.recovery_codes_regenerate(user=request.user, code=posted_code(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("twofactor:overview")
    return render_recovery_codes(request, codes)


@require_POST
@login_required
def disable(request):
    try:
        services.two_factor_disable(user=request.user, code=posted_code(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("twofactor:overview")


def posted_code(request) -> str:
    form = CodeForm(request.POST)
    return form.cleaned_data["code"] if form.is_valid() else ""
