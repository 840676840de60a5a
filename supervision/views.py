"""The regulator's workspace: the queue, the review page, claims, comments and decisions."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def queue(request):
    return HttpResponse("")  # replaced by the queue page
