"""Public pages of the regulation library: list, regulation (point in time), article history,
search. No login needed: the texts are public law."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from regulations import selectors
from regulations.public_cache import public_page


def _day(request: HttpRequest) -> tuple[datetime.date, bool]:
    """The ?on=YYYY-MM-DD day (default today) and whether it was given and valid."""
    value = request.GET.get("on", "").strip()
    try:
        return datetime.date.fromisoformat(value), True
    except ValueError:
        return timezone.localdate(), False


@require_GET
@public_page
def regulation_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.regulation_list()
    return render(request, "regulations/regulation_list.html", {"rows": rows})


@require_GET
@public_page
def regulation_detail(request: HttpRequest, code: str) -> HttpResponse:
    on, chosen = _day(request)
    page = selectors.regulation_page(code, on)
    if page is None:
        raise Http404("No such regulation.")
    context = {"page": page, "regulation": page.regulation, "on": on, "on_chosen": chosen}
    return render(request, "regulations/regulation_detail.html", context)


@require_GET
@public_page
def article_history(request: HttpRequest, code: str, number: int) -> HttpResponse:
    regulation = selectors.regulation_by_code(code)
    if regulation is None:
        raise Http404("No such regulation.")
    versions = selectors.article_history(regulation, number)
    if not any(version.article for version in versions):
        raise Http404("No such article.")
    context = {
        "regulation": regulation,
        "number": number,
        "versions": versions,
        "key_point": regulation.key_points.filter(article_number=number).first(),
    }
    return render(request, "regulations/article_history.html", context)


@require_GET
@public_page
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    on, _ = _day(request)
    results = [
        (article, selectors.highlight(article.text, query))
        for article in selectors.search_articles(query, on)
    ]
    context = {"query": query, "on": on, "results": results, "limit": selectors.SEARCH_LIMIT}
    return render(request, "regulations/search.html", context)
