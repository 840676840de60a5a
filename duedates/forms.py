from django import forms
from django.utils.translation import gettext_lazy as _

from duedates.windows import EVENTS, is_enterable


class EventDateForm(forms.Form):
    """The day an event happened (empty: forget it)."""

    event = forms.CharField(max_length=40)
    on = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def clean_event(self):
        event = self.cleaned_data["event"]
        if not is_enterable(event):
            raise forms.ValidationError(_("Unknown event."))
        return event

    def clean(self):
        """A day that has happened (or a duty done) cannot lie ahead; an expiry date may."""
        from django.utils import timezone

        cleaned = super().clean()
        event, on = EVENTS.get(cleaned.get("event")), cleaned.get("on")
        future = event is not None and event.future
        if cleaned.get("event") and on is not None and not future and on > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future."))
        return cleaned
