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
from regulations.models import (
    Article,
    ArticleLink,
    Chapter,
    Edition,
    KeyPoint,
    Regulation,
    Section,
)

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
    today: datetime.date | None = None

    @property
    def upcoming(self) -> list[Edition]:
        """Published editions that take effect after today: announced, not in force."""
        today = self.today or timezone.localdate()
        return [e for e in self.editions if e.effective_from > today]

    @property
    def edition_is_upcoming(self) -> bool:
        today = self.today or timezone.localdate()
        return self.edition is not None and self.edition.effective_from > today

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
    numbering = (
        current_numbering(editions, edition, [a.number for a in articles]) if articles else {}
    )
    for article in articles:
        article.key_point = key_points.get(numbering.get(article.number, article.number))
    return RegulationPage(
        regulation, editions, edition, chapters, articles, key_points, timezone.localdate()
    )


def current_numbering(
    editions: list[Edition], edition: Edition, numbers: Iterable[int]
) -> dict[int, int | None]:
    """For each article of ``edition``, its number in the latest of ``editions`` followed
    through the stored lineage (None: repealed on the way). Key points are written against
    the latest edition's numbering, so an earlier edition's articles find theirs this way
    (the 2016 Art. 23 is not the 2026 Art. 23). Without lineage rows, numbers map to
    themselves."""
    chain = [e for e in editions if e.effective_from >= edition.effective_from]
    links = lineage_links(chain)
    mapping: dict[int, int | None] = {n: n for n in numbers}
    for earlier, later in zip(chain, chain[1:], strict=False):
        rows = links.get((earlier.pk, later.pk))
        if rows is None:
            continue
        forward: dict[int, int | None] = {}
        for row in rows:
            if row.old_number is not None and row.old_number not in forward:
                forward[row.old_number] = row.new_number
        mapping = {n: (forward.get(m) if m is not None else None) for n, m in mapping.items()}
    return mapping


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
    """The provision in one edition: its article(s) there (several when articles were merged
    into one later article), how it came from the edition before, and the diff."""

    edition: Edition
    articles: list[Article]
    diff: SafeString | None
    kinds: tuple[str, ...] = ()

    @property
    def article(self) -> Article | None:
        return self.articles[0] if self.articles else None

    @property
    def numbers(self) -> list[int]:
        return [article.number for article in self.articles]


def lineage_links(editions: list[Edition]) -> dict[tuple[int, int], list[ArticleLink]]:
    """The stored correspondence rows between consecutive editions of the list, by
    (from edition id, to edition id), in one query."""
    pairs = {(a.pk, b.pk) for a, b in zip(editions, editions[1:], strict=False)}
    found: dict[tuple[int, int], list[ArticleLink]] = {pair: [] for pair in pairs}
    if not pairs:
        return {}
    ids = [edition.pk for edition in editions]
    rows = ArticleLink.objects.filter(
        lineage__from_edition__in=ids, lineage__to_edition__in=ids
    ).select_related("lineage")
    seen: set[tuple[int, int]] = set()
    for row in rows:
        key = (row.lineage.from_edition_id, row.lineage.to_edition_id)
        if key in found:
            found[key].append(row)
            seen.add(key)
    # A pair without a stored lineage is followed by number (the old behaviour).
    return {key: value for key, value in found.items() if key in seen}


def _step(links, numbers: set[int], forward: bool) -> tuple[set[int], set[str]]:
    if links is None:
        return set(numbers), set()
    result, kinds = set(), set()
    for link in links:
        source, target = (
            (link.old_number, link.new_number) if forward else (link.new_number, link.old_number)
        )
        if source in numbers:
            kinds.add(link.kind)
            if target is not None:
                result.add(target)
    return result, kinds


def article_history(
    regulation: Regulation, number: int, on: datetime.date | None = None
) -> list[ArticleVersion]:
    """The provision that is article ``number`` of the edition in force on ``on`` (default
    today; the latest edition with text when none is), traced through the stored lineage
    into every published edition, oldest first, each with the diff from the edition before.
    Editions without a stored lineage between them are followed by number."""
    editions = list(
        regulation.editions.published()
        .annotate(loaded=Count("articles"))
        .filter(loaded__gt=0)
        .order_by("effective_from")
    )
    if not editions:
        return []
    on = on or timezone.localdate()
    anchor = next((i for i, e in enumerate(editions) if e.is_in_force_on(on)), None)
    if anchor is None:
        earlier = [i for i, e in enumerate(editions) if e.effective_from <= on]
        anchor = earlier[-1] if earlier else 0
    links = lineage_links(editions)
    numbers: dict[int, set[int]] = {anchor: {number}}
    kinds: dict[int, set[str]] = {}
    for i in range(anchor, len(editions) - 1):
        key = (editions[i].pk, editions[i + 1].pk)
        numbers[i + 1], kinds[i + 1] = _step(links.get(key), numbers[i], forward=True)
    for i in range(anchor, 0, -1):
        key = (editions[i - 1].pk, editions[i].pk)
        numbers[i - 1], kinds[i] = _step(links.get(key), numbers[i], forward=False)
    wanted = Q()
    for i, edition in enumerate(editions):
        if numbers[i]:
            wanted |= Q(edition=edition, number__in=sorted(numbers[i]))
    by_edition: dict[int, list[Article]] = {}
    if wanted:
        for article in Article.objects.filter(wanted).select_related("chapter", "section"):
            by_edition.setdefault(article.edition_id, []).append(article)
    versions: list[ArticleVersion] = []
    previous_text = ""
    for i, edition in enumerate(editions):
        articles = sorted(by_edition.get(edition.pk, []), key=lambda a: a.number)
        text = "\n".join(article.text for article in articles)
        diff = diff_html(previous_text, text) if versions and (previous_text or text) else None
        versions.append(ArticleVersion(edition, articles, diff, tuple(sorted(kinds.get(i, ())))))
        previous_text = text
    return versions


