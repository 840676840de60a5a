"""Content administration of the library: drafts are edited here and published with a date.

Published editions are read-only. "New draft from this edition" copies one into a draft; the
"publish" page shows the diff against the edition it was based on and the questions that cite
the changed articles, and asks for the effective date before publishing.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from regulations import lineage, services
from regulations.diffing import diff_html
from regulations.models import Article, ArticleLink, Edition, KeyPoint, Lineage, Regulation


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0
    fields = ["article_number", "zh", "en"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


@admin.register(Regulation)
class RegulationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title_zh", "title_en", "kind", "effective", "article_count"]
    list_filter = ["kind"]
    search_fields = ["code", "title_zh", "title_en"]
    inlines = [KeyPointInline]


def _editable(edition: Edition | None) -> bool:
    return edition is None or edition.is_draft


class ArticleInline(admin.TabularInline):
    """The articles of an edition as a list: each is edited on its own page (one text area,
    with its history), not as 74 text areas in one form. Removing one is possible in a draft."""

    model = Article
    extra = 0
    fields = ["number", "excerpt", "edit_link"]
    readonly_fields = ["excerpt", "edit_link"]
    ordering = ["number"]

    def get_readonly_fields(self, request, obj=None):
        return ["number", *self.readonly_fields]

    @admin.display(description=_("text"))
    def excerpt(self, article: Article) -> str:
        text = article.text.replace("\n", " ")
        return text if len(text) <= 80 else f"{text[:80]}…"

    @admin.display(description="")
    def edit_link(self, article: Article) -> str:
        if not article.pk:
            return ""
        url = reverse("admin:regulations_article_change", args=[article.pk])
        label = _("Edit") if article.edition.is_draft else _("View")
        return format_html('<a href="{}" class="article-edit">{}</a>', url, label)

    def has_add_permission(self, request, obj=None):
        return False  # a new article comes with the text of an import or a new draft

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The edition before it will end the day before."),
    )
    change_note = forms.CharField(
        label=_("Change note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


@admin.register(Edition)
class EditionAdmin(SimpleHistoryAdmin):
    list_display = ["regulation", "effective_from", "effective_to", "status", "published_at"]
    list_filter = ["status", "regulation"]
    list_select_related = ["regulation"]
    ordering = ["regulation__code", "-effective_from"]
    inlines = [ArticleInline]
    actions = ["publish_selected", "new_draft_from_selected"]
    change_form_template = "regulations/admin/edition_change_form.html"
    fields = [
        "regulation",
        "status",
        "effective_from",
        "effective_to",
        "title",
        "source",
        "change_note",
        "based_on",
        "created_by",
        "published_by",
        "published_at",
    ]
    readonly_fields = [
        "status",
        "effective_from",
        "effective_to",
        "based_on",
        "created_by",
        "published_by",
        "published_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["regulation"] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.status = Edition.Status.DRAFT
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Article:
            return super().save_formset(request, form, formset, change)
        for article in formset.save(commit=False):
            services.article_revise(article=article, text=article.text, by=request.user)
        for article in formset.deleted_objects:
            article.delete()

    # ----------------------------------------------------------------------- custom views

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/publish/",
                view(self.publish_view),
                name="regulations_edition_publish",
            ),
            path(
                "<int:object_id>/new-draft/",
                view(require_POST(self.new_draft_view)),
                name="regulations_edition_new_draft",
            ),
            *super().get_urls(),
        ]

    def _change_url(self, edition: Edition) -> str:
        return reverse("admin:regulations_edition_change", args=[edition.pk])

    def publish_view(self, request: HttpRequest, object_id: int):
        if not request.user.has_perm("regulations.publish_edition"):
            raise PermissionDenied
        edition = get_object_or_404(
            Edition.objects.select_related("regulation", "based_on"), pk=object_id
        )
        if not edition.is_draft:
            self.message_user(request, _("Only a draft edition can be published."), messages.ERROR)
            return redirect(self._change_url(edition))
        form = PublishForm(request.POST or None, initial={"change_note": edition.change_note})
        if request.method == "POST" and form.is_valid():
            try:
                services.edition_publish(
                    edition=edition,
                    effective_from=form.cleaned_data["effective_from"],
                    change_note=form.cleaned_data["change_note"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The edition was published."), messages.SUCCESS)
                return redirect(self._change_url(edition))
        return TemplateResponse(
            request,
            "regulations/admin/publish_confirm.html",
            self._publish_context(request, edition, form),
        )

    def _publish_context(self, request, edition: Edition, form: PublishForm) -> dict:
        base = edition.based_on or edition.regulation.editions.published().last()
        changes = services.edition_changes(base=base, edition=edition)
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Publish %(edition)s") % {"edition": edition.regulation.code},
            "edition": edition,
            "base": base,
            "form": form,
            "changes": [(c, diff_html(c.old_text or "", c.new_text or "")) for c in changes],
            "citing": services.citing_questions(
                edition.regulation.code, [c.number for c in changes]
            ),
        }

    def new_draft_view(self, request: HttpRequest, object_id: int):
        if not self.has_add_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(Edition, pk=object_id)
        try:
            draft = services.edition_create_draft(from_edition=edition, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(self._change_url(edition))
        self.message_user(request, _("A draft was created from this edition."), messages.SUCCESS)
        return redirect(self._change_url(draft))

    # ----------------------------------------------------------------------- actions

    @admin.action(description=_("Publish the selected draft…"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        if queryset.count() != 1 or not queryset.get().is_draft:
            self.message_user(request, _("Select exactly one draft edition."), messages.WARNING)
            return None
        url = reverse("admin:regulations_edition_publish", args=[queryset.get().pk])
        return HttpResponseRedirect(url)

    @admin.action(description=_("New draft from the selected edition"), permissions=["add"])
    def new_draft_from_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one edition."), messages.WARNING)
            return None
        try:
            draft = services.edition_create_draft(from_edition=queryset.get(), by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        return HttpResponseRedirect(self._change_url(draft))

    def has_publish_permission(self, request):
        return request.user.has_perm("regulations.publish_edition")


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    """Articles one by one (and their history); edited as part of a draft edition."""

    list_display = ["__str__", "number", "edition"]
    list_filter = ["edition__regulation", "edition__status"]
    list_select_related = ["edition__regulation"]
    search_fields = ["text"]
    fields = ["edition", "number", "text"]
    readonly_fields = ["edition", "number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        editable = obj is None or obj.edition.is_draft
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.article_revise(article=obj, text=obj.text, by=request.user)


# --------------------------------------------------------------------------- lineage


class ArticleLinkFormSet(forms.BaseInlineFormSet):
    """The rows are checked together (every article of both editions has a row, the kinds
    fit): a correction that does not cover both editions is refused and nothing is saved."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            lineage.Link(
                form.cleaned_data.get("old_number"),
                form.cleaned_data.get("new_number"),
                form.cleaned_data.get("kind"),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        problems = lineage.validate(
            rows,
            self.instance.from_edition.articles.values_list("number", flat=True),
            self.instance.to_edition.articles.values_list("number", flat=True),
        )
        if problems:
            raise ValidationError(services.lineage_problem_messages(problems))


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    formset = ArticleLinkFormSet
    extra = 1
    fields = ["old_number", "new_number", "kind", "score"]
    readonly_fields = ["score"]
    ordering = ["old_number", "new_number"]


