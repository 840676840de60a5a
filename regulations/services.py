"""Writes on the regulation library: importing texts, drafting and publishing editions.

Every function guards the state, validates, then writes inside ``transaction.atomic()``.

What an import does, by the effective date of the text (the front matter's
``edition_effective`` or the ``--effective`` option):

- no published edition of the regulation takes effect on that date → a new published
  edition is **created** (or the empty placeholder edition from the catalogue is filled);
- one does and its articles have the same normalised text → **unchanged**, nothing written;
- one does with different text → **replaced**: the text is a correction of that edition
  (same date, new wording). The old edition is kept with status *replaced* (never in force,
  still in the history) and a new published edition with the corrected text takes its place.

After any publication the windows of the regulation's published editions are re-linked:
each one ends the day before the next begins, so the result does not depend on the order in
which the texts were imported.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from regulations import lineage
from regulations.models import (
    Article,
    ArticleLink,
    Chapter,
    Edition,
    KeyPoint,
    Lineage,
    Regulation,
    Section,
)
from regulations.parsing import ParsedRegulation, normalise_for_comparison

_ITEM_RE = re.compile(r"^（[零一二三四五六七八九十百]+）")
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did to one regulation: ``status`` is created, unchanged or replaced."""

    code: str
    title: str
    effective_from: datetime.date
    chapters: int
    sections: int
    articles: int
    status: str
    changed_articles: tuple[int, ...] = ()
    edition_id: int | None = None

    def summary(self) -> str:
        line = (
            f"{self.code} {self.title} edition {self.effective_from.isoformat()}: "
            f"{self.chapters} chapters, {self.sections} sections, {self.articles} articles, "
            f"{self.status}"
        )
        if self.changed_articles:
            line += f" (changed articles: {format_numbers(self.changed_articles)})"
        return line


def format_numbers(numbers: Iterable[int]) -> str:
    """1, 2, 3, 5, 7, 8 → "1-3, 5, 7-8"."""
    ranges: list[list[int]] = []
    for number in sorted(numbers):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in ranges)


# --------------------------------------------------------------------------- article text


def text_fingerprint(text: str) -> str:
    """The same hash as parsing.Article.fingerprint, for text edited in the admin."""
    return hashlib.sha256(normalise_for_comparison(text).encode("utf-8")).hexdigest()


def paragraphs_from_text(text: str) -> list[dict[str, Any]]:
    """Split an article's text into paragraphs (款) and their items (项), as the parser does."""
    paragraphs: list[dict[str, Any]] = []
    for line in (line.strip() for line in text.replace("\r\n", "\n").split("\n")):
        if not line:
            continue
        if _ITEM_RE.match(line) and paragraphs:
            paragraphs[-1]["items"].append(line)
        else:
            paragraphs.append({"text": line, "items": []})
    return paragraphs


def clean_article_text(text: str) -> str:
    """Stored text: one line per paragraph and item, no blank lines, no trailing spaces."""
    return "\n".join(
        line for paragraph in paragraphs_from_text(text) for line in _lines_of(paragraph)
    )


def _lines_of(paragraph: dict[str, Any]) -> list[str]:
    return [paragraph["text"], *paragraph["items"]]


# --------------------------------------------------------------------------- import


@dataclass
class _Snapshot:
    """An edition's content reduced to what decides whether two texts are the same."""

    articles: dict[int, tuple[str, int | None, int | None]] = field(default_factory=dict)
    headings: set[tuple[int, int | None, str]] = field(default_factory=set)


def _snapshot_parsed(parsed: ParsedRegulation) -> _Snapshot:
    snapshot = _Snapshot()
    for article in parsed.articles:
        snapshot.articles[article.number] = (article.fingerprint, article.chapter, article.section)
    for chapter in parsed.chapters:
        snapshot.headings.add((chapter.number, None, normalise_for_comparison(chapter.title)))
        for section in chapter.sections:
            title = normalise_for_comparison(section.title)
            snapshot.headings.add((chapter.number, section.number, title))
    return snapshot


