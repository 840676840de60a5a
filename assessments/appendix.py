"""The PDF report's appendix: every frozen answer in words, the evidence on record and the
attestation, read from the submission's snapshot (3 queries whatever its size)."""

from dataclasses import dataclass

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from assessments.models import Evidence, Question, Submission
from assessments.selectors import old_answer_in_words


@dataclass(frozen=True)
class AnswerRow:
    code: str
    text: str
    answer: str
    comment: str
    evidence: int


@dataclass(frozen=True)
class EvidenceRow:
    code: str
    name: str
    sha256: str
    uploaded_by: str
    uploaded_at: object  # a datetime, or None when the file was removed after submitting


def answer_rows(submission: Submission) -> list[AnswerRow]:
    """The frozen answers in the questionnaire's order, scoping first, each as words."""
    questions = (
        Question.objects.filter(version_id=submission.version_id, code__in=submission.answers)
        .select_related("section")
        .prefetch_related("choices")
    )
    rows = []
    for q in questions:
        frozen = submission.answers.get(q.code) or {}
        given = frozen.get("level") is not None or frozen.get("value") not in (None, "", [])
        answer = (
            old_answer_in_words(q, frozen)
            if given or str(frozen.get("na_reason") or "").strip()
            else gettext("Unanswered")
        )
        rows.append(
            AnswerRow(
                q.code,
                q.text,
                answer,
                frozen.get("comment") or "",
                len(frozen.get("evidence") or []),
            )
        )
    return rows


def evidence_rows(submission: Submission) -> list[EvidenceRow]:
    """Each evidence file the snapshot names, with who uploaded it and when (from the rows on
    record; a file removed after the submission keeps only its name-less hash)."""
    wanted = [
        (code, sha)
        for code, frozen in submission.answers.items()
        for sha in (frozen or {}).get("evidence") or []
    ]
    on_record = {}
    files = Evidence.objects.filter(
        answer__assessment_id=submission.assessment_id,
        sha256__in={sha for _, sha in wanted},
        uploaded_at__lte=submission.submitted_at,
    ).select_related("uploaded_by", "answer__question")
    for e in files:
        on_record.setdefault((e.answer.question.code, e.sha256), e)
    rows = []
    for code, sha in sorted(wanted):
        e = on_record.get((code, sha))
        rows.append(
            EvidenceRow(
                code,
                e.original_name if e else gettext("(removed after submitting)"),
                sha,
                str(e.uploaded_by or "—") if e else "—",
                e.uploaded_at if e else None,
            )
        )
    return rows


def attestation(submission: Submission) -> dict:
    """The attestation as stored with the snapshot, its time as a datetime."""
    data = dict(submission.attestation or {})
    data["at"] = parse_datetime(data.get("at") or "") or submission.submitted_at
    return data


def appendix_context(submission: Submission) -> dict:
    return {
        "appendix_answers": answer_rows(submission),
        "appendix_evidence": evidence_rows(submission),
        "appendix_attestation": attestation(submission),
    }
