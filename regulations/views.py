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
    return render(request, "regulations/search.html", search_context(request, query, on))


def search_context(request: HttpRequest, query: str, on: datetime.date) -> dict:
    """Results 20 a page, within one regulation when ?reg= names one with text; the page
    depends only on the query string, the language and the library (public_page caches it)."""
    from urllib.parse import urlencode

    from regulations import search

    regulations = search.regulations_for_search(on)
    code = request.GET.get("reg", "").strip().upper()
    code = code if any(r.code == code and r.has_text for r in regulations) else ""
    page = search.search_page(query, on, regulation=code, page=request.GET.get("page"))
    return {
        "query": query,
        "on": on,
        "results": [(article, selectors.highlight(article.text, query)) for article in page],
        "page": page,
        "regulation": code,
        "search_regulations": regulations,
        "without_text": [r for r in regulations if not r.has_text],
        "not_chinese": bool(query) and not search.has_cjk(query),
        "page_query": urlencode({"q": query, "on": on.isoformat(), "reg": code}),
    }
