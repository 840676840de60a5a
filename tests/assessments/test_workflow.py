"""The review loop's state machine: every allowed transition and every refused one (pure)."""

import itertools

import pytest

from assessments import workflow as wf

STATES = [
    wf.DRAFT,
    wf.SUBMITTED,
    wf.SCORING,
    wf.SCORED,
    wf.UNDER_REVIEW,
    wf.CHANGES_REQUESTED,
    wf.REOPENED,
    wf.RESUBMITTED,
    wf.ACCEPTED,
    wf.CLOSED,
    wf.SUPERSEDED,
]
ACTIONS = list(wf.TRANSITIONS)

# Every allowed (action, from) pair and where it leads; anything not listed is refused.
ALLOWED = {
    **{(wf.CLAIM, s): wf.UNDER_REVIEW for s in (wf.SUBMITTED, wf.SCORING, wf.SCORED)},
    (wf.CLAIM, wf.RESUBMITTED): wf.UNDER_REVIEW,
    (wf.CLAIM, wf.UNDER_REVIEW): wf.UNDER_REVIEW,
    **{
        (wf.COMMENT, s): wf.UNDER_REVIEW
        for s in (wf.SUBMITTED, wf.SCORING, wf.SCORED, wf.RESUBMITTED, wf.UNDER_REVIEW)
    },
    **{
        (action, s): target
        for action, target in (
            (wf.REQUEST_CHANGES, wf.CHANGES_REQUESTED),
            (wf.ACCEPT, wf.ACCEPTED),
            (wf.CLOSE, wf.CLOSED),
        )
        for s in (wf.SUBMITTED, wf.SCORING, wf.SCORED, wf.RESUBMITTED, wf.UNDER_REVIEW)
    },
    **{(wf.OVERRIDE, s): s for s in STATES if s not in (wf.DRAFT, wf.SUPERSEDED)},
    (wf.REOPEN, wf.CHANGES_REQUESTED): wf.REOPENED,
    (wf.SUBMIT, wf.DRAFT): wf.SUBMITTED,
    (wf.RESUBMIT, wf.REOPENED): wf.RESUBMITTED,
    (wf.UPGRADE, wf.DRAFT): wf.SUPERSEDED,
}


@pytest.mark.parametrize(("action", "state"), sorted(ALLOWED))
def test_each_allowed_transition_leads_where_the_table_says(action, state):
    assert wf.transition(action, state) == ALLOWED[(action, state)]


REFUSED = sorted(set(itertools.product(ACTIONS, STATES)) - set(ALLOWED))


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_every_other_transition_is_refused_with_a_reason(action, state):
    with pytest.raises(wf.InvalidTransition) as refused:
        wf.transition(action, state)
    assert refused.value.code in {
        "draft",
        "already_decided",
        "no_request",
        "reopen_first",
        "with_organisation",
        "not_allowed",
    }


@pytest.mark.parametrize("decision", wf.DECISIONS)
def test_deciding_a_draft_is_refused_as_a_draft(decision):
    with pytest.raises(wf.InvalidTransition) as refused:
        wf.transition(decision, wf.DRAFT)
    assert refused.value.code == "draft"


@pytest.mark.parametrize("decision", wf.DECISIONS)
@pytest.mark.parametrize("final", [wf.ACCEPTED, wf.CLOSED])
def test_deciding_again_after_a_final_decision_is_refused(decision, final):
    with pytest.raises(wf.InvalidTransition) as refused:
        wf.transition(decision, final)
    assert refused.value.code == "already_decided"


@pytest.mark.parametrize("state", [wf.SUBMITTED, wf.SCORED, wf.UNDER_REVIEW, wf.RESUBMITTED])
def test_resubmitting_without_a_request_is_refused(state):
    with pytest.raises(wf.InvalidTransition) as refused:
        wf.transition(wf.RESUBMIT, state)
    assert refused.value.code == "no_request"


def test_resubmitting_before_reopening_asks_to_reopen_first():
    with pytest.raises(wf.InvalidTransition) as refused:
        wf.transition(wf.RESUBMIT, wf.CHANGES_REQUESTED)
    assert refused.value.code == "reopen_first"


@pytest.mark.parametrize("decision", wf.DECISIONS)
def test_a_regulator_cannot_decide_while_the_organisation_has_it(decision):
    for state in (wf.CHANGES_REQUESTED, wf.REOPENED):
        with pytest.raises(wf.InvalidTransition) as refused:
            wf.transition(decision, state)
        assert refused.value.code == "with_organisation"


def test_submitting_a_reopened_assessment_is_a_resubmission():
    assert wf.submit_action(wf.REOPENED) == wf.RESUBMIT
    assert wf.submit_action(wf.CHANGES_REQUESTED) == wf.RESUBMIT  # refused: reopen first
    assert wf.submit_action(wf.DRAFT) == wf.SUBMIT


def test_the_whole_loop_from_draft_to_accepted():
    state = wf.DRAFT
    for action in (
        wf.SUBMIT,
        wf.CLAIM,
        wf.REQUEST_CHANGES,
        wf.REOPEN,
        wf.RESUBMIT,
        wf.COMMENT,
        wf.ACCEPT,
    ):
        state = wf.transition(action, state)
    assert state == wf.ACCEPTED


def test_the_states_match_the_assessment_model():
    from assessments.models import Assessment

    assert set(STATES) == set(Assessment.Status.values)


def test_an_unknown_action_is_refused():
    with pytest.raises(wf.InvalidTransition) as refused:
        wf.transition("approve", wf.SUBMITTED)
    assert refused.value.code == "unknown_action"
