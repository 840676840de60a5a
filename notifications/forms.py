from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationPreference
from portal.forms import CrispyMixin


class PreferenceForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Save preferences")

    class Meta:
        model = NotificationPreference
        fields = ["delivery", "language"]
        widgets = {"delivery": forms.RadioSelect, "language": forms.RadioSelect}
        help_texts = {
            "delivery": _("The digest is sent every morning at 08:00 (Beijing time)."),
            "language": _("Mails are written in this language, whatever the site shows."),
        }
