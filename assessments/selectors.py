"""Reads over assessments, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from assessments import answer_rows, content_cache, workflow
from assessments.models import Answer, Assessment, Citation, Question, Section
from assessments.rules import SCOPING
from assessments.scoping import applying, outcome_for


def scoping_answers(assessment: Assessment) -> dict[str, object]:
    rows = assessment.answers.filter(question__section__module=SCOPING).values_list(
        "question__code", "value"
    )
    return {code: value for code, value in rows if value not in (None, "", [])}


def questions_of_version(assessment: Assessment) -> list[Question]:
    """Every question of the assessment's version (shared, read-only: content_cache)."""
    return list(content_cache.version_questions(assessment.version))


def applicable_questions(
    assessment: Assessment, questions: list[Question] | None = None
) -> list[Question]:
    outcome = outcome_for(assessment)
    questions = questions_of_version(assessment) if questions is None else questions
    return applying(questions, outcome)


def answers_by_question(assessment: Assessment) -> dict[int, Answer]:
    return {a.question_id: a for a in assessment.answers.all()}


def missing_answers(
    assessment: Assessment,
    questions: list[Question] | None = None,
    answers: dict[int, Answer] | None = None,
) -> list[Question]:
    """Applicable questions without an answer (pass what the caller has loaded already)."""
    questions = applicable_questions(assessment) if questions is None else questions
    answers = answers_by_question(assessment) if answers is None else answers
    return [q for q in questions if q.pk not in answers or not answers[q.pk].is_answered]


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    answered: int
    total: int
    assignee: object = None

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


def progress(
    assessment: Assessment,
    questions: list[Question] | None = None,
    answers: dict[int, Answer] | None = None,
) -> list[SectionProgress]:
    """Answered and applicable counts per active section (scoping first)."""
    questions = applicable_questions(assessment) if questions is None else questions
    answers = answers_by_question(assessment) if answers is None else answers
    assignees = {a.section_id: a.user for a in assessment.assignments.select_related("user")}
    active = {SCOPING, *assessment.modules}
    by_section: dict[int, list[Question]] = {}
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    rows = []
    for section in assessment.version.sections.all():
        if section.module not in active:
            continue
        mine = by_section.get(section.pk, [])
        done = sum(1 for q in mine if (a := answers.get(q.pk)) is not None and a.is_answered)
        rows.append(SectionProgress(section, done, len(mine), assignees.get(section.pk)))
    return rows


def section_progress(
    assessment: Assessment, section: Section, saved: Answer | None = None
) -> tuple[int, int]:
    """(answered, applicable) in one section, for the live counter after a save. `saved`: the
    answer just saved; when its save read the answered states of the section's questions too
    (`answered_among`, answer_rows.save_if_current, asked with this section's questions), they
    are counted with no query: that one-statement save never changes the scoping."""
    known = getattr(saved, "answered_among", None)
    if known is not None:
        return sum(known.values()), len(known)
    ids = [q.pk for q in section_questions(assessment, section)]
    answered = answer_rows.answered(assessment.pk, ids)
    return sum(1 for pk in ids if pk in answered), len(ids)


def section_questions(assessment: Assessment, section: Section) -> list[Question]:
    """The applicable questions of a section, with choices and citations (shared, read-only:
    content_cache; no query once the version has been read in this process)."""
    in_section = content_cache.section_questions(assessment.version, section.pk)
    return applicable_questions(assessment, list(in_section))


def cited_editions(questions: list[Question], *, on) -> list[dict]:
    """The regulation editions in force on `on` for every regulation the questions cite."""
    from regulations import selectors

    codes = sorted(
        set(
            Citation.objects.filter(question__in=questions).values_list(
                "regulation_code", flat=True
            )
        )
    )
    editions = []
    for code in codes:
        edition = selectors.edition_in_force(code, on)
        editions.append(
            {
                "regulation": code,
                "edition_id": edition.pk if edition else None,
                "effective_from": edition.effective_from.isoformat() if edition else None,
            }
        )
    return editions


# --------------------------------------------------------------------------- submitting


@dataclass(frozen=True)
class RedLineAnswer:
    question: Question
    level: int


@dataclass(frozen=True)
class SubmitSummary:
    """What the owner reviews before freezing a snapshot."""

    total: int
    answered: int
    na: int
    missing: list[Question]
    evidence_missing: list[Question]
    red_lines: list[RedLineAnswer]


