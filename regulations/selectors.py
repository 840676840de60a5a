"""Reads on the regulation library, used by the pages and by the questionnaire code.

"In force on a day" always means: the published edition whose window
[effective_from, effective_to] contains the day (effective_to inclusive, open when None).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from regulations.diffing import diff_html
from regulations.models import Article, Chapter, Edition, KeyPoint, Regulation, Section

SEARCH_LIMIT = 100


def regulation_by_code(code: str) -> Regulation | None:
    return Regulation.objects.filter(code=(code or "").strip().upper()).first()


def edition_in_force(regulation_or_code: Regulation | str, on: datetime.date) -> Edition | None:
    """The published edition in force on ``on``, or None (one query)."""
    editions = Edition.objects.in_force_on(on).select_related("regulation")
    if isinstance(regulation_or_code, Regulation):
        editions = editions.filter(regulation=regulation_or_code)
    else:
        editions = editions.filter(regulation__code=regulation_or_code)
    return editions.first()


def article_in_force(code: str, number: int, on: datetime.date) -> Article | None:
    """Article ``number`` of regulation ``code`` as it read on ``on`` (one query)."""
    return (
        Article.objects.in_force_on(on)
        .with_structure()
        .filter(edition__regulation__code=code, number=number)
        .first()
    )


def articles_in_force(
    pairs: Iterable[tuple[str, int]], on: datetime.date
) -> dict[tuple[str, int], Article]:
    """Several (code, number) articles as in force on ``on``, in one query. Pairs whose
    regulation has no text in force that day are missing from the result."""
    by_code: dict[str, set[int]] = {}
    for code, number in pairs:
        by_code.setdefault(code, set()).add(int(number))
    if not by_code:
        return {}
    wanted = Q()
    for code, numbers in by_code.items():
        wanted |= Q(edition__regulation__code=code, number__in=sorted(numbers))
    found: dict[tuple[str, int], Article] = {}
    for article in Article.objects.in_force_on(on).with_structure().filter(wanted):
        # Ordered by effective date descending: the first seen is the latest edition.
        found.setdefault((article.edition.regulation.code, article.number), article)
    return found


def search_articles(query: str, on: datetime.date | None = None) -> list[Article]:
    """Articles in force on ``on`` (default today) whose text contains ``query``."""
    query = (query or "").strip()
    if not query:
        return []
    on = on or timezone.localdate()
    articles = (
        Article.objects.in_force_on(on)
        .with_structure()
        .filter(text__icontains=query)
        .order_by("edition__regulation__effective", "edition__regulation__code", "number")
    )
    return list(articles[:SEARCH_LIMIT])


def highlight(text: str, query: str) -> SafeString:
    """Escape the whole text, then wrap each match of ``query`` in <mark>."""
    query = (query or "").strip()
    if not query:
        return escape(text)
    pieces = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    html = "".join(
        f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece)
        for index, piece in enumerate(pieces)
    )
    return mark_safe(html)  # noqa: S308 - every piece was escaped above


# --------------------------------------------------------------------------- pages


@dataclass
class TocEntry:
    """A chapter or section of the table of contents and the articles under it."""

    heading: Chapter | Section
    articles: list[Article]
    sections: list[TocEntry]

    @property
    def first(self) -> Article | None:
        return self.articles[0] if self.articles else None

    @property
    def last(self) -> Article | None:
        return self.articles[-1] if self.articles else None


@dataclass
class RegulationPage:
    """Everything the regulation page shows, loaded in a fixed number of queries."""

    regulation: Regulation
    editions: list[Edition]
    edition: Edition | None
    chapters: list[TocEntry]
    articles: list[Article]
    key_points: dict[int, KeyPoint]

    @property
    def has_text(self) -> bool:
        return bool(self.articles)


def regulation_page(code: str, on: datetime.date) -> RegulationPage | None:
    regulation = regulation_by_code(code)
    if regulation is None:
        return None
    editions = list(regulation.editions.published().order_by("effective_from"))
    edition = next((e for e in reversed(editions) if e.is_in_force_on(on)), None)
    articles: list[Article] = []
    chapters: list[TocEntry] = []
    if edition is not None:
        articles = list(edition.articles.order_by("number"))
        chapters = _table_of_contents(edition, articles)
    key_points = {k.article_number: k for k in regulation.key_points.all()}
    for article in articles:
        article.key_point = key_points.get(article.number)
    return RegulationPage(regulation, editions, edition, chapters, articles, key_points)


def _table_of_contents(edition: Edition, articles: list[Article]) -> list[TocEntry]:
    chapters = {c.pk: TocEntry(c, [], []) for c in edition.chapters.order_by("number")}
    sections = {}
    for section in Section.objects.filter(chapter__edition=edition).order_by("chapter", "number"):
        sections[section.pk] = TocEntry(section, [], [])
        chapters[section.chapter_id].sections.append(sections[section.pk])
    for article in articles:  # also fills the foreign-key caches: no query per article
        if article.chapter_id in chapters:
            article.chapter = chapters[article.chapter_id].heading
            chapters[article.chapter_id].articles.append(article)
        if article.section_id in sections:
            article.section = sections[article.section_id].heading
            sections[article.section_id].articles.append(article)
    return list(chapters.values())


def regulation_list() -> list[tuple[Regulation, Edition | None, int]]:
    """Regulations with the edition in force today and its number of articles."""
    today = timezone.localdate()
    regulations = list(Regulation.objects.order_by("effective", "code"))
    editions = (
        Edition.objects.in_force_on(today)
        .annotate(loaded=Count("articles"))
        .filter(regulation__in=regulations)
    )
    current = {}
    for edition in editions:
        current.setdefault(edition.regulation_id, edition)
    return [(r, current.get(r.pk), getattr(current.get(r.pk), "loaded", 0)) for r in regulations]


@dataclass
class ArticleVersion:
    edition: Edition
    article: Article | None
    diff: SafeString | None


def article_history(regulation: Regulation, number: int) -> list[ArticleVersion]:
    """Article ``number`` in every published edition, oldest first, each with the diff
    from the edition before it (two queries)."""
    editions = list(regulation.editions.published().order_by("effective_from"))
    articles = {
        a.edition_id: a
        for a in Article.objects.filter(edition__in=editions, number=number).select_related(
            "chapter", "section"
        )
    }
    versions: list[ArticleVersion] = []
    previous: Article | None = None
    for edition in editions:
        article = articles.get(edition.pk)
        diff = None
        if versions and (previous or article):
            diff = diff_html(previous.text if previous else "", article.text if article else "")
        versions.append(ArticleVersion(edition, article, diff))
        previous = article
    return versions
