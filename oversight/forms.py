"""The dashboard's filters: the queue's form without status, tier, red lines and order."""

from django.utils.translation import gettext_lazy as _

from supervision.forms import QueueFilterForm


class DashboardFilterForm(QueueFilterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "tier", "red_lines", "sort"):
            del self.fields[name]
        self.fields["submitted_from"].label = _("Period from")
        self.fields["submitted_to"].label = _("Period to")
