from django import forms
from django.utils.translation import gettext_lazy as _

from duedates.windows import EVENTS


class EventDateForm(forms.Form):
    """The day an event happened (empty: forget it)."""

    event = forms.ChoiceField(choices=[(key, key) for key in EVENTS])
    on = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def clean(self):
        """A day that has happened cannot lie ahead; an expiry date may."""
        from django.utils import timezone

        cleaned = super().clean()
        event, on = EVENTS.get(cleaned.get("event")), cleaned.get("on")
        if event and on is not None and not event.future and on > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future."))
        return cleaned
