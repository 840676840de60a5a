"""Helpers for the scoring, result and report tests: questionnaires and frozen submissions.

`make_submission` writes a submission the way `submission_freeze` does (every applicable
question frozen) without walking the answer services, so tests and benchmarks can create many.
"""

import datetime as dt
import functools
from pathlib import Path

from django.utils import timezone

from assessments import rules
from assessments.loading import questionnaire_load
from assessments.models import Assessment, Question, QuestionnaireVersion, Submission
from assessments.scoping import applies, outcome_to_json
from assessments.scoring_inputs import forget_cached_questions
from tests.assessments.factories import load_small_questionnaire
from tests.factories import UserFactory

BUNDLED = Path(__file__).resolve().parents[2] / "assessments" / "content" / "questionnaire-v1.yaml"
EVIDENCE = ["0" * 64]
BUNDLED_REGULATIONS = ("CSL", "DSL", "PIPL", "ALGO", "DEEPSYNTH", "GENAI", "LABEL")

# Scoping answers of the bundled questionnaire: a domestic platform graded MLPS 3 with important
# data, sensitive and children's data, exports, recommendation, public-opinion features, deep
# synthesis and a fine-tuned generative model (G3, every module active, 90+ questions).
BUNDLED_SCOPING = {
    "S01": "domestic",
    "S02": "not_designated",
    "S03": "level3",
    "S04": "important",
    "S05": 12_000_000,
    "S06": ["biometric", "minors_under_14"],
    "S16": 600_000,
    "S07": ["none"],
    "S08": ["personalised_recommendation", "differentiated_pricing"],
    "S09": 200_000,
    "S17": 5_000,
    "S18": True,
    "S19": ["none"],
    "S10": ["generation", "personalised_push", "ranking", "search_filter", "dispatch"],
    "S11": ["comments", "live_streaming"],
    "S12": ["service_provider", "technical_supporter"],
    "S21": ["biometric_editing", "special_scene_editing"],
    "S13": "fine_tuned",
    "S14": ["generation_provider", "dissemination_platform", "app_distribution"],
    "S15": False,
    "S22": [
        "sells_to_consumers",
        "entrusts_processing",
        "shares_or_publishes_pi",
        "foreign_affiliates",
        "serves_minors",
    ],
}
SMALL_SCOPING = {"S01": "domestic", "S02": 2_000_000}


def small_questionnaire() -> QuestionnaireVersion:
    forget_cached_questions()  # primary keys may be reused between tests
    return load_small_questionnaire()


def ensure_regulations() -> None:
    """The regulations the bundled questionnaire cites (its loader checks they exist)."""
    from regulations.models import Regulation

    for code in BUNDLED_REGULATIONS:
        Regulation.objects.get_or_create(code=code, defaults={"title_zh": code, "title_en": code})


@functools.cache
def _bundled_spec_text() -> str:
    return BUNDLED.read_text(encoding="utf-8")


def bundled_questionnaire() -> QuestionnaireVersion:
    import yaml

    ensure_regulations()
    forget_cached_questions()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return questionnaire_load(yaml.load(_bundled_spec_text(), Loader=loader)).version


def answer_at(question: Question, level: int, on: dt.date) -> dict:
    """A frozen answer that the method scores at `level` (before any evidence cap)."""
    kind = question.answer_type
    if kind == "level":
        return {"level": level}
    if kind == "yesno":
        return {"value": level >= 2}
    if kind in ("number", "date"):
        rung = _rung(question.thresholds, level)
        if kind == "number":
            return {"value": rung.get("min") or 0}
        age = rung.get("max_age_days")
        return {"value": (on - dt.timedelta(days=age if age is not None else 5000)).isoformat()}
    choices = [c for c in question.choices.all() if c.level is not None]
    chosen = min(choices, key=lambda c: (abs(c.level - level), -c.level))
    return {"value": chosen.value if kind == "choice" else [chosen.value]}


def _rung(thresholds: list[dict], level: int) -> dict:
    at_or_below = [t for t in thresholds if t["level"] <= level]
    return max(at_or_below, key=lambda t: t["level"]) if at_or_below else thresholds[-1]


def frozen(answer: dict, evidence: bool = True) -> dict:
    base = {"level": None, "value": None, "na_reason": "", "comment": "", "evidence": []}
    return {**base, **answer, "evidence": EVIDENCE if evidence else []}


def make_submission(
    organisation,
    version: QuestionnaireVersion,
    scoping: dict,
    *,
    level: int = 3,
    evidence: bool = True,
    answers: dict | None = None,
    assessment: Assessment | None = None,
    by=None,
    submitted_at=None,
) -> Submission:
    """Freeze a submission of every applicable question at `level`; `answers` overrides some
    codes with raw frozen answers, e.g. {"CSL-01": {"level": 0}} or {"PIPL-01": {"na_reason": …}}.
    """
    outcome = rules.derive_scoping(version.rules, scoping)
    questions = Question.objects.filter(version=version).select_related("section")
    questions = questions.prefetch_related("choices")
    applicable = [q for q in questions if applies(q, outcome)]
    submitted_at = submitted_at or timezone.now()
    on = timezone.localdate(submitted_at)
    overrides = answers or {}
    frozen_answers = {}
    for q in applicable:
        if q.is_scoping:
            frozen_answers[q.code] = frozen({"value": scoping.get(q.code)}, evidence=False)
        elif q.code in overrides:
            frozen_answers[q.code] = frozen(overrides[q.code], evidence=evidence)
        else:
            frozen_answers[q.code] = frozen(answer_at(q, level, on), evidence=evidence)
    by = by or UserFactory()
    scoping_json = outcome_to_json(outcome)
    if assessment is None:
        assessment = Assessment.objects.create(
            organisation=organisation,
            version=version,
            grade=outcome.grade,
            modules=list(outcome.modules),
            scoping=scoping_json,
            created_by=by,
        )
    number = assessment.submissions.count() + 1
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    return Submission.objects.create(
        assessment=assessment,
        number=number,
        version=version,
        grade=outcome.grade,
        scoping={**scoping_json, "grade": outcome.grade, "modules": list(outcome.modules)},
        answers=frozen_answers,
        editions=[],
        submitted_by=by,
        submitted_at=submitted_at,
    )
