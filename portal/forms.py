from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


class CrispyMixin:
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class LoginForm(CrispyMixin, auth_forms.AuthenticationForm):
    submit_label = _("Sign in")
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class PasswordChangeForm(CrispyMixin, auth_forms.PasswordChangeForm):
    submit_label = _("Change password")


class PasswordResetForm(CrispyMixin, auth_forms.PasswordResetForm):
    submit_label = _("Send reset link")


class SetPasswordForm(CrispyMixin, auth_forms.SetPasswordForm):
    submit_label = _("Set new password")
