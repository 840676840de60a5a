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


def version_key(version: QuestionnaireVersion) -> tuple:
    return (version.pk, version.source_sha256, version.created_at)


def version_questions(version: QuestionnaireVersion) -> tuple[Question, ...]:
    """Every question of `version` in questionnaire order, with its section, choices and
    citations loaded (3 queries the first time in a process, none after). Read-only."""
    return _cache.get_or_make(version_key(version), lambda: _load(version))


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
