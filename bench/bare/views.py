from django.shortcuts import render

from bench.bare.models import Greeting


def page(request):
    """One query (the first row) through a one-line template."""
    return render(request, "bare/page.html", {"greeting": Greeting.objects.first()})
