"""The organisation enters the days the rules' periods run from (duedates.windows)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duedates import services
from duedates.forms import EventDateForm
from portal import access


@require_POST
@login_required
def event_date(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    form = EventDateForm(request.POST)
    if form.is_valid():
        services.event_date_set(
            organisation=assessment.organisation,
            event=form.cleaned_data["event"],
            on=form.cleaned_data["on"],
            by=request.user,
        )
        messages.success(request, _("The date is saved; the due dates follow it."))
    else:
        errors = [e for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors))
    return redirect(f"{assessment.get_absolute_url()}#due-dates")
