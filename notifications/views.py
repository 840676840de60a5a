"""Each person's notification preferences."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def preferences(request):
    return HttpResponse("")  # replaced by the preferences page
