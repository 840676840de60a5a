from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.models import RegistrationRequest
from portal.regions import Province, Sector


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = RegistrationRequest
        fields = [
            "name",
            "uscc",
            "province",
            "sector",
            "size",
            "applicant_name",
            "applicant_email",
        ]
        help_texts = {"uscc": _("18 characters, as printed on the business licence.")}

    def clean_uscc(self):
        # Upper-cased first: the model's credit-code validator runs afterwards (_post_clean).
        return self.cleaned_data["uscc"].strip().upper()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason (required to reject; sent to the applicant)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_("First row: 名称, 统一社会信用代码, 省份, 行业, 联系邮箱 (规模 optional)."),
    )


class JurisdictionForm(forms.Form):
    authority = forms.CharField(label=_("Authority"), max_length=200)
    provinces = forms.MultipleChoiceField(
        label=_("Provinces"), choices=Province.choices, widget=forms.CheckboxSelectMultiple
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors (none: every sector)"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RegulatorCreateForm(JurisdictionForm):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    field_order = ["email", "full_name", "authority", "provinces", "sectors"]


class RegulatorChangeForm(JurisdictionForm):
    active = forms.BooleanField(label=_("Account active"), required=False)