def _snapshot_edition(edition: Edition) -> _Snapshot:
    snapshot = _Snapshot()
    rows = edition.articles.values_list(
        "number", "fingerprint", "chapter__number", "section__number"
    )
    for number, fingerprint, chapter, section in rows:
        snapshot.articles[number] = (fingerprint, chapter, section)
    for number, title in edition.chapters.values_list("number", "title"):
        snapshot.headings.add((number, None, normalise_for_comparison(title)))
    sections = Section.objects.filter(chapter__edition=edition)
    for chapter, number, title in sections.values_list("chapter__number", "number", "title"):
        snapshot.headings.add((chapter, number, normalise_for_comparison(title)))
    return snapshot


def changed_numbers(old: _Snapshot, new: _Snapshot) -> tuple[int, ...]:
    """Articles added, removed or reworded (punctuation variants do not count)."""
    numbers = set(old.articles) | set(new.articles)
    return tuple(
        sorted(
            n
            for n in numbers
            if (old.articles.get(n) or ("",))[0] != (new.articles.get(n) or ("",))[0]
        )
    )


def regulation_for_import(parsed: ParsedRegulation, code: str) -> Regulation:
    """The regulation a text belongs to, created from its front matter when unknown.

    The catalogue is authoritative for an existing regulation: the front matter only fills
    fields that are still empty (a historical text's title must not rename the law).
    """
    meta = parsed.metadata
    values = {
        "title_zh": meta.get("title_zh") or parsed.title,
        "title_en": meta.get("title_en") or "",
        "kind": _kind(meta.get("instrument_type")),
        "issuer_zh": meta.get("issuer_zh") or "",
        "issuer_en": meta.get("issuer_en") or "",
        "doc_number": meta.get("doc_number") or "",
        "promulgated": _date(meta.get("promulgated")),
        "effective": parsed.effective,
    }
    regulation, created = Regulation.objects.get_or_create(code=code, defaults=values)
    if not created:
        missing = {
            name: value for name, value in values.items() if value and not getattr(regulation, name)
        }
        if missing:
            for name, value in missing.items():
                setattr(regulation, name, value)
            regulation.save(update_fields=list(missing))
    return regulation


def _kind(value: Any) -> str:
    kind = str(value or "").strip().lower().replace(" ", "_")
    return kind if kind in Regulation.Kind.values else Regulation.Kind.LAW


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def edition_import(
    parsed: ParsedRegulation,
    *,
    code: str | None = None,
    effective: datetime.date | None = None,
    by=None,
) -> ImportOutcome:
    """Store a parsed text as the published edition of ``code`` taking effect on
    ``effective`` (defaults: the front matter); see the module docstring for the outcomes."""
    code = (code or parsed.code or "").strip().upper()
    effective = effective or parsed.edition_effective or parsed.effective
    if not code:
        raise ValidationError(_("No regulation code: give --code or regulation_code."))
    if effective is None:
        raise ValidationError(_("No effective date: give --effective or edition_effective."))
    with transaction.atomic():
        regulation = regulation_for_import(parsed, code)
        existing = (
            regulation.editions.published().filter(effective_from=effective).select_for_update()
        ).first()
        new = _snapshot_parsed(parsed)
        if existing is not None and existing.articles.exists():
            return _import_over(parsed, regulation, existing, new, by)
        edition = existing or Edition(regulation=regulation, created_by=by)
        _fill_edition(edition, parsed, effective, by)
        _write_content(edition, parsed, by)
        editions_relink(regulation)
        proposal = _propose_around(edition)
        if proposal is not None:
            _schedule_impact(edition.pk)
        # Real changes follow the lineage: a renumbered article is not a changed one.
        changed = lineage.changed_new_numbers(_links_of(proposal)) if proposal else ()
        return _outcome(regulation, edition, parsed, "created", changed)


def _propose_around(edition: Edition) -> Lineage | None:
    """Propose the lineages from the edition before and to the edition after ``edition``
    (texts can be imported in any order); returns the one from the edition before."""
    following = (
        edition.regulation.editions.published()
        .filter(effective_from__gt=edition.effective_from)
        .order_by("effective_from")
        .first()
    )
    if following is not None and following.articles.exists():
        lineage_propose(from_edition=edition, to_edition=following)
    return lineage_for_new_edition(edition)


