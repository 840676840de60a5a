"""Reads over the review loop, each in a fixed number of queries.

`review_state` and `comments_with_replies` are what the organisation's pages show; the
regulator's queue and review page build on them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext

from assessments import content_cache, results, scoring, workflow
from assessments.models import (
    Assessment,
    Evidence,
    Question,
    ScoreResult,
    Submission,
)
from portal.models import AuditEvent
from supervision import diff, fragments
from supervision.models import Claim, Decision, ReviewComment, TierOverride


@dataclass(frozen=True)
class ReviewState:
    """What the review loop says about an assessment now."""

    last_decision: Decision | None  # the latest request for changes, acceptance or closing
    claim: Claim | None
    override: TierOverride | None  # the override of the latest submission, if any


def latest_decision(assessment: Assessment) -> Decision | None:
    """The latest request for changes, acceptance or closing of an assessment (1 query)."""
    return (
        Decision.objects.filter(assessment=assessment, action__in=workflow.DECISIONS)
        .select_related("actor", "submission")
        .order_by("-at", "-pk")
        .first()
    )


def review_state(assessment: Assessment) -> ReviewState:
    """The latest decision, the claim and the applicable override (3 queries)."""
    decision = latest_decision(assessment)
    claim = Claim.objects.filter(assessment=assessment).select_related("reviewer").first()
    latest = assessment.submissions.order_by("-number").values_list("pk", flat=True).first()
    return ReviewState(decision, claim, override_for(latest) if latest else None)


def override_for(submission_id: int) -> TierOverride | None:
    """The override that applies to a submission: its latest one."""
    return (
        TierOverride.objects.filter(submission_id=submission_id)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


def comments_with_replies(assessment: Assessment, submission: Submission | None = None):
    """Review comments of an assessment (of one submission when given), with their replies,
    authors and the submission number, oldest first (1 query)."""
    comments = ReviewComment.objects.filter(assessment=assessment).select_related(
        "author", "submission", "reply__author"
    )
    if submission is not None:
        comments = comments.filter(submission=submission)
    return list(comments.order_by("created_at", "pk"))


def decisions_of(assessment: Assessment) -> list[Decision]:
    """Every recorded step of the review loop, oldest first (1 query)."""
    return list(
        Decision.objects.filter(assessment=assessment)
        .select_related("actor", "submission")
        .order_by("at", "pk")
    )


# --------------------------------------------------------------------------- the review page


class AnswerRow:
    """One frozen answer as the regulator reads it (`body`: its rendered fragment). The answer
    in words, the evidence and the citation links are worked out when first read: the page
    reads them only to render a body the cache does not hold (supervision/fragments.py)."""

    def __init__(self, question, frozen, comments, *, editions, on, found):
        self.question = question
        self.frozen = frozen
        self.comments = comments
        self.body = ""
        self._editions, self._on, self._found = editions, on, found

    @cached_property
    def answer_label(self) -> str:
        return answer_label(self.question, self.frozen)

    @cached_property
    def evidence(self) -> list:
        """Evidence rows (or a stub with the digest when the file row is gone)."""
        return evidence_list(self.frozen.get("evidence"), self._found)

    @cached_property
    def citations(self) -> list[dict]:
        return citation_links(self.question, self._editions, self._on)

    @property
    def is_na(self) -> bool:
        return bool((self.frozen.get("na_reason") or "").strip())


@dataclass(frozen=True)
class ModuleGroup:
    module: str
    title: str
    rows: list[AnswerRow]


@dataclass(frozen=True)
class MissingEvidence:
    sha256: str
    pk: None = None
    original_name: str = ""


def submission_for_review(assessment: Assessment, number: int | None = None) -> Submission | None:
    """The latest submission (or number `number`) with its submitter and result (1 query)."""
    submissions = assessment.submissions.select_related("submitted_by", "result", "version")
    if number is not None:
        return submissions.filter(number=number).first()
    return submissions.order_by("-number").first()


def stored_result(submission: Submission) -> ScoreResult | None:
    try:
        return submission.result
    except ScoreResult.DoesNotExist:
        return None


def previous_submission(submission: Submission) -> Submission | None:
    """Snapshot n−1 of the same assessment (1 query), None for the first."""
    if submission.number <= 1:
        return None
    return Submission.objects.filter(
        assessment_id=submission.assessment_id, number=submission.number - 1
    ).first()


def questions_for(submission: Submission) -> list[Question]:
    """The questions of the submission's version, with sections, choices and citations, in
    questionnaire order (kept per process: assessments.content_cache)."""
    return list(content_cache.version_questions(submission.version))


def answer_label(question: Question, frozen: dict) -> str:
    """A frozen answer in words: its level, choice labels, yes/no, number with unit."""
    if not frozen:
        return results.label(results.ANSWER_LABELS, scoring.UNANSWERED)
    if (frozen.get("na_reason") or "").strip():
        return gettext("Not applicable")
    level, value = frozen.get("level"), frozen.get("value")
    kind = question.answer_type
    if kind == Question.AnswerType.LEVEL:
        return results.label(results.LEVEL_LABELS, level) if level is not None else "—"
    if value in (None, "", []):
        return results.label(results.ANSWER_LABELS, scoring.UNANSWERED)
    if kind == Question.AnswerType.YESNO:
        return results.label(results.ANSWER_LABELS, "yes" if value else "no")
    if kind in (Question.AnswerType.CHOICE, Question.AnswerType.MULTI):
        labels = {c.value: c.label for c in question.choices.all()}
        values = value if isinstance(value, list) else [value]
        return "、".join(labels.get(str(v), str(v)) for v in values)
    if kind == Question.AnswerType.NUMBER and question.unit:
        return f"{value} {question.unit}"
    return str(value)


def citation_links(question: Question, editions: dict[str, str], on: str) -> list[dict]:
    """Links to each cited article in the edition the submission froze (or the text in force
    on the submission day when no edition was recorded)."""
    links = []
    for citation in question.citations.all():
        day = editions.get(citation.regulation_code) or on
        url = reverse("regulations:detail", args=[citation.regulation_code])
        links.append(
            {
                "label": results.article_label(citation.regulation_code, citation.article_number),
                "url": f"{url}?on={day}#art-{citation.article_number}",
                "phrase": citation.phrase,
            }
        )
    return links


def evidence_by_digest(assessment: Assessment, snapshots: list[dict]) -> dict[str, Evidence]:
    """The evidence rows of the assessment whose digests the snapshots froze (1 query, also
    when there are none: the page's query count must not depend on the answers)."""
    digests = {sha for s in snapshots for a in s.values() for sha in (a or {}).get("evidence", [])}
    rows = Evidence.objects.filter(answer__assessment=assessment).order_by("uploaded_at", "pk")
    found = {}
    for row in rows:
        if row.sha256 in digests:
            found.setdefault(row.sha256, row)
    return found


def evidence_list(digests, found: dict[str, Evidence]) -> list:
    return [found.get(sha) or MissingEvidence(sha) for sha in digests or []]


def answers_by_module(
    submission: Submission,
    questions: list[Question],
    evidence: dict[str, Evidence],
    comments: list[ReviewComment],
) -> list[ModuleGroup]:
    """Every frozen answer grouped by module in questionnaire order, red lines first within
    a module, each with its citations, evidence and the regulator's comments."""
    editions = {e.get("regulation"): e.get("effective_from") for e in submission.editions or []}
    on = submission.submitted_at.date().isoformat()
    by_code: dict[str, list[ReviewComment]] = {}
    for comment in comments:
        if comment.question_code:
            by_code.setdefault(comment.question_code, []).append(comment)
    groups: dict[str, ModuleGroup] = {}
    for question in questions:
        if question.code not in submission.answers:
            continue
        frozen = submission.answers[question.code] or {}
        section = question.section
        group = groups.setdefault(section.module, ModuleGroup(section.module, section.title, []))
        group.rows.append(
            AnswerRow(
                question,
                frozen,
                by_code.get(question.code, []),
                editions=editions,
                on=on,
                found=evidence,
            )
        )
    for group in groups.values():
        group.rows.sort(key=lambda row: not row.question.red_line)  # stable: order kept
    return list(groups.values())


@dataclass(frozen=True)
class DiffRow:
    change: diff.QuestionChange
    question: Question | None
    answer_before: str
    answer_after: str
    evidence_added: list
    evidence_removed: list
    comments: list[ReviewComment]  # the comments on the previous snapshot, with replies


def resubmission_diff(
    previous: Submission,
    submission: Submission,
    questions: list[Question],
    evidence: dict[str, Evidence],
    comments: list[ReviewComment],
) -> list[DiffRow]:
    """Per question, what changed between snapshot n−1 and n (no query: all loaded)."""
    by_code = {q.code: q for q in questions}
    changes = diff.snapshot_diff(previous.answers, submission.answers, [q.code for q in questions])
    on_previous: dict[str, list[ReviewComment]] = {}
    for comment in comments:
        if comment.submission_id == previous.pk and comment.question_code:
            on_previous.setdefault(comment.question_code, []).append(comment)
    rows = []
    for change in changes:
        question = by_code.get(change.code)
        before = previous.answers.get(change.code) or {}
        after = submission.answers.get(change.code) or {}
        rows.append(
            DiffRow(
                change=change,
                question=question,
                answer_before=answer_label(question, before) if question else "",
                answer_after=answer_label(question, after) if question else "",
                evidence_added=evidence_list(change.evidence_added, evidence),
                evidence_removed=evidence_list(change.evidence_removed, evidence),
                comments=on_previous.get(change.code, []),
            )
        )
    return rows


AUDIT_LIMIT = 50


def audit_events(assessment: Assessment, limit: int = AUDIT_LIMIT) -> list[AuditEvent]:
    """The latest events about the assessment, newest first (1 query)."""
    return list(
        AuditEvent.objects.filter(data__assessment=assessment.pk)
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def review_page(assessment: Assessment, submission: Submission, latest: Submission) -> dict:
    """Everything the review page shows about one submission, in a fixed number of queries."""
    stored = stored_result(submission)
    previous = previous_submission(submission)
    questions = questions_for(submission)
    snapshots = [submission.answers] + ([previous.answers] if previous else [])
    evidence = evidence_by_digest(assessment, snapshots)
    comments = comments_with_replies(assessment)
    state = review_state(assessment)
    return {
        "submission": submission,
        "stored": stored,
        # worked out only when the cached result block is rendered (results_cache.result_block)
        "result_context": lambda: results.result_context(submission, stored),
        "assessment": assessment,
        "organisation": assessment.organisation,
        "latest": latest,
        "is_latest": submission.pk == latest.pk,
        "snapshot_numbers": list(range(1, latest.number + 1)),
        "state": state,
        "override": override_for(submission.pk) if submission.pk != latest.pk else state.override,
        "computed_tier": stored.overall_tier if stored else None,
        "modules_answers": fragments.with_bodies(
            submission, answers_by_module(submission, questions, evidence, comments), evidence
        ),
        "general_comments": [c for c in comments if c.is_general],
        "previous": previous,
        "diff": resubmission_diff(previous, submission, questions, evidence, comments)
        if previous
        else None,
        "decisions": decisions_of(assessment),
        "events": audit_events(assessment),
    }
