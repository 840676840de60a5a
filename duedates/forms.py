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

    def clean_on(self):
        from django.utils import timezone

        on = self.cleaned_data.get("on")
        if on is not None and on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on
