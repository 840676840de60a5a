"""A demo assessment, answered and submitted through the real services (seed_demo uses it).

The answers are made up but plausible: most controls in place, a few partial, one red line
only partly met, so the result page, the regulator's queue and the review page have something
to show on a fresh `make run`.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from assessments import services
from assessments.forms import attestation_statement
from assessments.models import Assessment, Question, QuestionnaireVersion, Submission
from assessments.selectors import applicable_questions

# A mid-sized Beijing internet platform: MLPS level 3, important data, sensitive personal
# information, recommendation algorithms and a fine-tuned generative model.
DEMO_SCOPING = {
    "S01": "domestic",
    "S02": "not_designated",
    "S03": "level3",
    "S04": "important",
    "S05": 3_000_000,
    "S06": ["financial", "location"],
    "S16": 200_000,
    "S07": ["none"],
    "S08": ["personalised_recommendation"],
    "S09": 0,
    "S17": 0,
    "S18": False,
    "S19": ["none"],
    "S10": ["personalised_push", "ranking"],
    "S11": ["comments"],
    "S12": ["none"],
    "S13": "fine_tuned",
    "S14": ["generation_provider"],
    "S15": False,
    "S22": ["sells_to_consumers", "entrusts_processing"],
}
# Levels in turn over the scored questions: mostly in place, some gaps.
LEVEL_PATTERN = (3, 3, 2, 3, 1, 3, 2, 3)


def demo_submission(*, organisation, owner) -> Submission | None:
    """Start, answer and submit one assessment for `organisation`, unless it has one already
    or no questionnaire is published (then None). Scoring is enqueued after commit."""
    if Assessment.objects.filter(organisation=organisation).exists():
        return None
    if not QuestionnaireVersion.objects.filter(status="published").exists():
        return None
    with transaction.atomic():
        assessment = services.assessment_start(organisation=organisation, by=owner)
        for question, value in demo_scoping(assessment.version):
            save(assessment, question, services.AnswerInput(value=value), owner)
        assessment.refresh_from_db()
        scored = [q for q in applicable_questions(assessment) if not q.is_scoping]
        for n, question in enumerate(scored):
            data = demo_answer(question, LEVEL_PATTERN[n % len(LEVEL_PATTERN)])
            save(assessment, question, data, owner)
        with override("zh-hans"):
            statement = attestation_statement(organisation)
        attestation = services.Attestation(
            name=owner.get_full_name(), role="合规负责人", statement=statement
        )
        return services.assessment_submit(assessment=assessment, by=owner, attestation=attestation)


NEUTRAL_CHOICES = ("none", "no", "not_designated", "ungraded", "not_applicable")


def demo_scoping(version: QuestionnaireVersion) -> list[tuple[Question, object]]:
    """The demo's scoping answers on `version`. DEMO_SCOPING is written for version 1; a later
    version's question takes the answer of the version-1 question it comes from (its
    `upgrade.from`) when that answer still fits, otherwise a neutral one, so that every scoping
    question is answered whichever version is published."""
    questions = Question.objects.filter(version=version, section__module="SCOPING").order_by(
        "order"
    )
    if version.number == 1:
        by_code = {q.code: q for q in questions}
        return [(by_code[c], v) for c, v in DEMO_SCOPING.items() if c in by_code]
    rows = []
    for question in questions.prefetch_related("choices"):
        value = DEMO_SCOPING.get((question.upgrade or {}).get("from"))
        rows.append((question, value if fits(question, value) else neutral_answer(question)))
    return rows


def fits(question: Question, value) -> bool:
    kind, values = question.answer_type, {c.value for c in question.choices.all()}
    if value is None:
        return False
    if kind == Question.AnswerType.CHOICE:
        return value in values
    if kind == Question.AnswerType.MULTI:
        return isinstance(value, list) and bool(value) and set(value) <= values
    if kind == Question.AnswerType.YESNO:
        return isinstance(value, bool)
    if kind == Question.AnswerType.NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str)


def neutral_answer(question: Question):
    kind = question.answer_type
    if kind == Question.AnswerType.YESNO:
        return False
    if kind == Question.AnswerType.NUMBER:
        return int(question.range_min or 0)
    if kind == Question.AnswerType.DATE:
        return timezone.localdate().isoformat()
    values = [c.value for c in question.choices.all()]
    value = next((v for v in NEUTRAL_CHOICES if v in values), values[0] if values else None)
    return [value] if kind == Question.AnswerType.MULTI else value


def answer_value(assessment, code: str, value, by) -> None:
    question = Question.objects.filter(version=assessment.version, code=code).first()
    if question is not None:
        save(assessment, question, services.AnswerInput(value=value), by)


def save(assessment, question, data, by) -> None:
    current = assessment.answers.filter(question=question).first()
    services.answer_save(
        assessment=assessment,
        question=question,
        data=data,
        base_revision=current.revision if current else 0,
        by=by,
    )


def demo_answer(question: Question, level: int) -> services.AnswerInput:
    """An answer that the scoring method reads as about `level`."""
    kind = question.answer_type
    if kind == Question.AnswerType.LEVEL:
        return services.AnswerInput(level=level)
    if kind == Question.AnswerType.YESNO:
        return services.AnswerInput(value=level >= 2)
    if kind in (Question.AnswerType.NUMBER, Question.AnswerType.DATE):
        rung = threshold_for(question.thresholds, level)
        if kind == Question.AnswerType.NUMBER:
            return services.AnswerInput(value=rung.get("min", 0))
        age = rung.get("max_age_days", 3650)
        day = timezone.localdate() - dt.timedelta(days=max(age - 30, 0))
        return services.AnswerInput(value=day.isoformat())
    choices = [c for c in question.choices.all() if c.level is not None] or list(
        question.choices.all()
    )
    chosen = min(choices, key=lambda c: (abs((c.level or 0) - level), -(c.level or 0)))
    value = chosen.value if kind == Question.AnswerType.CHOICE else [chosen.value]
    return services.AnswerInput(value=value)


def threshold_for(thresholds: list[dict], level: int) -> dict:
    if not thresholds:
        return {}
    at_or_below = [t for t in thresholds if t["level"] <= level]
    return max(at_or_below, key=lambda t: t["level"]) if at_or_below else thresholds[-1]
