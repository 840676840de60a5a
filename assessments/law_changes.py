"""Change impact: what a newly published edition (or a corrected lineage) means for the
questionnaires, the open drafts and the submitted results.

A question is affected when one of its citations, followed through the article lineage from
the edition it was written against to the edition before the new one, lands on an article
that the new edition amended, merged, split or repealed (a renumbered article is not a
change). A citation written against the new edition itself (or a later one) is not affected.

Then:
- the questions are listed for content admins (to review for the next questionnaire version)
  and shown with a notice in open drafts of a version that asks them;
- submissions made before the edition was published whose answers include an affected
  question are marked "law changed since this submission";
- the owners of the organisations concerned and the regulators of their jurisdiction are
  notified once per edition (a stored row per person), however often this runs.

``law_change_compute`` is idempotent: it recomputes the lists (a lineage correction may
change them) and notifies only people not yet told about that edition.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    Citation,
    LawChange,
    LawChangeNotified,
    LawChangeQuestion,
    LawChangeSubmission,
    Submission,
)

log = logging.getLogger(__name__)

UNSUBMITTED = (
    Assessment.Status.DRAFT,
    Assessment.Status.REOPENED,
    Assessment.Status.CHANGES_REQUESTED,
)


def _editions(regulation):
    from django.db.models import Count

    return list(
        regulation.editions.published()
        .annotate(loaded=Count("articles"))
        .filter(loaded__gt=0)
        .order_by("effective_from")
    )


def _index_on(editions, day):
    if day is None:
        return None
    return next((i for i, e in enumerate(editions) if e.is_in_force_on(day)), None)


def affected_citations(edition) -> list[tuple[Citation, int, list[int], str]]:
    """(citation, old number in the previous edition, new numbers, kind) for each citation
    of the regulation that the change from the previous edition to ``edition`` touches."""
    from regulations import lineage
    from regulations.models import Lineage
    from regulations.selectors import follow_lineage

    editions = _editions(edition.regulation)
    position = next((i for i, e in enumerate(editions) if e.pk == edition.pk), None)
    if not position:
        return []
    previous = editions[position - 1]
    row = Lineage.objects.filter(from_edition=previous, to_edition=edition).first()
    if row is None:
        return []
    changed: dict[int, tuple[str, list[int]]] = {}
    for link in row.links.all():
        if link.old_number is None or link.kind not in lineage.CHANGED_KINDS:
            continue
        kind, targets = changed.setdefault(link.old_number, (link.kind, []))
        if link.new_number is not None:
            targets.append(link.new_number)
    found = []
    citations = Citation.objects.filter(regulation_code=edition.regulation.code).select_related(
        "question__section__version"
    )
    for citation in citations:
        written = _index_on(editions, citation.edition_effective)
        if written is None:
            written = position - 1  # no edition recorded: read against the one before
        if written >= position:
            continue
        numbers, _kinds = follow_lineage(editions, written, position - 1, {citation.article_number})
        for number in sorted(numbers):
            if number in changed:
                kind, targets = changed[number]
                found.append((citation, number, sorted(targets), kind))
    return found


def law_change_compute(edition_id: int) -> LawChange | None:
    """Compute (again) the impact of a published edition and notify whoever was not told."""
    from regulations.models import Edition

    edition = Edition.objects.select_related("regulation").get(pk=edition_id)
    if not edition.is_published:
        return None
    affected = affected_citations(edition)
    with transaction.atomic():
        law_change, _created = LawChange.objects.select_for_update().get_or_create(
            edition=edition, defaults={"computed_at": timezone.now()}
        )
        law_change.computed_at = timezone.now()
        law_change.save(update_fields=["computed_at"])
        law_change.questions.all().delete()
        seen = set()
        rows = []
        for citation, old, new, kind in affected:
            key = (citation.question_id, old)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                LawChangeQuestion(
                    law_change=law_change,
                    question_id=citation.question_id,
                    regulation_code=citation.regulation_code,
                    old_number=old,
                    new_numbers=new,
                    kind=kind,
                )
            )
        LawChangeQuestion.objects.bulk_create(rows)
        codes_by_version: dict[int, set[str]] = {}
        for citation, *_rest in affected:
            version_id = citation.question.section.version_id
            codes_by_version.setdefault(version_id, set()).add(citation.question.code)
        published_at = edition.published_at or timezone.now()
        marked = []
        submissions = Submission.objects.filter(
            version_id__in=list(codes_by_version), submitted_at__lt=published_at
        ).exclude(assessment__status__in=UNSUBMITTED[:2])
        for submission in submissions.only("pk", "version_id", "answers"):
            if codes_by_version[submission.version_id] & set(submission.answers or {}):
                marked.append(submission.pk)
        law_change.submissions.exclude(submission_id__in=marked).delete()
        existing = set(law_change.submissions.values_list("submission_id", flat=True))
        LawChangeSubmission.objects.bulk_create(
            LawChangeSubmission(law_change=law_change, submission_id=pk)
            for pk in marked
            if pk not in existing
        )
    _notify(law_change, codes_by_version)
    return law_change


def _organisations(law_change, codes_by_version):
    from portal.models import Organisation

    drafts = Assessment.objects.filter(
        version_id__in=list(codes_by_version), status__in=UNSUBMITTED
    ).values_list("organisation_id", flat=True)
    submitted = law_change.submissions.values_list(
        "submission__assessment__organisation_id", flat=True
    )
    return list(Organisation.objects.filter(pk__in=set(drafts) | set(submitted)).order_by("pk"))


def _notify(law_change, codes_by_version) -> None:
    """Owners of the organisations concerned and the regulators of their jurisdiction, each
    once per edition (a LawChangeNotified row is the claim)."""
    from notifications.events import owners_of
    from portal.access import regulators_for_organisation

    recipients = {}
    for organisation in _organisations(law_change, codes_by_version):
        for user in owners_of(organisation):
            recipients.setdefault(user.pk, (user, "owner"))
        for user in regulators_for_organisation(organisation):
            recipients.setdefault(user.pk, (user, "regulator"))
    for user, role in recipients.values():
        try:
            with transaction.atomic():
                LawChangeNotified.objects.create(law_change=law_change, user=user)
                _queue(law_change, user, role)
        except IntegrityError:
            continue  # told before


def _queue(law_change, user, role: str) -> None:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from notifications.events import render_body
    from notifications.models import Notification
    from notifications.services import absolute_url, notifications_queue

    edition = law_change.edition
    questions = list(law_change.questions.select_related("question").order_by("question__code"))

    def render():
        context = {
            "code": edition.regulation.code,
            "title": edition.regulation.title_zh,
            "date": edition.effective_from.isoformat(),
            "questions": questions,
            "role": role,
        }
        subject = _("%(code)s amended (in force from %(date)s): questions to look at again") % {
            "code": context["code"],
            "date": context["date"],
        }
        return subject, render_body("law_changed", context)

    link = absolute_url(reverse("regulations:detail", args=[edition.regulation.code]))
    notifications_queue(
        recipients=[user], kind=Notification.Kind.LAW_CHANGED, link=link, render=render
    )


def schedule(edition_id: int) -> None:
    """Hand the computation to the worker after the commit (eager in tests and without
    Redis); a broker that is down is logged and the computation runs here."""
    from assessments import tasks

    try:
        tasks.law_change_impact.delay(edition_id)
    except Exception:  # noqa: BLE001 - run it now rather than lose it
        log.warning("broker unavailable; law change %s computed inline", edition_id, exc_info=True)
        law_change_compute(edition_id)


# --------------------------------------------------------------------------- reads


def question_notices(assessment) -> dict[int, list[LawChangeQuestion]]:
    """The law-change notices of an open draft, by question id (one query)."""
    if assessment.status not in UNSUBMITTED:
        return {}
    notices: dict[int, list[LawChangeQuestion]] = {}
    rows = LawChangeQuestion.objects.filter(
        question__section__version_id=assessment.version_id
    ).select_related("law_change__edition")
    for row in rows:
        notices.setdefault(row.question_id, []).append(row)
    return notices


def submission_markers(submission) -> list[dict]:
    """The "law changed since this submission" markers of a submission: each affected
    question of its answers with the change and the diff of the article."""
    from regulations.diffing import diff_html
    from regulations.models import Article

    changes = LawChange.objects.filter(submissions__submission=submission).select_related(
        "edition__regulation"
    )
    markers = []
    changes = list(changes)
    codes = set(submission.answers or {}) if changes else set()
    for law_change in changes:
        edition = law_change.edition
        previous = (
            edition.regulation.editions.published()
            .filter(effective_from__lt=edition.effective_from)
            .order_by("effective_from")
            .last()
        )
        for row in law_change.questions.select_related("question").order_by("question__code"):
            if row.question.code not in codes:
                continue
            old = Article.objects.filter(edition=previous, number=row.old_number).first()
            new = list(Article.objects.filter(edition=edition, number__in=row.new_numbers))
            markers.append(
                {
                    "edition": edition,
                    "question": row.question.code,
                    "regulation": row.regulation_code,
                    "old_number": row.old_number,
                    "new_numbers": row.new_numbers,
                    "kind": row.kind,
                    "diff": diff_html(old.text if old else "", "\n".join(a.text for a in new)),
                }
            )
    return markers
