"""What changed between two frozen snapshots of an assessment, question by question.

Pure: no Django. A frozen answer is a dict {level, value, na_reason, comment, evidence: [sha256]}
(assessments.services.frozen_answer); a snapshot maps question codes to frozen answers. The
regulator reads only the questions listed here: an unchanged question is not in the result.
"""

from dataclasses import dataclass

CHANGED = "changed"
ADDED = "added"  # in scope now, not in the previous snapshot
REMOVED = "removed"  # in the previous snapshot, out of scope now

ANSWER = "answer"
NA_REASON = "na_reason"
COMMENT = "comment"


@dataclass(frozen=True)
class FieldChange:
    """One field of a frozen answer before and after. For ANSWER, before/after are
    {"level": …, "value": …}; for the texts they are strings."""

    field: str
    before: object
    after: object


@dataclass(frozen=True)
class QuestionChange:
    code: str
    kind: str  # CHANGED, ADDED or REMOVED
    fields: tuple[FieldChange, ...] = ()
    evidence_added: tuple[str, ...] = ()
    evidence_removed: tuple[str, ...] = ()

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)


def answer_part(frozen: dict) -> dict:
    return {"level": frozen.get("level"), "value": frozen.get("value")}


def text(frozen: dict, key: str) -> str:
    return (frozen.get(key) or "").strip()


def field_changes(before: dict, after: dict) -> tuple[FieldChange, ...]:
    changes = []
    if answer_part(before) != answer_part(after):
        changes.append(FieldChange(ANSWER, answer_part(before), answer_part(after)))
    for key in (NA_REASON, COMMENT):
        if text(before, key) != text(after, key):
            changes.append(FieldChange(key, text(before, key), text(after, key)))
    return tuple(changes)


def evidence_changes(before: dict, after: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(added, removed) sha256 digests, each in the order of its snapshot."""
    old, new = before.get("evidence") or [], after.get("evidence") or []
    added = tuple(dict.fromkeys(sha for sha in new if sha not in old))
    removed = tuple(dict.fromkeys(sha for sha in old if sha not in new))
    return added, removed


def question_change(code: str, before: dict | None, after: dict | None) -> QuestionChange | None:
    """The change of one question, or None when it is the same in both snapshots."""
    kind = ADDED if before is None else REMOVED if after is None else CHANGED
    before, after = before or {}, after or {}
    fields = field_changes(before, after)
    added, removed = evidence_changes(before, after)
    if kind == CHANGED and not (fields or added or removed):
        return None
    return QuestionChange(code, kind, fields, added, removed)


def snapshot_diff(
    before: dict[str, dict], after: dict[str, dict], order: list[str] | None = None
) -> list[QuestionChange]:
    """Every question that differs between snapshot `before` (n−1) and `after` (n).

    `order` lists question codes in the order to report them (the questionnaire's); codes it
    does not name follow, sorted. Unchanged questions are left out.
    """
    codes = list(dict.fromkeys([*(order or []), *sorted(set(before) | set(after))]))
    changes = []
    for code in codes:
        if code not in before and code not in after:
            continue
        change = question_change(code, before.get(code), after.get(code))
        if change is not None:
            changes.append(change)
    return changes
