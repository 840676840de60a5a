"""Each person's notification preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from notifications import services
from notifications.forms import PreferenceForm


@login_required
def preferences(request):
    form = PreferenceForm(request.POST or None, instance=services.preference_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preference_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


INBOX_SIZE = 50


@require_GET
@login_required
def inbox(request):
    """The person's latest notifications in the portal (the same rows as the mails)."""
    rows = request.user.notifications.order_by("-created_at", "-pk")[:INBOX_SIZE]
    return render(request, "notifications/inbox.html", {"rows": rows, "size": INBOX_SIZE})