@admin.register(Lineage)
class LineageAdmin(SimpleHistoryAdmin):
    """The proposed correspondence of articles between two editions: correct the rows and
    save (saving confirms), or confirm the proposal as it stands with the action."""

    list_display = ["__str__", "status", "proposed_at", "confirmed_at", "confirmed_by"]
    list_filter = ["status", "from_edition__regulation"]
    list_select_related = ["from_edition__regulation", "to_edition__regulation", "confirmed_by"]
    inlines = [ArticleLinkInline]
    actions = ["confirm_selected"]
    fields = ["from_edition", "to_edition", "status", "proposed_at", "confirmed_at", "confirmed_by"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        try:
            services.lineage_confirm(row=form.instance, by=request.user)
        except ValidationError as error:  # the formset checked the same: a race at most
            raise PermissionDenied("; ".join(error.messages)) from None
        self.message_user(request, _("The correspondence is stored and confirmed."))

    @admin.action(description=_("Confirm the selected correspondences"))
    def confirm_selected(self, request, queryset):
        for row in queryset.select_related("from_edition", "to_edition"):
            try:
                services.lineage_confirm(row=row, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{row}: {'; '.join(error.messages)}", level=messages.ERROR
                )
            else:
                self.message_user(request, _("Confirmed: %(row)s") % {"row": row})
