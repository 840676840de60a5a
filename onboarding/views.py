"""Thin views: a company registers; deciders decide; a regulator imports; a platform admin
manages regulators. Who may open what is decided here, before any service runs."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from onboarding import selectors, services
from onboarding.forms import (
    DecisionForm,
    ImportForm,
    RegistrationForm,
    RegulatorChangeForm,
    RegulatorCreateForm,
)
from onboarding.messages import problem_text
from onboarding.models import RegistrationRequest
from portal import access
from portal.models import RegulatorProfile
from portal.roles import is_platform_admin


def allowed(test):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def posted(request):
    """The posted data, even empty (an empty POST is an invalid form, not a blank page)."""
    return request.POST if request.method == "POST" else None


def add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --------------------------------------------------------------------------- the company


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_submit(data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return render(request, "onboarding/register_sent.html", {"registration": registration})
    return render(
        request, "onboarding/register.html", {"form": form}, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def verify(request, token):
    registration = RegistrationRequest.objects.filter(token=token).first()
    problem = services.verification_refusal(registration)
    if problem is None and request.method == "POST":
        try:
            registration = services.registration_verify(token=token)
        except ValidationError as error:
            problem = error
        else:
            outside = services.outside_every_jurisdiction(registration)
            return render(
                request,
                "onboarding/verified.html",
                {"registration": registration, "outside": outside},
            )
    return render(
        request,
        "onboarding/verify.html",
        {"registration": registration, "problem": problem},
        status=404 if registration is None else 200,
    )


# --------------------------------------------------------------------------- deciders


@allowed(selectors.can_decide)
@require_safe
def requests(request):
    found = selectors.requests_for_decider(request.user)
    status = request.GET.get("status") or RegistrationRequest.Status.PENDING
    if status not in RegistrationRequest.Status.values:
        status = RegistrationRequest.Status.PENDING
    return render(
        request,
        "onboarding/requests.html",
        {
            "requests": found.filter(status=status)[:200],
            "status": status,
            "statuses": [s for s in RegistrationRequest.Status.choices if s[0] != "unverified"],
        },
    )


@allowed(selectors.can_decide)
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    registration = get_object_or_404(selectors.requests_for_decider(request.user), pk=pk)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_decide(
                request=registration,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded and the applicant told."))
            return redirect("onboarding:requests")
    return render(
        request,
        "onboarding/request.html",
        {
            "registration": registration,
            "form": form,
            "outside": services.outside_every_jurisdiction(registration),
        },
        status=422 if form.errors else 200,
    )


@allowed(access.is_regulator)
@require_http_methods(["GET", "POST"])
def import_organisations(request):
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = "import" not in request.POST
        checked = services.organisations_import(
            by=request.user, filename=upload.name, data=upload.read(), dry_run=dry_run
        )
        context.update(
            dry_run=dry_run,
            checked=checked,
            file_problems=[problem_text(p) for p in checked.file_problems],
            row_problems=[
                (number, [problem_text(p) for p in problems])
                for number, problems in sorted(checked.problems.items())
            ],
            done=not dry_run and checked.ok,
        )
    return render(request, "onboarding/import.html", context, status=422 if form.errors else 200)


# --------------------------------------------------------------------------- platform admin


@allowed(is_platform_admin)
@require_safe
def regulators(request):
    return render(
        request, "onboarding/regulators.html", {"profiles": selectors.regulator_profiles()}
    )


@allowed(is_platform_admin)
@require_http_methods(["GET", "POST"])
def regulator_new(request):
    form = RegulatorCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.regulator_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The account is created; a link to set the password was mailed.")
            )
            return redirect("onboarding:regulators")
    return render(
        request,
        "onboarding/regulator_form.html",
        {"form": form, "creating": True},
        status=422 if form.errors else 200,
    )


@allowed(is_platform_admin)
@require_http_methods(["GET", "POST"])
def regulator_change(request, pk):
    profile = get_object_or_404(RegulatorProfile.objects.select_related("user"), pk=pk)
    initial = {
        "authority": profile.authority,
        "provinces": profile.provinces,
        "sectors": profile.sectors,
        "active": profile.user.is_active,
    }
    form = RegulatorChangeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.regulator_update(by=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The jurisdiction is saved."))
            return redirect("onboarding:regulators")
    return render(
        request,
        "onboarding/regulator_form.html",
        {"form": form, "profile": profile},
        status=422 if form.errors else 200,
    )
