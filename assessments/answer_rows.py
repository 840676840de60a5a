"""The autosave's statements in plain SQL (assessments.services.answer_save uses them).

An autosave is the portal's most frequent write. Composing its lock, read and update with the
ORM cost several times more CPU than PostgreSQL spent running them, so they are written here
once, from the models' own metadata: the same columns, the same conversions (portal.rows) and
the same signals as `Model.save()` sends, so everything that follows an answer's saves (the
page cache's stamps) sees these too.
"""

import json
from collections.abc import Collection

from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from assessments.models import Answer, Assessment, Evidence, is_answered
from portal import rows

# What an autosave changes (updated_at is set here, as auto_now would).
WRITTEN = ("level", "value", "na_reason", "comment", "revision", "updated_by", "updated_at")


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def lock_assessment(assessment: Assessment) -> None:
    """Lock the assessment's row for the rest of the transaction and refresh its status from it
    (what decides whether it can still be changed). Its version never changes: an upgrade
    makes a new assessment."""
    sql = (
        f"SELECT {rows.column(Assessment, 'status')} "
        f"FROM {rows.table(Assessment)} WHERE id = %s{_for_update()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [assessment.pk])
        row = cursor.fetchone()
    if row is None:
        raise Assessment.DoesNotExist(f"assessment {assessment.pk} is gone")
    assessment.status = row[0]


def lock_answer(assessment_id: int, question_id: int) -> Answer | None:
    """The answer to `question_id` in the assessment, its row locked; None if there is none.
    It notes whether the answer has evidence files (`has_evidence`, for load_evidence)."""
    sql = (
        f"SELECT {rows.columns(Answer, 'a')}, EXISTS (SELECT 1 FROM {rows.table(Evidence)} e "
        f"WHERE e.{rows.column(Evidence, 'answer')} = a.id) "
        f"FROM {rows.table(Answer)} a "
        f"WHERE a.{rows.column(Answer, 'assessment')} = %s "
        f"AND a.{rows.column(Answer, 'question')} = %s{_for_update()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [assessment_id, question_id])
        row = cursor.fetchone()
    if row is None:
        return None
    answer, end = rows.take(Answer, row)
    answer.has_evidence = bool(row[end])
    return answer


def _prepare(answer: Answer) -> tuple[str, list]:
    """Stamp `answer` as `auto_now` would, send `pre_save`, and give the SET list of WRITTEN
    with its values."""
    answer.updated_at = timezone.now()
    pre_save.send(
        sender=Answer, instance=answer, raw=False, using=connection.alias, update_fields=None
    )
    fields = [Answer._meta.get_field(name) for name in WRITTEN]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    return assignments, [f.get_db_prep_save(getattr(answer, f.attname), connection) for f in fields]


def _saved(answer: Answer) -> None:
    """The `post_save` that `answer.save()` would send after an update."""
    post_save.send(
        sender=Answer,
        instance=answer,
        created=False,
        raw=False,
        using=connection.alias,
        update_fields=None,
    )


def write(answer: Answer) -> None:
    """Store the fields an autosave changes, with the signals `answer.save()` would send."""
    assignments, values = _prepare(answer)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {rows.table(Answer)} SET {assignments} WHERE id = %s", [*values, answer.pk]
        )
    answer._state.adding = False
    _saved(answer)


def _answered_rows_sql(marks: str) -> str:
    """A scalar subquery over the answers of one assessment to some questions (`marks`: their
    placeholders; the assessment's first): each one's id and what models.is_answered reads, as
    one JSON text (NULL when there are none)."""
    column = rows.column
    value = f"o.{column(Answer, 'value')}"
    if connection.vendor == "postgresql":
        build, collect, as_text = "json_build_array", "json_agg", "::text"
    else:  # SQLite keeps JSON as text: json() puts it in the array as JSON, not as a string
        build, collect, as_text, value = "json_array", "json_group_array", "", f"json({value})"
    fields = (
        f"o.{column(Answer, 'question')}, o.{column(Answer, 'level')}, {value}, "
        f"o.{column(Answer, 'na_reason')}"
    )
    return (
        f"(SELECT {collect}({build}({fields})){as_text} FROM {rows.table(Answer)} o "
        f"WHERE o.{column(Answer, 'assessment')} = %s "
        f"AND o.{column(Answer, 'question')} IN ({marks}))"
    )


def _answered_from(text: str | None) -> set[int]:
    return {
        question_id
        for question_id, level, value, na_reason in json.loads(text or "[]")
        if is_answered(level, value, na_reason)
    }


def save_if_current(
    answer: Answer, base_revision: int, *, read_answered: Collection[int] = ()
) -> Answer | None:
    """Store `answer`'s WRITTEN fields in one statement, over the row of its assessment and
    question, if that row is still at `base_revision` and the assessment can still be changed:
    the stored answer (with `has_evidence`), or None when nothing was written (no row yet, a
    newer revision, or an assessment no longer editable; the caller's locked path tells which).

    The assessment's row is share-locked while the statement runs: saves of different
    questions go side by side, and a submission, which locks that row for update, waits for
    them, or makes them find a status that refuses them. A save of the same answer waits for
    the other's row, then finds its revision gone. Run on its own (autocommit), it is its own
    transaction: no BEGIN, no COMMIT. It sends the signals `answer.save()` would (`pre_save`
    before the statement: when the statement writes nothing, the locked path sends it again
    before its own write).

    `read_answered`: question ids of the same assessment whose answered state the caller will
    show (the section counter). The statement reads the other answers among them as well, as
    of the moment it runs, and the stored answer carries `answered_among`: for each of these
    ids, whether it is answered (`answered` would say the same, without another query)."""
    assignments, values = _prepare(answer)
    others = [pk for pk in read_answered if pk != answer.question_id]
    editable = ", ".join(["%s"] * len(Assessment.EDITABLE))
    share = " FOR SHARE" if connection.features.has_select_for_update else ""
    answers = rows.table(Answer)  # SQLite's RETURNING knows the table by its name, no alias
    sql = (
        f"UPDATE {answers} SET {assignments} "
        f"WHERE {rows.column(Answer, 'assessment')} = %s "
        f"AND {rows.column(Answer, 'question')} = %s "
        f"AND {rows.column(Answer, 'revision')} = %s "
        f"AND EXISTS (SELECT 1 FROM {rows.table(Assessment)} s WHERE s.id = %s "
        f"AND s.{rows.column(Assessment, 'status')} IN ({editable}){share}) "
        f"RETURNING {rows.columns(Answer, answers)}, EXISTS (SELECT 1 FROM "
        f"{rows.table(Evidence)} e WHERE e.{rows.column(Evidence, 'answer')} = {answers}.id)"
    )
    params = [
        *values,
        answer.assessment_id,
        answer.question_id,
        base_revision,
        answer.assessment_id,
        *Assessment.EDITABLE,
    ]
    if others:
        sql += ", " + _answered_rows_sql(", ".join(["%s"] * len(others)))
        params += [answer.assessment_id, *others]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    stored, end = rows.take(Answer, row)
    stored.has_evidence = bool(row[end])
    if read_answered:
        answered = _answered_from(row[end + 1]) if others else set()
        if stored.is_answered:
            answered.add(stored.question_id)
        stored.answered_among = {pk: pk in answered for pk in read_answered}
    for name in ("assessment", "question", "updated_by"):  # what the caller had loaded
        field = Answer._meta.get_field(name)
        if field.is_cached(answer):
            rows.attach(stored, name, field.get_cached_value(answer))
    _saved(stored)
    return stored


# The columns models.is_answered reads, and the answer's question: the rest are not selected.
NOT_FOR_ANSWERED = frozenset(
    f.name
    for f in Answer._meta.concrete_fields
    if f.name not in {"question", "level", "value", "na_reason"}
)


def answered(assessment_id: int, question_ids: list[int]) -> set[int]:
    """Which of `question_ids` the assessment has answered (Answer.is_answered)."""
    if not question_ids:
        return set()
    marks = ", ".join(["%s"] * len(question_ids))
    sql = (
        f"SELECT {rows.columns(Answer, 'a', NOT_FOR_ANSWERED)} FROM {rows.table(Answer)} a "
        f"WHERE a.{rows.column(Answer, 'assessment')} = %s "
        f"AND a.{rows.column(Answer, 'question')} IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [assessment_id, *question_ids])
        found = cursor.fetchall()
    names = rows.fields(Answer, NOT_FOR_ANSWERED)
    out = set()
    for row in found:
        got = dict(zip(names, rows.values(Answer, row, 0, NOT_FOR_ANSWERED), strict=True))
        if is_answered(got["level"], got["value"], got["na_reason"]):
            out.add(got["question_id"])
    return out


def load_evidence(answer: Answer) -> None:
    """Read the answer's evidence files once, in upload order, for everything that shows them
    (`answer.evidence.all()` then costs no query), as prefetch_related would."""
    if getattr(answer, "has_evidence", True) is False:  # lock_answer saw none: no query
        _keep_evidence(answer, [])
        return
    sql = (
        f"SELECT {rows.columns(Evidence, 'e')} FROM {rows.table(Evidence)} e "
        f"WHERE e.{rows.column(Evidence, 'answer')} = %s "
        f"ORDER BY e.{rows.column(Evidence, 'uploaded_at')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [answer.pk])
        files = [rows.take(Evidence, row)[0] for row in cursor.fetchall()]
    for evidence in files:
        rows.attach(evidence, "answer", answer)
    _keep_evidence(answer, files)


def _keep_evidence(answer: Answer, files: list) -> None:
    queryset = answer.evidence.all()
    queryset._result_cache, queryset._prefetch_done = files, True
    answer._prefetched_objects_cache = {"evidence": queryset}
