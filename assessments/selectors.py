"""Reads over assessments, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from assessments.models import Answer, Assessment, Citation, Question, Section
from assessments.rules import SCOPING
from assessments.scoping import applies, outcome_for


def scoping_answers(assessment: Assessment) -> dict[str, object]:
    rows = assessment.answers.filter(question__section__module=SCOPING).values_list(
        "question__code", "value"
    )
    return {code: value for code, value in rows if value not in (None, "", [])}


def questions_of_version(assessment: Assessment) -> list[Question]:
    return list(Question.objects.filter(version_id=assessment.version_id).select_related("section"))


def applicable_questions(
    assessment: Assessment, questions: list[Question] | None = None
) -> list[Question]:
    outcome = outcome_for(assessment)
    questions = questions_of_version(assessment) if questions is None else questions
    return [q for q in questions if applies(q, outcome)]


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
    rows = []
    for section in assessment.version.sections.all():
        if section.module not in active:
            continue
        mine = [q for q in questions if q.section_id == section.pk]
        done = sum(1 for q in mine if q.pk in answers and answers[q.pk].is_answered)
        rows.append(SectionProgress(section, done, len(mine), assignees.get(section.pk)))
    return rows


def section_progress(assessment: Assessment, section: Section) -> tuple[int, int]:
    """(answered, applicable) in one section, for the live counter after a save."""
    questions = applicable_questions(assessment, list(section.questions.select_related("section")))
    answered = {
        a.question_id for a in assessment.answers.filter(question__section=section) if a.is_answered
    }
    return sum(1 for q in questions if q.pk in answered), len(questions)


def section_questions(assessment: Assessment, section: Section) -> list[Question]:
    """The applicable questions of a section, with choices and citations, in 3 queries."""
    questions = list(
        section.questions.select_related("section").prefetch_related(
            "choices", Prefetch("citations", queryset=Citation.objects.order_by("order"))
        )
    )
    return applicable_questions(assessment, questions)


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