# --------------------------------------------------------------------------- citations


@dataclass
class ResolvedCitation:
    """A citation written against one edition, read in the edition in force on another
    day: the article(s) it is now, and how it got there."""

    code: str
    number: int
    written_in: Edition | None
    edition: Edition | None
    articles: list[Article]
    kinds: tuple[str, ...] = ()

    @property
    def numbers(self) -> list[int]:
        return [article.number for article in self.articles]

    @property
    def renumbered(self) -> bool:
        return self.numbers != [self.number]

    @property
    def changed(self) -> bool:
        return bool(set(self.kinds) & {"amended", "merged", "split", "repealed"})


def follow_lineage(
    editions: list[Edition], start: int, end: int, numbers: set[int], links=None
) -> tuple[set[int], set[str]]:
    """The article numbers of ``editions[end]`` that ``numbers`` of ``editions[start]``
    became (forward) or came from (backward), through the stored lineage (``links``, when
    the caller has read them with lineage_links); pairs of editions without one are followed
    by number."""
    if links is None:
        links = lineage_links(editions[min(start, end) : max(start, end) + 1])
    kinds: set[str] = set()
    step = 1 if end >= start else -1
    for i in range(start, end, step):
        earlier, later = (
            (editions[i], editions[i + 1]) if step > 0 else (editions[i - 1], editions[i])
        )
        numbers, found = _step(links.get((earlier.pk, later.pk)), numbers, forward=step > 0)
        kinds |= found
    return numbers, kinds


def resolve_citation(
    code: str, number: int, written_on: datetime.date | None, on: datetime.date
) -> ResolvedCitation:
    """Article ``number`` of ``code`` as cited against the edition in force on ``written_on``
    (None: the citation has no edition, read it by number), in the edition in force on
    ``on``: a 2016-era citation of Art. 21 is Art. 23 today, and today's Art. 23 was Art. 21
    on a 2020 date."""
    regulation = regulation_by_code(code)
    if regulation is None:
        return ResolvedCitation(code, number, None, None, [])
    editions = list(
        regulation.editions.published()
        .annotate(loaded=Count("articles"))
        .filter(loaded__gt=0)
        .order_by("effective_from")
    )
    target = next((i for i, e in enumerate(editions) if e.is_in_force_on(on)), None)
    source = None
    if written_on is not None:
        source = next((i for i, e in enumerate(editions) if e.is_in_force_on(written_on)), None)
    if target is None:
        return ResolvedCitation(code, number, None, None, [])
    if source is None:
        source = target
    numbers, kinds = follow_lineage(editions, source, target, {number})
    articles = list(
        Article.objects.filter(edition=editions[target], number__in=sorted(numbers))
        .select_related("edition__regulation", "chapter", "section")
        .order_by("number")
    )
    return ResolvedCitation(
        code, number, editions[source], editions[target], articles, tuple(sorted(kinds))
    )


def upcoming_editions(code: str, today: datetime.date) -> list[Edition]:
    """Published editions of ``code`` that take effect after ``today`` (announced, not in
    force)."""
    return list(
        Edition.objects.published()
        .filter(regulation__code=code, effective_from__gt=today)
        .order_by("effective_from")
    )


def current_numbers(
    citations: Iterable[tuple[str, int, datetime.date | None]], on: datetime.date
) -> dict[tuple[str, int, datetime.date | None], tuple[int, ...]]:
    """For each (regulation code, article number, day of the edition it was written against)
    the article number(s) it has in the edition in force on ``on``, through the stored
    lineage (a renumbered article gets its new number, merged ones the article they became,
    a repealed one none). Citations without a written edition, or of regulations without
    text in force, keep their number. One query for the editions and one per regulation
    with more than one edition, whatever the number of citations."""
    citations = set(citations)
    codes = {code for code, _, written in citations if written is not None}
    editions_by_code: dict[str, list[Edition]] = {}
    rows = (
        Edition.objects.published()
        .filter(regulation__code__in=codes)
        .annotate(loaded=Count("articles"))
        .filter(loaded__gt=0)
        .select_related("regulation")
        .order_by("effective_from")
    )
    for edition in rows:
        editions_by_code.setdefault(edition.regulation.code, []).append(edition)
    links = {code: lineage_links(eds) for code, eds in editions_by_code.items() if len(eds) > 1}
    found = {}
    for key in citations:
        code, number, written = key
        editions = editions_by_code.get(code, [])
        target = next((i for i, e in enumerate(editions) if e.is_in_force_on(on)), None)
        source = None
        if written is not None:
            source = next((i for i, e in enumerate(editions) if e.is_in_force_on(written)), None)
        if target is None or source is None or source == target:
            found[key] = (number,)
            continue
        numbers, _ = follow_lineage(editions, source, target, {number}, links.get(code, {}))
        found[key] = tuple(sorted(numbers))
    return found
