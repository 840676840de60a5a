"""Forms that validate one answer, an evidence upload, an invitation, an assignment."""

import math

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Question
from assessments.services import AnswerInput, Attestation
from portal.models import Membership

MAX_TEXT = 2000
LEVEL_CHOICES = [
    (0, _("0 · Not implemented")),
    (1, _("1 · Partial")),
    (2, _("2 · Largely")),
    (3, _("3 · Fully")),
]
YESNO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
MAX_NUMBER = 10**12
NONE_CHOICE = "none"  # the exclusive "none of these" option of multiple-choice questions


def answer_field(question: Question) -> forms.Field:
    kind = question.answer_type
    if kind == Question.AnswerType.LEVEL:
        return forms.TypedChoiceField(
            choices=LEVEL_CHOICES,
            coerce=int,
            required=False,
            widget=forms.RadioSelect,
            empty_value=None,
        )
    if kind == Question.AnswerType.YESNO:
        return forms.TypedChoiceField(
            choices=YESNO_CHOICES,
            coerce=lambda v: v == "yes",
            required=False,
            widget=forms.RadioSelect,
            empty_value=None,
        )
    if kind == Question.AnswerType.NUMBER:
        # A text box, not type="number": the browser would stop an out-of-range or mistyped
        # value without a word (or send it as empty); the server checks it and says why.
        return forms.FloatField(
            required=False,
            widget=forms.TextInput(
                attrs={"class": "form-control", "inputmode": "decimal", "autocomplete": "off"}
            ),
        )
    if kind == Question.AnswerType.DATE:
        return forms.DateField(
            required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
        )
    choices = [(c.value, c.label) for c in question.choices.all()]
    if kind == Question.AnswerType.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, required=False, widget=forms.CheckboxSelectMultiple
        )
    return forms.ChoiceField(
        choices=[("", "—")] + choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def plain_number(value: float) -> str:
    """1200.0 → "1,200"; 0.5 → "0.5" (for messages)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def question_range(question: Question) -> tuple[float, float]:
    """The range a numeric answer must fall in: the data file's `range` when it gives one;
    otherwise read from the unit (a percentage is 0–100; counts, months and amounts are never
    negative). Version 1 of the bundled questionnaire is published and in use, so its file
    cannot change: its ranges come from here."""
    if question.range_min is not None and question.range_max is not None:
        return question.range_min, question.range_max
    if "%" in (question.unit_zh, question.unit_en):
        return 0, 100
    return 0, MAX_NUMBER


def check_range(value: float, question: Question) -> None:
    low, high = question_range(question)
    if not low <= value <= high:
        raise forms.ValidationError(
            _("Enter a number from %(min)s to %(max)s.")
            % {"min": plain_number(low), "max": plain_number(high)}
        )


class AnswerForm(forms.Form):
    """One question's answer as posted by the autosave request."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    na = forms.BooleanField(
        required=False,
        label=_("Not applicable (reason required)"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    na_reason = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    comment = forms.CharField(
        required=False,
        max_length=MAX_TEXT,
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, question: Question, **kwargs):
        self.question = question
        super().__init__(*args, **kwargs)
        self.fields["answer"] = answer_field(question)
        if question.is_scoping:
            del self.fields["na"], self.fields["na_reason"]

    def clean_answer(self):
        value = self.cleaned_data.get("answer")
        if isinstance(value, float) and not math.isfinite(value):
            raise forms.ValidationError(_("Enter a finite number."))
        if isinstance(value, float):
            check_range(value, self.question)
        if isinstance(value, list) and NONE_CHOICE in value and len(value) > 1:
            raise forms.ValidationError(_("“None” cannot be combined with other choices."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("na"):
            if not self.question.na_allowed:
                raise forms.ValidationError(
                    _("This question cannot be answered as not applicable.")
                )
            if not (data.get("na_reason") or "").strip():
                self.add_error("na_reason", _("Say why the question does not apply."))
        return data

    def to_input(self) -> AnswerInput:
        data = self.cleaned_data
        comment = data.get("comment", "")
        if data.get("na"):
            return AnswerInput(na_reason=data["na_reason"].strip(), comment=comment)
        value = data.get("answer")
        if self.question.answer_type == Question.AnswerType.LEVEL:
            return AnswerInput(level=value, comment=comment)
        if self.question.answer_type == Question.AnswerType.DATE and value is not None:
            value = value.isoformat()
        if self.question.answer_type == Question.AnswerType.NUMBER and value is not None:
            value = int(value) if float(value).is_integer() else value
        if value in ("", []):
            value = None
        return AnswerInput(value=value, comment=comment)


def initial_for(question: Question, answer) -> dict:
    """The form's initial data for a stored answer (or an empty one)."""
    if answer is None:
        return {"revision": 0}
    value = answer.level if question.answer_type == Question.AnswerType.LEVEL else answer.value
    if question.answer_type == Question.AnswerType.YESNO and value is not None:
        value = "yes" if value else "no"
    return {
        "revision": answer.revision,
        "answer": value,
        "na": answer.is_na,
        "na_reason": answer.na_reason,
        "comment": answer.comment,
    }


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


def attestation_statement(organisation) -> str:
    """The statement the submitter confirms, in the active language (stored as shown)."""
    return gettext(
        "I confirm that the answers and evidence are true, accurate and complete to the best "
        "of my knowledge, and that I am authorised to submit them on behalf of %(organisation)s."
    ) % {"organisation": organisation.name}


class AttestationForm(forms.Form):
    """The submitter's own name and role, and the confirmation of the statement."""

    name = forms.CharField(max_length=150, label=_("Your full name"))
    role = forms.CharField(
        max_length=150, label=_("Your role or title"), help_text=_("For example: DPO, CEO.")
    )
    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.statement = attestation_statement(organisation)
        self.fields["confirm"].label = self.statement

    def attestation(self) -> Attestation:
        data = self.cleaned_data
        return Attestation(name=data["name"], role=data["role"], statement=self.statement)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        choices=Membership.Role.choices, initial=Membership.Role.EDITOR, label=_("Role")
    )


class AssignForm(forms.Form):
    """The member a section is assigned to, by id; empty clears the assignment."""

    user = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": _("Choose a member from the list.")},
    )

    def member_id(self) -> int | None:
        return self.cleaned_data["user"]


class SignUpForm(forms.Form):
    """Someone invited by e-mail chooses a name and a password (checked by the validators)."""

    full_name = forms.CharField(max_length=150, label=_("Full name"))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth import get_user_model, password_validation

        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = get_user_model()(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
