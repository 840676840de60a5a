"""Questionnaire content kept in each process: a version's questions never change.

A loaded version is immutable (the loader refuses to change a published or used version; a
changed draft is deleted and written again with new rows and a new load time), so its questions
with their sections, choices and citations are read from the database once per process and
shared, read-only, by every request that shows them all (the review page reads 150+ questions
with hundreds of choices and citations). The key carries the version's content hash and load
time as well as its id, so a replaced draft, or a row id reused by a test database, is a miss.
"""

from django.db.models import Prefetch

from assessments.models import Citation, Question, QuestionnaireVersion
from portal.memo import ProcessMemo

SIZE = 8  # versions kept per process; a deployment has two or three
_cache = ProcessMemo(SIZE)
_by_section = ProcessMemo(SIZE)


def version_key(version: QuestionnaireVersion) -> tuple:
    return (version.pk, version.source_sha256, version.created_at)


def version_questions(version: QuestionnaireVersion) -> tuple[Question, ...]:
    """Every question of `version` in questionnaire order, with its section, choices and
    citations loaded (3 queries the first time in a process, none after). Read-only."""
    return _cache.get_or_make(version_key(version), lambda: _load(version))


def section_questions(version: QuestionnaireVersion, section_id: int) -> tuple[Question, ...]:
    """The questions of one section of `version`, in order (from version_questions)."""
    by_section = _by_section.get_or_make(version_key(version), lambda: _index(version))
    return by_section.get(section_id, ())


def _index(version: QuestionnaireVersion) -> dict[int, tuple[Question, ...]]:
    index: dict[int, list[Question]] = {}
    for question in version_questions(version):
        index.setdefault(question.section_id, []).append(question)
    return {section_id: tuple(questions) for section_id, questions in index.items()}


def _load(version: QuestionnaireVersion) -> tuple[Question, ...]:
    return tuple(
        Question.objects.filter(version_id=version.pk)
        .select_related("section")
        .prefetch_related(
            "choices", Prefetch("citations", queryset=Citation.objects.order_by("order"))
        )
        .order_by("section__order", "order")
    )


def clear() -> None:
    _cache.clear()
    _by_section.clear()
