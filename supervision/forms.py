"""Forms of the regulator's workspace: the queue filters, comments, decisions, overrides.

They validate and convert; the writes belong to supervision/services.py.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments import results
from assessments.models import Assessment
from assessments.rules import MODULES
from portal.regions import Province, Sector
from supervision import queue
from supervision.models import TIER_CHOICES

ANY = [("", _("Any"))]


def tier_choices() -> list[tuple[str, str]]:
    """低 / 中 / 高 / 重大 in the words of the result page (built per request: the language)."""
    return [(code, results.tier_label(code)) for code, _label in TIER_CHOICES]


GRADES = [("G1", "G1"), ("G2", "G2"), ("G3", "G3"), ("G4", "G4")]


class QueueFilterForm(forms.Form):
    """The GET form above the queue. Choices are limited to the regulator's jurisdiction."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    tier = forms.ChoiceField(label=_("Risk tier"), required=False)
    module = forms.ChoiceField(
        label=_("Module"), required=False, choices=ANY + [(m, m) for m in MODULES]
    )
    red_lines = forms.ChoiceField(
        label=_("Red lines hit"),
        required=False,
        choices=ANY + [("yes", _("Yes")), ("no", _("No"))],
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    grade = forms.ChoiceField(label=_("Obligation grade"), required=False, choices=ANY + GRADES)
    submitted_from = forms.DateField(
        label=_("Submitted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    submitted_to = forms.DateField(
        label=_("Submitted to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("risk", _("Risk, then oldest first")),
            ("oldest", _("Submission date, oldest first")),
            ("newest", _("Submission date, newest first")),
        ],
    )

    def __init__(self, *args, profile=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = ANY + tier_choices() + [(queue.UNSCORED, _("Not scored"))]
        statuses = [c for c in Assessment.Status.choices if c[0] not in queue.NOT_IN_QUEUE]
        self.fields["status"].choices = ANY + statuses
        provinces = set(profile.provinces or []) if profile else set()
        self.fields["province"].choices = ANY + [c for c in Province.choices if c[0] in provinces]
        sectors = set(profile.sectors or []) if profile else set()
        self.fields["sector"].choices = ANY + [
            c for c in Sector.choices if not sectors or c[0] in sectors
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."), code="range")
        return data

    def filters(self) -> queue.QueueFilters:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return queue.QueueFilters(**data)


class CommentForm(forms.Form):
    question_code = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    body = forms.CharField(
        label=pgettext_lazy("regulator", "Comment"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("request_changes", _("Request changes")),
            ("accept", _("Accept")),
            ("close", _("Close without action")),
        ]
    )
    note = forms.CharField(
        label=_("Note to the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    seen_status = forms.CharField(widget=forms.HiddenInput)
    seen_submission = forms.IntegerField(widget=forms.HiddenInput)


class OverrideForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Risk tier"), widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", "—")] + tier_choices()
