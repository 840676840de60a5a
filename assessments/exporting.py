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
        "help": bilingual(q, "help"),
        "choices": [
            {"value": c.value, "label": bilingual(c, "label"), "level": c.level}
            for c in q.choices.all()
        ],
        "applies_when": q.applies_when,
    }
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
