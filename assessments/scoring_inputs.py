"""Bridge from stored questionnaires and frozen submissions to the pure scoring dataclasses.

Used by the worker (a submission's frozen answers) and by `score_answers` (a JSON document),
so both convert questions and answers the same way.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from assessments import scoring
from assessments.models import Choice, Citation, Question, Submission


@dataclass(frozen=True)
class ScoringInputs:
    questions: tuple[scoring.Question, ...]
    answers: Mapping[str, scoring.Answer]
    scope: scoring.Scope
    ruleset: scoring.Ruleset

    def score(self) -> scoring.Result:
        return scoring.score(self.questions, self.answers, self.scope, self.ruleset)


def scored_questions(version_id: int, codes: Iterable[str] | None = None):
    """The scored (weighted) questions of a version with choices and citations: 3 queries."""
    rows = Question.objects.filter(version_id=version_id, weight__isnull=False)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    return rows.select_related("section").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("order")),
        Prefetch("citations", queryset=Citation.objects.order_by("order")),
    )


def _number(value):
    """Thresholds are stored as JSON numbers; compare them exactly."""
    return None if value is None else Decimal(str(value))


def question_for_scoring(row: Question) -> scoring.Question:
    penalty = row.penalty or {}
    return scoring.Question(
        code=row.code,
        module=row.section.module,
        answer_type=row.answer_type,
        weight=row.weight,
        red_line=row.red_line,
        na_allowed=row.na_allowed,
        also_modules=tuple(row.also_modules or ()),
        thresholds=tuple(
            scoring.Threshold(
                level=t["level"], min=_number(t.get("min")), max_age_days=t.get("max_age_days")
            )
            for t in row.thresholds or ()
        ),
        choice_levels=tuple((c.value, c.level) for c in row.choices.all() if c.level is not None),
        citations=tuple(
            scoring.Citation(c.regulation_code, c.article_number, c.phrase)
            for c in row.citations.all()
        ),
        text_zh=row.text_zh,
        text_en=row.text_en,
        remediation_zh=row.remediation_zh,
        remediation_en=row.remediation_en,
        penalty_zh=_penalty_text(penalty, "zh"),
        penalty_en=_penalty_text(penalty, "en"),
    )


def _penalty_text(penalty: Mapping, language: str) -> str:
    text = penalty.get(language) or ""
    if not text or not penalty.get("regulation"):
        return text
    article = penalty.get("article")
    if language == "zh":
        return f"{penalty['regulation']} 第{article}条：{text}" if article else text
    return f"{penalty['regulation']} art. {article}: {text}" if article else text


def answer_from_frozen(frozen: Mapping) -> scoring.Answer:
    """A frozen answer {"level", "value", "na_reason", "comment", "evidence": [sha256…]}."""
    return scoring.Answer(
        level=frozen.get("level"),
        value=frozen.get("value"),
        na_reason=frozen.get("na_reason") or "",
        evidence=bool(frozen.get("evidence")),
    )


def scope_for(*, grade: str, as_of: dt.date, scoping: Mapping) -> scoring.Scope:
    return scoring.Scope(
        grade=grade,
        as_of=as_of,
        raised_impact_modules=frozenset(scoping.get("raised_impact_modules") or ()),
        incident_modules=frozenset(scoping.get("incident_modules") or ()),
    )


def submission_as_of(submission: Submission) -> dt.date:
    """Dates are judged on the day of submission, in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate(submission.submitted_at)


def inputs_for_submission(
    submission: Submission, rows: Iterable[Question], ruleset: scoring.Ruleset | None = None
) -> ScoringInputs:
    frozen = submission.answers or {}
    questions = tuple(question_for_scoring(row) for row in rows if row.code in frozen)
    return ScoringInputs(
        questions=questions,
        answers={q.code: answer_from_frozen(frozen[q.code]) for q in questions},
        scope=scope_for(
            grade=(submission.scoping or {}).get("grade") or submission.grade,
            as_of=submission_as_of(submission),
            scoping=submission.scoping or {},
        ),
        ruleset=ruleset or scoring.DEFAULT_RULESET,
    )


def load_submission_inputs(
    submission_id: int, ruleset: scoring.Ruleset | None = None
) -> tuple[Submission, ScoringInputs]:
    """A submission and its scoring inputs in 4 queries, whatever the number of questions.

    The applicable questions are the codes frozen in `Submission.answers` at submit time;
    scoping questions carry no weight and are not scored.
    """
    submission = Submission.objects.get(pk=submission_id)
    rows = scored_questions(submission.version_id, (submission.answers or {}).keys())
    return submission, inputs_for_submission(submission, rows, ruleset)
