"""Read-only admin of the review loop: what regulators decided is a record, never edited."""

from django.contrib import admin

from supervision.models import Claim, CommentReply, Decision, ReviewComment, TierOverride


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action",)
    list_select_related = (
        "assessment__organisation",
        "assessment__version__questionnaire",
        "actor",
    )


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "reviewer", "claimed_at")
    list_select_related = (
        "assessment__organisation",
        "assessment__version__questionnaire",
        "reviewer",
    )


@admin.register(TierOverride)
class TierOverrideAdmin(ReadOnlyAdmin):
    list_display = ("submission", "tier", "by", "at")
    list_select_related = ("submission__assessment__organisation", "by")


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ("submission", "question_code", "author", "created_at")
    list_select_related = ("submission__assessment__organisation", "author")


@admin.register(CommentReply)
class CommentReplyAdmin(ReadOnlyAdmin):
    list_display = ("comment", "author", "updated_at")
