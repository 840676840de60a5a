"""Read-only admin views of questionnaires and submissions.

Questionnaire versions change only through `load_questionnaire` (a new version number for a
changed file), and submissions are frozen, so the admin shows them without edit rights.
"""

from django.contrib import admin

from assessments.models import Question, QuestionnaireVersion, ScoreResult, Submission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "number", "grade", "submitted_by", "submitted_at"]
    list_select_related = [
        "assessment__organisation",
        "assessment__version__questionnaire",
        "submitted_by",
    ]
    search_fields = ["assessment__organisation__name"]


@admin.register(ScoreResult)
class ScoreResultAdmin(ReadOnlyAdmin):
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
