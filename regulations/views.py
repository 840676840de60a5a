"""Public pages of the regulation library: list, regulation (point in time), article history,
search. No login needed: the texts are public law."""

import datetime
import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regulations import selectors
from regulations.public_cache import public_page


class BadDay(Exception):
    pass


def _day(request: HttpRequest) -> tuple[datetime.date, bool]:
    """The ?on=YYYY-MM-DD day (default today: no ?on= or an empty one) and whether one was
    given; a value that is not such a date raises BadDay (refused, never silently today)."""
    value = request.GET.get("on", "").strip()
    if not value:
        return timezone.localdate(), False
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise BadDay(value)
    try:
        return datetime.date.fromisoformat(value), True
    except ValueError:
        raise BadDay(value) from None


def _bad_day(request: HttpRequest, value: str) -> HttpResponse:
    message = _("“%(value)s” is not a date written YYYY-MM-DD (for example 2025-06-01).") % {
        "value": value[:40]
    }
    return render(request, "regulations/bad_day.html", {"message": message}, status=400)


@require_GET
@public_page
def regulation_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.regulation_list()
    return render(request, "regulations/regulation_list.html", {"rows": rows})


@require_GET
@public_page
def regulation_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        on, chosen = _day(request)
    except BadDay as error:
        return _bad_day(request, str(error))
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
    try:
        on, chosen = _day(request)
    except BadDay as error:
        return _bad_day(request, str(error))
    versions = selectors.article_history(regulation, number, on)
    if not any(version.article for version in versions):
        raise Http404("No such article.")
    latest = next((v for v in reversed(versions) if v.articles), None)
    context = {
        "regulation": regulation,
        "number": number,
        "on": on if chosen else None,
        "versions": versions,
        "key_point": regulation.key_points.filter(article_number__in=latest.numbers).first()
        if latest is versions[-1]
        else None,
    }
    return render(request, "regulations/article_history.html", context)


@require_GET
@public_page
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    try:
        on, _chosen = _day(request)
    except BadDay as error:
        return _bad_day(request, str(error))
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