def _import_over(parsed, regulation, existing, new, by) -> ImportOutcome:
    changed = changed_numbers(_snapshot_edition(existing), new)
    if not changed and _snapshot_edition(existing).headings == new.headings:
        return _outcome(regulation, existing, parsed, "unchanged", ())
    existing.status = Edition.Status.REPLACED
    existing.save(update_fields=["status"])
    edition = Edition(regulation=regulation, created_by=by, based_on=existing)
    _fill_edition(edition, parsed, existing.effective_from, by)
    edition.effective_to = parsed.edition_until or existing.effective_to
    edition.save()
    _write_content(edition, parsed, by)
    editions_relink(regulation)
    _propose_around(edition)
    return _outcome(regulation, edition, parsed, "replaced", changed)


def _fill_edition(edition: Edition, parsed: ParsedRegulation, effective, by) -> None:
    meta = parsed.metadata
    edition.status = Edition.Status.PUBLISHED
    edition.effective_from = effective
    edition.effective_to = parsed.edition_until
    edition.title = parsed.title
    edition.source = str(meta.get("official_source_url") or meta.get("source_repo") or "")[:500]
    edition.source = edition.source or parsed.path.rsplit("/", 1)[-1]
    edition.change_note = edition.change_note or str(meta.get("version") or "")
    edition.expected_article_count = meta.get("article_count") or edition.expected_article_count
    edition.published_at = timezone.now()
    edition.published_by = by
    edition.full_clean(validate_constraints=False)
    edition.save()


def _write_content(edition: Edition, parsed: ParsedRegulation, by) -> None:
    """Chapters, sections and articles in three bulk inserts (plus the history rows)."""
    chapters = Chapter.objects.bulk_create(
        Chapter(edition=edition, number=c.number, title=c.title) for c in parsed.chapters
    )
    chapter_by_number = {chapter.number: chapter for chapter in chapters}
    sections = Section.objects.bulk_create(
        Section(chapter=chapter_by_number[c.number], number=s.number, title=s.title)
        for c in parsed.chapters
        for s in c.sections
    )
    section_by_key = {(s.chapter.number, s.number): s for s in sections}
    articles = [
        Article(
            edition=edition,
            number=a.number,
            chapter=chapter_by_number.get(a.chapter),
            section=section_by_key.get((a.chapter, a.section)),
            text=a.text,
            paragraphs=[{"text": p.text, "items": [i.text for i in p.items]} for p in a.paragraphs],
            fingerprint=a.fingerprint,
        )
        for a in parsed.articles
    ]
    bulk_create_with_history(articles, Article, default_user=by)


def _outcome(regulation, edition, parsed, status, changed) -> ImportOutcome:
    return ImportOutcome(
        code=regulation.code,
        title=parsed.title,
        effective_from=edition.effective_from,
        chapters=parsed.chapter_count,
        sections=parsed.section_count,
        articles=parsed.article_count,
        status=status,
        changed_articles=tuple(changed),
        edition_id=edition.pk,
    )


def editions_import(
    parsed_texts: Iterable[ParsedRegulation], *, code=None, effective=None, by=None
):
    """Import several texts in one transaction: all of them or none."""
    with transaction.atomic():
        return [edition_import(p, code=code, effective=effective, by=by) for p in parsed_texts]


# --------------------------------------------------------------------------- edition windows


def editions_relink(regulation: Regulation) -> None:
    """Make each published edition end the day before the next one begins; the latest keeps
    its own end date (a declared ``edition_until``) or stays open."""
    editions = list(regulation.editions.published().order_by("effective_from"))
    for current, following in zip(editions, editions[1:], strict=False):
        end = following.effective_from - ONE_DAY
        if current.effective_to != end:
            current.effective_to = end
            current.save(update_fields=["effective_to"])


# --------------------------------------------------------------------------- drafts


def edition_create_draft(*, from_edition: Edition, by) -> Edition:
    """A draft copy of a published edition (chapters, sections, articles) to edit."""
    if not from_edition.is_published:
        raise ValidationError(_("Only a published edition can be copied into a draft."))
    if from_edition.regulation.editions.drafts().exists():
        raise ValidationError(_("This regulation already has a draft edition; edit that one."))
    with transaction.atomic():
        draft = Edition(
            regulation=from_edition.regulation,
            status=Edition.Status.DRAFT,
            title=from_edition.title,
            source=from_edition.source,
            expected_article_count=from_edition.expected_article_count,
            based_on=from_edition,
            created_by=by,
        )
        draft.full_clean()
        draft.save()
        _copy_content(from_edition, draft, by)
    return draft