def evidence_required(question: Question, grade: str) -> bool:
    """Whether missing evidence can lower this question's score at this grade: the scoring
    rule (the grade asks for evidence at the question's weight) and an answer that can reach a
    level above the cap (scoring.Ruleset.evidence_cap_level). Needs the choices prefetched."""
    from assessments import scoring

    rules = scoring.DEFAULT_RULESET
    if question.is_scoping or grade not in scoring.GRADES:
        return False
    if not rules.evidence_required(grade, question.weight):
        return False
    return highest_level(question) > rules.evidence_cap_level


def highest_level(question: Question) -> int:
    """The best level an answer to `question` can reach (the scoring function's conversions).
    Kept on the instance: a loaded version's questions never change."""
    level = question.__dict__.get("_highest_level")
    if level is None:
        level = question.__dict__["_highest_level"] = _highest_level(question)
    return level


def _highest_level(question: Question) -> int:
    if question.answer_type in ("level", "yesno", "multi"):  # multi: no levelled pick gives 3
        return 3
    if question.answer_type == "choice":
        return max((c.level for c in question.choices.all() if c.level is not None), default=0)
    return max((t.get("level", 0) for t in question.thresholds or []), default=0)


def raw_level(question: Question, answer: Answer | None) -> int | None:
    """The level the answer earns before the evidence cap (None: unanswered or N/A)."""
    return raw_levels([question], {question.pk: answer} if answer is not None else {}).get(
        question.code
    )


def raw_levels(questions, answers) -> dict[str, int]:
    """The level each answered, non-N/A answer to a scored question earns before the evidence
    cap, by question code (one call of the scoring function for them all; answers by question
    id; scoping questions are not scored)."""
    from django.utils import timezone

    from assessments import scoring, scoring_inputs

    picked = [
        q
        for q in questions
        if not q.is_scoping and (a := answers.get(q.pk)) and a.is_answered and not a.is_na
    ]
    if not picked:
        return {}
    result = scoring.score(
        [scoring_inputs.question_for_scoring(q) for q in picked],
        {q.code: live_answer(answers[q.pk], evidence=True) for q in picked},
        scoring.Scope(grade=scoring.GRADES[0], as_of=timezone.localdate()),
    )
    return {o.code: o.level for o in result.questions if o.level is not None}


def evidence_state(
    question: Question, answer: Answer | None, grade: str, levels: dict[str, int] | None = None
) -> str:
    """What the evidence badge says: "" (a file would not change the score: the grade does not
    ask, the answer is N/A or at most at the cap), "needed" (not answered yet: a full score
    will need a file), "capped" (the answer is above the cap and counts only at the cap until
    a file is attached) or "attached". `levels`: the raw levels of the page's answers
    (`raw_levels`), when the caller has them."""
    if not evidence_required(question, grade):
        return ""
    if answer is not None and answer.is_na:
        return ""
    if answer is not None and has_files(answer):
        return "attached"
    if levels is None:
        level = raw_level(question, answer)
    else:
        level = levels.get(question.code) if answer is not None and answer.is_answered else None
    if level is None:
        return "needed"
    return "capped" if level > evidence_cap_level() else ""  # at or below the cap: no effect


def has_files(answer: Answer) -> bool:
    """Whether evidence is attached: `has_evidence` when the statement that read or saved the
    answer said so (answer_rows), else its files (prefetched, or one query)."""
    known = getattr(answer, "has_evidence", None)
    return known if known is not None else bool(answer.evidence.all())


def evidence_cap_level() -> int:
    from assessments import scoring

    return scoring.DEFAULT_RULESET.evidence_cap_level


def evidence_missing_on_overview(assessment: Assessment, questions, answers) -> list[Question]:
    """`evidence_missing_for` over answers loaded without their evidence (1 query more: which
    answers have a file; questions with their choices, as the content cache holds them)."""
    from assessments.models import Evidence

    with_files = set(
        Evidence.objects.filter(answer__assessment_id=assessment.pk).values_list(
            "answer_id", flat=True
        )
    )
    return evidence_missing_for(questions, answers, assessment.grade, with_files=with_files)


