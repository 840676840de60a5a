"""Regulations, their editions (dated texts) and the chapters, sections and articles of each.

A change to the law is a new Edition with an effective date, never an overwrite: the library
answers "what did article N say on date D" from the published edition whose window
[effective_from, effective_to] contains D. Drafts are edited by content admins and published
with a date through services.edition_publish; published editions are read-only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regulations.parsing import int_to_chinese_numeral
from regulations.querysets import ArticleQuerySet, EditionQuerySet


class Regulation(models.Model):
    class Kind(models.TextChoices):
        LAW = "law", _("Law")
        ADMINISTRATIVE_REGULATION = "administrative_regulation", _("Administrative regulation")
        DEPARTMENTAL_RULE = "departmental_rule", _("Departmental rule")
        NORMATIVE_DOCUMENT = "normative_document", _("Normative document")

    code = models.CharField(_("code"), max_length=20, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.LAW)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=300, blank=True)
    issuer_en = models.CharField(_("issuer (English)"), max_length=300, blank=True)
    doc_number = models.CharField(_("document number"), max_length=300, blank=True)
    promulgated = models.DateField(_("promulgated"), null=True, blank=True)
    effective = models.DateField(_("first in force"), null=True, blank=True)
    article_count = models.PositiveIntegerField(
        _("expected articles"),
        null=True,
        blank=True,
        help_text=_("Number of articles of the current edition, as officially published."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["effective", "code"]
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    def __str__(self):
        return f"{self.code} {self.title_zh}"

    def get_absolute_url(self):
        return reverse("regulations:detail", args=[self.code])


class Edition(models.Model):
    """One dated text of a regulation.

    ``effective_to`` is inclusive (the 2016 Cybersecurity Law: 2017-06-01 to 2025-12-31) and
    is maintained by the services when a newer edition is published. A *replaced* edition is
    one whose text was superseded by a corrected import with the same effective date; it is
    kept for the record but never in force.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        REPLACED = "replaced", _("Replaced")

    regulation = models.ForeignKey(
        Regulation, on_delete=models.CASCADE, related_name="editions", verbose_name=_("regulation")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    title = models.CharField(_("title of the text"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    change_note = models.TextField(_("change note"), blank=True)
    expected_article_count = models.PositiveIntegerField(
        _("expected articles"), null=True, blank=True
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    history = HistoricalRecords()

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["regulation", "effective_from", "pk"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        permissions = [("publish_edition", _("Can publish an edition"))]
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "effective_from"],
                condition=Q(status="published"),
                name="regulations_one_published_edition_per_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(effective_from__isnull=False),
                name="regulations_published_edition_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="regulations_edition_window_is_ordered",
            ),
        ]

    def __str__(self):
        when = self.effective_from.isoformat() if self.effective_from else "—"
        return f"{self.regulation.code} {when} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_in_force_on(self, day) -> bool:
        if not self.is_published or self.effective_from > day:
            return False
        return self.effective_to is None or self.effective_to >= day


class Chapter(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="regulations_unique_chapter_number"
            )
        ]

    def __str__(self):
        return f"第{int_to_chinese_numeral(self.number)}章 {self.title}"


class Section(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["chapter", "number"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "number"], name="regulations_unique_section_number"
            )
        ]

    def __str__(self):
        return f"第{int_to_chinese_numeral(self.number)}节 {self.title}"


class Article(models.Model):
    """One article (条). ``text`` is the official wording as found, one line per paragraph
    and item, without the leading 第X条; ``paragraphs`` is the same text structured as
    [{"text": ..., "items": [...]}] so that 第N条第M款第K项 can be resolved."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField(_("number"))
    chapter = models.ForeignKey(
        Chapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    text = models.TextField(_("text"))
    paragraphs = models.JSONField(_("paragraphs"), default=list, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    history = HistoricalRecords()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="regulations_unique_article_number"
            )
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"第{int_to_chinese_numeral(self.number)}条"

    @property
    def anchor(self) -> str:
        return f"art-{self.number}"


class KeyPoint(models.Model):
    """A short summary of an article in our own words, per regulation and article number so
    that it shows whether or not an edition's text is loaded."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="key_points")
    article_number = models.PositiveSmallIntegerField(_("article number"))
    zh = models.TextField(_("key point (Chinese)"))
    en = models.TextField(_("key point (English)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["regulation", "article_number"]
        verbose_name = _("key point")
        verbose_name_plural = _("key points")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "article_number"], name="regulations_unique_key_point"
            )
        ]

    def __str__(self):
        return f"{self.regulation.code} {self.article_number}"

    def text_for(self, language_code: str) -> str:
        return self.en if (language_code or "").startswith("en") else self.zh


class Lineage(models.Model):
    """The correspondence between the articles of one edition and those of the next.

    Proposed by the importer (regulations.lineage.propose, aligning texts, not numbers),
    confirmed or corrected by a content admin; what the portal follows for history, diffs,
    key points, citations and change impact."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")

    from_edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="lineages_out", verbose_name=_("from")
    )
    to_edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="lineages_in", verbose_name=_("to")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["from_edition__regulation", "from_edition__effective_from"]
        verbose_name = _("article lineage")
        verbose_name_plural = _("article lineages")
        constraints = [
            models.UniqueConstraint(
                fields=["from_edition", "to_edition"], name="regulations_one_lineage_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.from_edition} → {self.to_edition}"


class ArticleLink(models.Model):
    """One row of a lineage: earlier article ``old_number`` became later ``new_number``
    (old empty: a new article; new empty: repealed)."""

    class Kind(models.TextChoices):
        SAME = "same", _("Unchanged")
        RENUMBERED = "renumbered", _("Renumbered")
        AMENDED = "amended", _("Amended")
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Split")
        REPEALED = "repealed", _("Repealed")
        NEW = "new", _("New")

    lineage = models.ForeignKey(Lineage, on_delete=models.CASCADE, related_name="links")
    old_number = models.PositiveSmallIntegerField(_("earlier article"), null=True, blank=True)
    new_number = models.PositiveSmallIntegerField(_("later article"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    score = models.FloatField(_("similarity"), default=0)

    class Meta:
        ordering = ["lineage", "old_number", "new_number"]
        verbose_name = _("article correspondence")
        verbose_name_plural = _("article correspondences")

    def __str__(self):
        return f"{self.old_number or '—'} → {self.new_number or '—'} ({self.kind})"