def _copy_content(source: Edition, target: Edition, by) -> None:
    chapters = {
        c.pk: Chapter(edition=target, number=c.number, title=c.title) for c in source.chapters.all()
    }
    Chapter.objects.bulk_create(chapters.values())
    sections = {
        s.pk: Section(chapter=chapters[s.chapter_id], number=s.number, title=s.title)
        for s in Section.objects.filter(chapter__edition=source)
    }
    Section.objects.bulk_create(sections.values())
    articles = [
        Article(
            edition=target,
            number=a.number,
            chapter=chapters.get(a.chapter_id),
            section=sections.get(a.section_id),
            text=a.text,
            paragraphs=a.paragraphs,
            fingerprint=a.fingerprint,
        )
        for a in source.articles.all()
    ]
    bulk_create_with_history(articles, Article, default_user=by)


def article_revise(*, article: Article, text: str, by=None) -> Article:
    """Change the text of an article of a draft edition (paragraphs and hash follow)."""
    if not article.edition.is_draft:
        raise ValidationError(_("Published editions are read-only; edit a draft edition."))
    text = clean_article_text(text)
    if not text:
        raise ValidationError(_("An article needs some text."))
    with transaction.atomic():
        article.text = text
        article.paragraphs = paragraphs_from_text(text)
        article.fingerprint = text_fingerprint(text)
        article._history_user = by
        article.save()
    return article


def edition_publish(
    *, edition: Edition, effective_from: datetime.date, by, change_note: str | None = None
) -> Edition:
    """Publish a draft edition taking effect on ``effective_from``.

    The edition before it then ends the day before; an edition already taking effect on
    that date is an error (correct it with a new draft instead).
    """
    if not edition.is_draft:
        raise ValidationError(_("Only a draft edition can be published."))
    if effective_from is None:
        raise ValidationError(_("Give the date the edition takes effect."))
    if not edition.articles.exists():
        raise ValidationError(_("An edition without articles cannot be published."))
    taken = edition.regulation.editions.published().filter(effective_from=effective_from)
    if taken.exists():
        raise ValidationError(
            _("An edition of this regulation already takes effect on %(date)s.")
            % {"date": effective_from.isoformat()}
        )
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if not locked.is_draft:
            raise ValidationError(_("Only a draft edition can be published."))
        locked.status = Edition.Status.PUBLISHED
        locked.effective_from = effective_from
        locked.effective_to = None
        locked.published_by = by
        locked.published_at = timezone.now()
        if change_note is not None:
            locked.change_note = change_note
        locked._history_user = by
        locked.full_clean()
        locked.save()
        editions_relink(locked.regulation)
        _propose_around(locked)
        _schedule_impact(locked.pk)
    return locked


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class ArticleChange:
    number: int
    old_text: str | None
    new_text: str | None


def edition_changes(*, base: Edition | None, edition: Edition) -> list[ArticleChange]:
    """The articles whose normalised text differs between ``base`` and ``edition``."""
    old = {a.number: a for a in base.articles.all()} if base else {}
    new = {a.number: a for a in edition.articles.all()}
    changes = []
    for number in sorted(set(old) | set(new)):
        before, after = old.get(number), new.get(number)
        if before and after and before.fingerprint == after.fingerprint:
            continue
        changes.append(
            ArticleChange(number, before.text if before else None, after.text if after else None)
        )
    return changes


@dataclass(frozen=True)
class CitingQuestion:
    question: Any
    article_numbers: tuple[int, ...]
    # The effective dates of the editions its citations were verified in when its version was
    # loaded (None: no official text then), so a reviewer sees which text it was written for.
    verified_in: tuple = ()