def evidence_missing_for(questions, answers, grade: str, *, with_files=None) -> list[Question]:
    """Answered questions whose level is capped because the evidence the grade asks for is
    missing: evidence_state(...) == "capped" for each, with one call of the scoring function.
    `answers` by question id; `with_files`: the ids of the answers that have a file (else each
    answer's evidence must be prefetched)."""

    def has_files(answer) -> bool:
        return answer.pk in with_files if with_files is not None else bool(answer.evidence.all())

    asking = [q for q in questions if evidence_required(q, grade)]
    bare = {
        q.pk: a
        for q in asking
        if (a := answers.get(q.pk)) is not None
        and a.is_answered
        and not a.is_na
        and not has_files(a)
    }
    levels = raw_levels([q for q in asking if q.pk in bare], bare)
    cap = evidence_cap_level()
    return [q for q in asking if q.pk in bare and levels.get(q.code, 0) > cap]


def red_line_levels(assessment: Assessment, questions, answers) -> dict[str, int]:
    """The level the scoring function gives each answered, non-N/A red-line question."""
    from django.utils import timezone

    from assessments import scoring, scoring_inputs

    grade = assessment.grade if assessment.grade in scoring.GRADES else scoring.GRADES[0]
    picked = [q for q in questions if q.red_line and answers.get(q.pk)]
    picked = [q for q in picked if answers[q.pk].is_answered and not answers[q.pk].is_na]
    if not picked:
        return {}
    result = scoring.score(
        [scoring_inputs.question_for_scoring(q) for q in picked],
        {q.code: live_answer(answers[q.pk]) for q in picked},
        scoring.Scope(grade=grade, as_of=timezone.localdate()),
    )
    return {o.code: o.level for o in result.questions if o.level is not None}


def live_answer(answer: Answer, *, evidence: bool | None = None):
    from assessments import scoring

    return scoring.Answer(
        level=answer.level,
        value=answer.value,
        na_reason=answer.na_reason,
        evidence=bool(answer.evidence.all()) if evidence is None else evidence,
    )


def submit_summary(assessment: Assessment) -> SubmitSummary:
    """Answered, N/A, missing, evidence missing where required, red lines at level 0 or 1
    (5 queries whatever the number of questions)."""
    questions = Question.objects.filter(version_id=assessment.version_id).select_related("section")
    questions = applicable_questions(
        assessment, list(questions.prefetch_related("choices", "citations"))
    )
    answers = {a.question_id: a for a in assessment.answers.prefetch_related("evidence")}
    done = [q for q in questions if q.pk in answers and answers[q.pk].is_answered]
    na = [q for q in done if answers[q.pk].is_na]
    evidence_missing = evidence_missing_for(done, answers, assessment.grade)
    levels = red_line_levels(assessment, questions, answers)
    red_lines = [RedLineAnswer(q, levels[q.code]) for q in questions if levels.get(q.code, 3) <= 1]
    return SubmitSummary(
        total=len(questions),
        answered=len(done),
        na=len(na),
        missing=[q for q in questions if q not in done],
        evidence_missing=evidence_missing,
        red_lines=red_lines,
    )


# --------------------------------------------------------------------------- starting again


@dataclass(frozen=True)
class PreviousScoping:
    """The scoping answers of the organisation's last submission, in the current wording."""

    submission: object
    rows: list[tuple[Question, str]]  # (question, the answer in words)
    in_use: bool  # the current answers are these already


