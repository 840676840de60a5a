"""Read-only admin views of questionnaires and submissions.

Questionnaire versions change only through `load_questionnaire` (a new version number for a
changed file), and submissions are frozen, so the admin shows them without edit rights.
Submissions and results belong to organisations: only superusers see them here.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    LawChangeQuestion,
    Question,
    QuestionnaireVersion,
    ScoreResult,
    Submission,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TenantDataAdmin(ReadOnlyAdmin):
    """Organisations' submissions and results: superusers only.

    Content admins are staff who edit regulations and questionnaires; tenant data reaches a
    person only through portal/access.py, so the admin refuses them whatever permissions their
    group holds (403 on the changelist and the change form, and no entry on the index).
    """

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["code", "answer_type", "weight", "red_line", "na_allowed", "evidence_from", "text_zh"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyAdmin):
    list_display = ["questionnaire", "number", "status", "published_at"]
    list_filter = ["status"]
    inlines = [QuestionInline]


@admin.register(Submission)
class SubmissionAdmin(TenantDataAdmin):
    list_display = ["assessment", "number", "grade", "submitted_by", "submitted_at"]
    list_select_related = [
        "assessment__organisation",
        "assessment__version__questionnaire",
        "submitted_by",
    ]
    search_fields = ["assessment__organisation__name"]


@admin.register(ScoreResult)
class ScoreResultAdmin(TenantDataAdmin):
    list_display = [
        "submission",
        "overall_tier",
        "index",
        "grade",
        "ruleset_version",
        "computed_at",
    ]
    list_filter = ["overall_tier", "ruleset_version"]
    list_select_related = [
        "submission__assessment__organisation",
        "submission__assessment__version__questionnaire",
    ]


@admin.register(LawChangeQuestion)
class LawChangeQuestionAdmin(ReadOnlyAdmin):
    """The questions to review for the next questionnaire version: each cites an article
    that a published edition amended, merged, split or repealed (assessments.law_changes)."""

    list_display = [
        "question",
        "version",
        "regulation_code",
        "old_number",
        "new_numbers",
        "kind",
        "edition",
    ]
    list_filter = ["kind", "regulation_code", "law_change__edition"]
    list_select_related = [
        "question__section__version__questionnaire",
        "law_change__edition__regulation",
    ]
    search_fields = ["question__code"]

    def has_view_permission(self, request, obj=None):
        # Content administrators (who may read the questionnaires) review these; a platform
        # administrator is staff too but has no business with the questionnaires.
        return request.user.is_active and request.user.has_perm("assessments.view_question")

    @admin.display(description=_("questionnaire version"))
    def version(self, obj):
        return obj.question.section.version

    @admin.display(description=_("edition"))
    def edition(self, obj):
        return obj.law_change.edition
