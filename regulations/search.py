"""Reads for the article search page: one page of results, the regulations to filter by
(each marked with whether its text is imported for the day) and the query's script."""

import datetime
import re

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef

from regulations.models import Article, Regulation

PAGE_SIZE = 20
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def articles_matching(query: str, on: datetime.date, regulation: str = ""):
    """Articles in force on ``on`` whose text contains ``query``, of one regulation when its
    code is given."""
    query = (query or "").strip()
    if not query:
        return Article.objects.none()
    articles = Article.objects.in_force_on(on).with_structure().filter(text__icontains=query)
    if regulation:
        articles = articles.filter(edition__regulation__code=regulation)
    return articles.order_by(
        "edition__regulation__effective", "edition__regulation__code", "number"
    )


def search_page(query: str, on: datetime.date, *, regulation: str = "", page=1) -> Page:
    """One page of PAGE_SIZE results (a count and the page: 2 queries)."""
    return Paginator(articles_matching(query, on, regulation), PAGE_SIZE).get_page(page)


def regulations_for_search(on: datetime.date) -> list[Regulation]:
    """Every regulation with `has_text`: whether an article of it is in force on ``on`` (one
    query: the filter's choices and the notice of texts not imported)."""
    in_force = Article.objects.in_force_on(on).filter(edition__regulation=OuterRef("pk"))
    return list(
        Regulation.objects.annotate(has_text=Exists(in_force.values("pk"))).order_by(
            "effective", "code"
        )
    )


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a Chinese character (the official texts are Chinese only)."""
    return bool(CJK.search(text or ""))
