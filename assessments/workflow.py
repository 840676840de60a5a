"""The review loop of an assessment as a state machine: every transition, in one table.

    draft ──submit──▶ submitted ─(worker)─▶ scoring ─▶ scored
                          │                                │
                          └──────────── claim / first comment ──▶ under review
    under review ──request changes (note required)──▶ changes requested
    changes requested ──reopen (owner)──▶ reopened ──resubmit (owner)──▶ resubmitted
    resubmitted ──claim / first comment──▶ under review ──accept──▶ accepted
    submitted, scored, resubmitted, under review ──close without action──▶ closed
    draft ──move to a newer questionnaire version (owner)──▶ superseded (read-only, kept)

A regulator may decide straight from a waiting state (the decision claims it on the way).
Deciding a draft, accepting twice, resubmitting without a request are all refused here.

Pure: no Django, no clock. Services lock the assessment row, ask `transition()` for the next
state and write it; the error codes are turned into messages in the user's language there.
"""

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
SCORING = "scoring"
SCORED = "scored"
UNDER_REVIEW = "under_review"
CHANGES_REQUESTED = "changes_requested"
REOPENED = "reopened"
RESUBMITTED = "resubmitted"
ACCEPTED = "accepted"
CLOSED = "closed"
# A draft moved to a newer questionnaire version: kept read-only, linked to its successor.
SUPERSEDED = "superseded"

# Waiting for a regulator: the worker's progress (submitted → scoring → scored) does not matter.
AWAITING_REVIEW = frozenset({SUBMITTED, SCORING, SCORED, RESUBMITTED})
# What a regulator can see and decide on: a frozen submission exists and is theirs to act on.
DECIDABLE = AWAITING_REVIEW | {UNDER_REVIEW}
FINAL = frozenset({ACCEPTED, CLOSED})

CLAIM = "claim"
COMMENT = "comment"
REQUEST_CHANGES = "request_changes"
ACCEPT = "accept"
CLOSE = "close"
OVERRIDE = "override"
REOPEN = "reopen"
SUBMIT = "submit"
RESUBMIT = "resubmit"
UPGRADE = "upgrade"

REGULATOR_ACTIONS = frozenset({CLAIM, COMMENT, REQUEST_CHANGES, ACCEPT, CLOSE, OVERRIDE})
ORGANISATION_ACTIONS = frozenset({REOPEN, SUBMIT, RESUBMIT, UPGRADE})
DECISIONS = (REQUEST_CHANGES, ACCEPT, CLOSE)


@dataclass(frozen=True)
class Rule:
    allowed_from: frozenset
    to: str | None  # None: the state does not change (a comment while under review, an override)


TRANSITIONS: dict[str, Rule] = {
    CLAIM: Rule(DECIDABLE, UNDER_REVIEW),
    COMMENT: Rule(DECIDABLE, UNDER_REVIEW),
    REQUEST_CHANGES: Rule(DECIDABLE, CHANGES_REQUESTED),
    ACCEPT: Rule(DECIDABLE, ACCEPTED),
    CLOSE: Rule(DECIDABLE, CLOSED),
    # A tier override is allowed as long as there is a frozen submission to judge.
    OVERRIDE: Rule(DECIDABLE | FINAL | {CHANGES_REQUESTED, REOPENED}, None),
    REOPEN: Rule(frozenset({CHANGES_REQUESTED}), REOPENED),
    SUBMIT: Rule(frozenset({DRAFT}), SUBMITTED),
    RESUBMIT: Rule(frozenset({REOPENED}), RESUBMITTED),
    # Only a draft never submitted: a reopened assessment is mid-review and keeps its version.
    UPGRADE: Rule(frozenset({DRAFT}), SUPERSEDED),
}

# Actions that need a written note (the organisation must know why; an override must say why).
NOTE_REQUIRED = frozenset({REQUEST_CHANGES, OVERRIDE})


class InvalidTransition(Exception):
    """`code` names the refusal; services turn it into a message in the user's language."""

    def __init__(self, action: str, state: str, code: str):
        self.action, self.state, self.code = action, state, code
        super().__init__(f"{action} is not possible from {state} ({code})")


def refusal_code(action: str, state: str) -> str:
    """Why `action` cannot happen from `state`, as a stable code."""
    if state == DRAFT:
        return "draft"
    if state in FINAL:
        return "already_decided"
    if action == RESUBMIT and state == CHANGES_REQUESTED:
        return "reopen_first"
    if action in (REOPEN, RESUBMIT) and state != CHANGES_REQUESTED:
        return "no_request"
    if state in (CHANGES_REQUESTED, REOPENED):
        return "with_organisation"
    return "not_allowed"


def transition(action: str, state: str) -> str:
    """The state after `action` from `state`; InvalidTransition when it is not allowed."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise InvalidTransition(action, state, "unknown_action")
    if state not in rule.allowed_from:
        raise InvalidTransition(action, state, refusal_code(action, state))
    return state if rule.to is None else rule.to


def submit_action(state: str) -> str:
    """Submitting a draft is a first submission; once changes were requested, a resubmission."""
    return RESUBMIT if state in (CHANGES_REQUESTED, REOPENED) else SUBMIT


def is_waiting(state: str) -> bool:
    return state in AWAITING_REVIEW
