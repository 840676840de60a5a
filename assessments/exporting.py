"""A questionnaire version as plain data, in the shape of the data file."""

from django.db.models import Prefetch

from assessments.models import Question, QuestionnaireVersion


def bilingual(obj, field: str) -> dict:
    return {"zh": getattr(obj, f"{field}_zh"), "en": getattr(obj, f"{field}_en")}


def question_export(q: Question) -> dict:
    data = {
        "code": q.code,
        "type": q.answer_type,
        "text": bilingual(q, "text"),
        "help": bilingual(q, "help") if q.help_zh or q.help_en else None,
        "choices": [
            {"value": c.value, "label": bilingual(c, "label"), "level": c.level}
            for c in q.choices.all()
        ],
    }
    if q.applies_when is not None:  # no rule: the question always applies
        data["applies_when"] = q.applies_when
    if q.answer_type == Question.AnswerType.NUMBER and q.range_min is not None:
        data["range"] = {"min": plain_number(q.range_min), "max": plain_number(q.range_max)}
    if q.is_scoping and (q.unit_zh or q.unit_en):
        data["unit"] = bilingual(q, "unit")
    data |= {field: value for field, value in v2_fields(q).items() if value}
    if not q.is_scoping:
        data |= {
            "weight": q.weight,
            "red_line": q.red_line,
            "na_allowed": q.na_allowed,
            "evidence_from": q.evidence_from or None,
            "also_modules": q.also_modules,
            "thresholds": q.thresholds,
            "unit": bilingual(q, "unit"),
            "citations": [
                {"regulation": c.regulation_code, "article": c.article_number, "phrase": c.phrase}
                for c in q.citations.all()
            ],
            "penalty": q.penalty,
            "remediation": bilingual(q, "remediation"),
        }
    return data


def plain_number(value: float) -> int | float:
    """A stored bound as the file wrote it: 100, not 100.0."""
    return int(value) if float(value).is_integer() else value


def v2_fields(q: Question) -> dict:
    """The fields version 2 added to a question (empty ones are left out of the export)."""
    basis = q.red_line_basis
    if basis:
        basis = {key: basis[key] for key in ("kind", "regulation", "article", "phrase")}
    return {
        "red_line_basis": basis,
        "standards": q.standards,
        "references": q.references,
        "upgrade": q.upgrade,
    }


def version_fields(version: QuestionnaireVersion) -> dict:
    data = {
        "in_force_on": version.in_force_on.isoformat() if version.in_force_on else None,
        "red_line_policy": version.red_line_policy,
        "upgrade_from": version.upgrade_from,
        "removed": version.removed,
    }
    return {key: value for key, value in data.items() if value}


def questionnaire_export(version: QuestionnaireVersion) -> dict:
    questions = Question.objects.prefetch_related("choices", "citations").order_by("order")
    sections = version.sections.prefetch_related(Prefetch("questions", queryset=questions))
    questionnaire = version.questionnaire
    return {
        "code": questionnaire.code,
        "version": version.number,
        "status": version.status,
        "title": bilingual(questionnaire, "title"),
        "description": bilingual(questionnaire, "description"),
        **version_fields(version),
        **version.rules,
        "sections": [
            {
                "module": s.module,
                "title": bilingual(s, "title"),
                "intro": bilingual(s, "intro"),
                "questions": [question_export(q) for q in s.questions.all()],
            }
            for s in sections
        ],
    }
