"""The organisation's side of a review: a member answers a regulator's comment.

Routed under /assessments/ (assessments/urls.py): it is the member's page, reached from the
assessment overview; access is the member's (portal.access), never the regulator's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access
from supervision import services
from supervision.models import ReviewComment


@require_POST
@login_required
def comment_reply(request, pk, comment_pk):
    """Save (or change) the organisation's one reply to a comment on this assessment."""
    assessment = access.get_assessment_for_user(request.user, pk, write=True)
    comment = get_object_or_404(ReviewComment, pk=comment_pk, assessment=assessment)
    try:
        services.reply_save(comment=comment, by=request.user, body=request.POST.get("body", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reply saved."))
    return redirect(f"{assessment.get_absolute_url()}#comment-{comment.pk}")