def previous_submission(assessment: Assessment):
    """The organisation's latest submission of another assessment (1 query)."""
    from assessments.models import Submission

    return (
        Submission.objects.filter(assessment__organisation_id=assessment.organisation_id)
        .exclude(assessment_id=assessment.pk)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def answer_in_words(question: Question, value) -> str:
    """A scoping value as the member sees it: choice labels, yes/no, numbers and dates."""
    from django.utils.translation import gettext

    if value in (None, "", []):
        return "—"
    if question.answer_type == Question.AnswerType.YESNO:
        return gettext("Yes") if value else gettext("No")
    labels = {c.value: c.label for c in question.choices.all()}
    if isinstance(value, list):
        return "; ".join(str(labels.get(v, v)) for v in value)
    return str(labels.get(value, value))


def previous_scoping(assessment: Assessment, questions: list[Question], answers: dict):
    """For a new assessment of an organisation that submitted before: what it answered then
    (None when there is nothing to offer). `questions` are the scoping section's, with choices;
    `answers` the live answers by question id."""
    if not assessment.is_editable or assessment.submissions.exists():
        return None
    submission = previous_submission(assessment)
    if submission is None:
        return None
    frozen = submission.answers or {}
    rows, in_use = [], True
    for question in questions:
        value = (frozen.get(question.code) or {}).get("value")
        if value in (None, "", []):
            continue
        rows.append((question, answer_in_words(question, value)))
        current = answers.get(question.pk)
        in_use = in_use and current is not None and current.value == value
    return PreviousScoping(submission, rows, in_use) if rows else None


# --------------------------------------------------------------------------- review loop


def assessments_with_review(assessments):
    """Annotate each assessment with its latest submission's tier and tier override and its
    latest decision (one query for the whole list)."""
    from django.db.models import OuterRef, Subquery

    from assessments.models import ScoreResult, Submission
    from supervision.models import Decision, TierOverride

    latest = Submission.objects.filter(assessment=OuterRef("pk")).order_by("-number")
    override = TierOverride.objects.filter(submission=OuterRef("latest_submission_id"))
    decision = Decision.objects.filter(
        assessment=OuterRef("pk"), action__in=workflow.DECISIONS
    ).order_by("-at", "-pk")
    return assessments.annotate(
        latest_submission_id=Subquery(latest.values("pk")[:1]),
    ).annotate(
        tier=Subquery(
            ScoreResult.objects.filter(submission=OuterRef("latest_submission_id")).values(
                "overall_tier"
            )[:1]
        ),
        override_tier=Subquery(override.order_by("-at", "-pk").values("tier")[:1]),
        decision_action=Subquery(decision.values("action")[:1]),
        decision_at=Subquery(decision.values("at")[:1]),
    )


def tier_labels(row) -> dict:
    """The labels of an annotated tier and override (see `assessments_with_review`)."""
    from assessments.results import tier_label

    tier, override = row.get("tier"), row.get("override_tier")
    return {
        "tier": tier,
        "tier_label": tier_label(tier) if tier else "",
        "override_tier": override,
        "override_label": tier_label(override) if override else "",
    }


def assessments_for_list(assessments) -> list[Assessment]:
    """The assessment list's rows: status, tier beside its override, latest decision."""
    rows = list(assessments_with_review(assessments))
    for row in rows:
        row.tiers = tier_labels({"tier": row.tier, "override_tier": row.override_tier})
    return rows


def submission_review(submission) -> dict:
    """The review loop's view of one submission for its result page and report: the tier
    override that applies to it (1 query)."""
    from assessments.results import tier_label
    from supervision.selectors import override_for

    override = override_for(submission.pk)
    return {"override": override, "override_label": tier_label(override.tier) if override else ""}


def review_comments_by_question(assessment: Assessment) -> dict[str, list]:
    """While changes are requested or being made: the regulator's comments on the latest
    submission, by question code (1 query; none in any other state)."""
    from supervision.models import ReviewComment

    if assessment.status not in (workflow.CHANGES_REQUESTED, workflow.REOPENED):
        return {}
    latest = assessment.submissions.order_by("-number").values("pk")[:1]
    comments = (
        ReviewComment.objects.filter(assessment=assessment, submission__in=latest)
        .exclude(question_code="")
        .select_related("author", "reply__author")
        .order_by("created_at", "pk")
    )
    grouped: dict[str, list] = {}
    for comment in comments:
        grouped.setdefault(comment.question_code, []).append(comment)
    return grouped


# --------------------------------------------------------------------------- upgrading a draft


def upgrade_target(assessment: Assessment):
    """The published version of the same questionnaire that upgrades this assessment's version
    (None when there is none, or the assessment is not a draft) — 1 query."""
    from assessments.models import QuestionnaireVersion

    if assessment.status != Assessment.Status.DRAFT:
        return None
    return (
        QuestionnaireVersion.objects.filter(
            questionnaire_id=assessment.version.questionnaire_id,
            status=QuestionnaireVersion.Status.PUBLISHED,
            upgrade_from=assessment.version.number,
        )
        .order_by("-number")
        .first()
    )


def upgrade_links(version) -> list:
    """Every question of `version` with the question of the older version it comes from."""
    from assessments.upgrade import Link

    rows = Question.objects.filter(version=version).order_by("section__order", "order")
    links = []
    for code, upgrade in rows.values_list("code", "upgrade"):
        upgrade = upgrade or {}
        links.append(
            Link(code, upgrade.get("from"), bool(upgrade.get("carry")), upgrade.get("reason") or {})
        )
    return links


def draft_answers_by_code(assessment: Assessment) -> dict[str, dict]:
    """The draft's answers by question code, as plain data (1 query)."""
    rows = assessment.answers.values("question__code", "level", "value", "na_reason", "comment")
    return {row.pop("question__code"): row for row in rows}


def upgrade_preview(assessment: Assessment, target):
    """What moving the draft to `target` would do (see assessments/upgrade.py)."""
    from assessments.upgrade import upgrade_plan

    removed = {entry["code"]: entry["reason"] for entry in target.removed or []}
    return upgrade_plan(draft_answers_by_code(assessment), upgrade_links(target), removed)


@dataclass(frozen=True)
class RenewalNote:
    """Beside a question of the new draft that needs a new answer: why, and the old answer."""

    source: str
    reason: str
    old_text: str
    old_answer: str


def localised_pair(pair: dict) -> str:
    from django.utils.translation import get_language

    pair = pair or {}
    english = (get_language() or "").startswith("en")
    return (pair.get("en") if english else pair.get("zh")) or pair.get("zh") or pair.get("en", "")


def old_answer_in_words(question: Question | None, answer: dict) -> str:
    """A carried-over answer as the member gave it: level, yes/no, choices, N/A with reason."""
    from django.utils.translation import gettext

    from assessments.results import LEVEL_LABELS, label

    if str(answer.get("na_reason") or "").strip():
        return gettext("Not applicable: %(reason)s") % {"reason": answer["na_reason"]}
    if answer.get("level") is not None:
        return label(LEVEL_LABELS, answer["level"])
    if question is None:
        return str(answer.get("value"))
    words = answer_in_words(question, answer.get("value"))
    unit = question.unit if question.answer_type == Question.AnswerType.NUMBER else ""
    return f"{words} {unit}".strip()


def renewal_notes(assessment: Assessment) -> dict[str, RenewalNote]:
    """For a draft moved from an older version: by question code, the questions that need a
    new answer with the reason and the old answer in words (2 queries; none otherwise)."""
    renew = (assessment.upgrade_record or {}).get("renew") or {}
    if not renew or assessment.upgraded_from_id is None:
        return {}
    old_version = Assessment.objects.filter(pk=assessment.upgraded_from_id).values("version_id")
    sources = {entry["from"] for entry in renew.values()}
    old = {
        q.code: q
        for q in Question.objects.filter(version_id__in=old_version, code__in=sources)
        .select_related("section")
        .prefetch_related("choices")
    }
    return {
        code: RenewalNote(
            source=entry["from"],
            reason=localised_pair(entry.get("reason")),
            old_text=old[entry["from"]].text if entry["from"] in old else "",
            old_answer=old_answer_in_words(old.get(entry["from"]), entry.get("answer") or {}),
        )
        for code, entry in renew.items()
    }


@dataclass(frozen=True)
class PreviewRows:
    """The move's preview in the user's language: counts and the rows to list."""

    carried: int
    renew: list[tuple[str, str, str]]  # (new code, old code, reason)
    dropped: list[tuple[str, str]]  # (old code, reason)
    new: int


def preview_rows(plan) -> PreviewRows | None:
    if plan is None:
        return None
    return PreviewRows(
        carried=len(plan.carried),
        renew=[(r.code, r.source, localised_pair(r.reason)) for r in plan.renew],
        dropped=[(d.source, localised_pair(d.reason)) for d in plan.dropped],
        new=len(plan.new),
    )


def upgrade_summary(assessment: Assessment) -> dict | None:
    """On a draft moved from an older version: where from, and what the move left to do."""
    record = assessment.upgrade_record or {}
    if assessment.upgraded_from_id is None or not record:
        return None
    return {
        "predecessor_id": assessment.upgraded_from_id,
        "from_version": record.get("from_version"),
        "carried": len(record.get("carried") or {}),
        "renew": sorted(record.get("renew") or {}),
        "dropped": [
            (entry["code"], localised_pair(entry.get("reason")))
            for entry in record.get("dropped") or []
        ],
    }


def question_header_rows(section: Section, on) -> list[Question]:
    """The questions of ``section`` as their headers show them: each citation carries
    ``current`` (the article number(s) in the edition in force on ``on``, resolved through
    the lineage from the edition it was written against) and ``renumbered``. 3 queries, plus
    one per cited regulation with several editions (regulations.selectors.current_numbers)."""
    from regulations.selectors import current_numbers

    questions = list(
        section.questions.prefetch_related(
            Prefetch("citations", queryset=Citation.objects.order_by("order"))
        )
    )
    citations = [c for q in questions for c in q.citations.all()]
    keys = {(c.regulation_code, c.article_number, c.edition_effective) for c in citations}
    numbers = current_numbers(keys, on)
    for c in citations:
        c.current = numbers[(c.regulation_code, c.article_number, c.edition_effective)]
        c.renumbered = c.current != (c.article_number,)
    return questions