def citing_questions(regulation_code: str, article_numbers: Iterable[int]) -> list[CitingQuestion]:
    """Questions of the questionnaires that cite any of these articles (one query).

    The assessments app owns the citations; without its Citation model there are none.
    """
    from django.apps import apps

    numbers = sorted(set(article_numbers))
    if not numbers or not apps.is_installed("assessments"):
        return []
    try:
        citation_model = apps.get_model("assessments", "Citation")
    except LookupError:
        return []
    citations = (
        citation_model.objects.filter(regulation_code=regulation_code, article_number__in=numbers)
        .select_related("question__section__version__questionnaire")
        .order_by("question__section__version__number", "question__code", "article_number")
    )
    found: dict[int, tuple[Any, list[int], set]] = {}
    for citation in citations:
        question, cited, verified = found.setdefault(
            citation.question_id, (citation.question, [], set())
        )
        if citation.article_number not in cited:
            cited.append(citation.article_number)
        verified.add(getattr(citation, "edition_effective", None))
    return [
        CitingQuestion(
            question, tuple(cited), tuple(sorted(verified, key=lambda d: (d is None, d)))
        )
        for question, cited, verified in found.values()
    ]


# --------------------------------------------------------------------------- catalogue


def catalogue_load(entries: list[dict[str, Any]]) -> dict[str, int]:
    """Create or update the regulations, their known editions and key points (idempotent).

    A known edition without text becomes an empty published edition, so the library shows
    the timeline before any official text is imported; an import later fills it.
    """
    counts = {"regulations": 0, "editions": 0, "key_points": 0}
    with transaction.atomic():
        for entry in entries:
            regulation = _catalogue_regulation(entry)
            counts["regulations"] += 1
            counts["editions"] += _catalogue_editions(regulation, entry.get("editions") or [])
            counts["key_points"] += _catalogue_key_points(regulation, entry.get("key_points") or {})
            editions_relink(regulation)
    return counts


_REGULATION_FIELDS = (
    "title_zh",
    "title_en",
    "kind",
    "issuer_zh",
    "issuer_en",
    "doc_number",
    "promulgated",
    "effective",
    "article_count",
)


def _catalogue_regulation(entry: dict[str, Any]) -> Regulation:
    values = {name: entry.get(name) for name in _REGULATION_FIELDS}
    values["promulgated"] = _date(values["promulgated"])
    values["effective"] = _date(values["effective"])
    regulation = Regulation.objects.filter(code=entry["code"]).first()
    if regulation is None:
        regulation = Regulation(code=entry["code"])
    elif all(getattr(regulation, name) == value for name, value in values.items()):
        return regulation
    for name, value in values.items():
        setattr(regulation, name, value if value is not None else _empty(name))
    regulation.full_clean()
    regulation.save()
    return regulation


def _empty(name: str):
    return None if name in ("promulgated", "effective", "article_count") else ""


def _catalogue_editions(regulation: Regulation, editions: list[dict[str, Any]]) -> int:
    existing = {e.effective_from: e for e in regulation.editions.published()}
    for known in editions:
        effective_from = _date(known["effective_from"])
        edition = existing.get(effective_from)
        count = known.get("article_count")
        if edition is None:
            edition = Edition(
                regulation=regulation,
                status=Edition.Status.PUBLISHED,
                effective_from=effective_from,
                effective_to=_date(known.get("effective_to")),
                title=regulation.title_zh,
                change_note=known.get("note") or "",
                expected_article_count=count,
            )
            edition.full_clean(validate_constraints=False)
            edition.save()
        elif edition.expected_article_count != count:
            edition.expected_article_count = count
            edition.save(update_fields=["expected_article_count"])
    return len(editions)


def _catalogue_key_points(regulation: Regulation, key_points: dict[Any, Any]) -> int:
    existing = {k.article_number: k for k in regulation.key_points.all()}
    for number, texts in key_points.items():
        current = existing.get(int(number))
        if current is None:
            KeyPoint.objects.create(
                regulation=regulation, article_number=int(number), zh=texts["zh"], en=texts["en"]
            )
        elif (current.zh, current.en) != (texts["zh"], texts["en"]):
            current.zh, current.en = texts["zh"], texts["en"]
            current.save()
    return len(key_points)


# --------------------------------------------------------------------------- lineage


def _links_of(lineage_row) -> list[lineage.Link]:
    return [
        lineage.Link(link.old_number, link.new_number, link.kind, link.score)
        for link in lineage_row.links.all()
    ]


def _texts(edition: Edition) -> list[tuple[int, str]]:
    return [
        (number, normalise_for_comparison(text))
        for number, text in edition.articles.order_by("number").values_list("number", "text")
    ]


