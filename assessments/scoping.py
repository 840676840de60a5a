"""Bridges between stored assessments and the pure rule functions."""

from types import MappingProxyType

from assessments import rules
from assessments.models import Assessment, Question


def outcome_to_json(outcome: rules.ScopingOutcome) -> dict:
    return {
        "grade_reasons": [vars(r) for r in outcome.grade_reasons],
        "module_reasons": {m: [vars(r) for r in rs] for m, rs in outcome.module_reasons.items()},
        "facts": dict(outcome.facts),
        "raised_impact_modules": sorted(outcome.raised_impact_modules),
        "incident_modules": sorted(outcome.incident_modules),
    }


def outcome_for(assessment: Assessment) -> rules.ScopingOutcome:
    """The scoping outcome stored on the assessment (computed when scoping answers change).
    Kept on the instance while its grade, modules and scoping are the ones it was made from
    (a request asks for it several times; a scoping save replaces them)."""
    made = assessment.__dict__.get("_outcome")
    if (
        made is not None
        and made[0] is assessment.scoping
        and made[1] == (assessment.grade, list(assessment.modules or ()))
    ):
        return made[2]
    outcome = _outcome(assessment)
    # The scoping object itself is held: compared by identity, it cannot be a newer one.
    assessment._outcome = (
        assessment.scoping,
        (assessment.grade, list(assessment.modules or ())),
        outcome,
    )
    return outcome


def _outcome(assessment: Assessment) -> rules.ScopingOutcome:
    data = assessment.scoping or {}
    return rules.ScopingOutcome(
        grade=assessment.grade or "G1",
        grade_reasons=tuple(rules.Reason(**r) for r in data.get("grade_reasons", [])),
        modules=tuple(assessment.modules or ()),
        module_reasons=MappingProxyType(
            {
                m: tuple(rules.Reason(**r) for r in rs)
                for m, rs in data.get("module_reasons", {}).items()
            }
        ),
        facts=MappingProxyType(data.get("facts", {})),
        raised_impact_modules=frozenset(data.get("raised_impact_modules", [])),
        incident_modules=frozenset(data.get("incident_modules", [])),
    )


def applies(question: Question, outcome: rules.ScopingOutcome) -> bool:
    """Whether the question is asked: its module is active (scoping always is) and its own
    applies_when rule holds over the scoping facts."""
    return rules.question_applies(question.spec, outcome)


def applying(questions: list[Question], outcome: rules.ScopingOutcome) -> list[Question]:
    """The questions that are asked (`applies` for each, the facts gathered once)."""
    held = rules.questions_apply([q.spec for q in questions], outcome)
    return [q for q, asked in zip(questions, held, strict=True) if asked]
