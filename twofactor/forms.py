from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """A code from the authentication app, or (where `recovery` is allowed) a recovery code."""

    code = forms.CharField(
        label=_("Code from your authentication app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


class AuthenticatorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code shown by the app"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