def lineage_propose(*, from_edition: Edition, to_edition: Edition) -> Lineage:
    """Align the articles of two editions and store the proposal (a confirmed lineage is
    left as the content admin made it)."""
    with transaction.atomic():
        row, _created = Lineage.objects.select_for_update().get_or_create(
            from_edition=from_edition, to_edition=to_edition
        )
        if row.status == Lineage.Status.CONFIRMED:
            return row
        links = lineage.propose(_texts(from_edition), _texts(to_edition))
        row.links.all().delete()
        _library_changed()
        ArticleLink.objects.bulk_create(
            ArticleLink(lineage=row, old_number=x.old, new_number=x.new, kind=x.kind, score=x.score)
            for x in links
        )
    return row


def lineage_confirm(*, row: Lineage, by) -> Lineage:
    """A content admin confirms the correspondence as it stands (proposed or corrected)."""
    problems = lineage.validate(
        _links_of(row),
        row.from_edition.articles.values_list("number", flat=True),
        row.to_edition.articles.values_list("number", flat=True),
    )
    if problems:
        raise ValidationError(lineage_problem_messages(problems))
    with transaction.atomic():
        row.status = Lineage.Status.CONFIRMED
        row.confirmed_at = timezone.now()
        row.confirmed_by = by
        row._history_user = by
        row.save()
        if row.to_edition.is_published:
            _schedule_impact(row.to_edition_id)
    return row


def _schedule_impact(edition_id: int) -> None:
    """After the commit, the change impact of a published edition (questions, results,
    notices); the assessments app owns it, and without it there is none."""
    from django.apps import apps

    if not apps.is_installed("assessments"):
        return

    def run():
        from assessments import law_changes

        law_changes.schedule(edition_id)

    transaction.on_commit(run)


def lineage_correct(*, row: Lineage, links: Iterable[lineage.Link], by) -> Lineage:
    """Replace the rows of a lineage with a content admin's correction and confirm it.
    Nothing is written when the correction does not cover both editions."""
    links = list(links)
    problems = lineage.validate(
        links,
        row.from_edition.articles.values_list("number", flat=True),
        row.to_edition.articles.values_list("number", flat=True),
    )
    if problems:
        raise ValidationError(lineage_problem_messages(problems))
    with transaction.atomic():
        row.links.all().delete()
        _library_changed()
        ArticleLink.objects.bulk_create(
            ArticleLink(lineage=row, old_number=x.old, new_number=x.new, kind=x.kind, score=1.0)
            for x in links
        )
    return lineage_confirm(row=row, by=by)


def _library_changed() -> None:
    """bulk_create sends no post_save: the public pages (history, key points) follow the
    lineage, so their cache stamp is bumped explicitly after the commit."""
    from regulations import public_cache

    public_cache.bump_on_commit()


def lineage_problem_messages(problems) -> list[str]:
    texts = {
        "old-missing": _("Earlier article %(n)s has no row (map it, or mark it repealed)."),
        "new-missing": _("Later article %(n)s has no row (map an article to it, or mark it new)."),
        "old-unknown": _("The earlier edition has no article %(n)s."),
        "new-unknown": _("The later edition has no article %(n)s."),
        "kind-unknown": _("Article %(n)s: unknown kind of change."),
        "kind-mismatch": _(
            "Article %(n)s: 'repealed' has no later article and 'new' no earlier one; "
            "every other kind has both."
        ),
    }
    return [texts[code] % {"n": number} for code, number in problems]


def lineage_for_new_edition(edition: Edition) -> Lineage | None:
    """Propose the lineage from the published edition before ``edition`` (by date, or the
    edition a draft was copied from) to it."""
    previous = None
    if edition.effective_from is not None:
        previous = (
            edition.regulation.editions.published()
            .filter(effective_from__lt=edition.effective_from)
            .exclude(pk=edition.pk)
            .order_by("effective_from")
            .last()
        )
    if previous is None and edition.based_on_id and edition.based_on.is_published:
        previous = edition.based_on
    if previous is None or not previous.articles.exists() or not edition.articles.exists():
        return None
    return lineage_propose(from_edition=previous, to_edition=edition)
