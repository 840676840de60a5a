"""The one-statement autosave against submissions and other saves, on PostgreSQL's row locks
(assessments.answer_rows.save_if_current): a save share-locks its assessment's row."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from assessments import selectors, services
from assessments.models import Answer, Assessment, Question
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def draft(organisation, org_owner):
    """A draft with every applicable question answered (so it could be submitted)."""
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    for question in selectors.applicable_questions(assessment):
        if not question.is_scoping:
            answer(assessment, question.code, org_owner, level=2)
    return assessment


def save(assessment, code, by, level):
    question = Question.objects.get(version=assessment.version, code=code)
    revision = Answer.objects.get(assessment=assessment, question=question).revision
    return services.answer_save(
        assessment=assessment,
        question=question,
        data=services.AnswerInput(level=level),
        base_revision=revision,
        by=by,
    )


def in_thread(target):
    """Run `target` on its own connection; the thread, and what it returned or raised."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def hold_a_save(assessment, code, by):
    """Save `code` in a transaction left open (its locks held) on another thread, once the
    save is done: the thread, its outcome, and the event that lets it commit."""
    saved, release = threading.Event(), threading.Event()

    def save_and_hold():
        with transaction.atomic():  # the statement's lock lasts until this commits
            save(assessment, code, by, level=0)
            saved.set()
            release.wait(30)

    thread, outcome = in_thread(save_and_hold)
    assert saved.wait(30)
    return thread, outcome, release


def test_a_save_in_flight_holds_off_a_submission_until_it_commits(draft, org_owner):
    thread, outcome, release = hold_a_save(draft, "CSL-01", org_owner)
    try:
        with pytest.raises(OperationalError), transaction.atomic():
            Assessment.objects.select_for_update(nowait=True).get(pk=draft.pk)
    finally:
        release.set()
        thread.join(30)
    assert "error" not in outcome, outcome
    with transaction.atomic():  # free again once the save has committed
        Assessment.objects.select_for_update(nowait=True).get(pk=draft.pk)


def test_saves_of_different_questions_do_not_wait_for_each_other(draft, org_owner):
    holder, held, release = hold_a_save(draft, "CSL-01", org_owner)
    try:
        other, outcome = in_thread(lambda: save(draft, "CSL-02", org_owner, level=1))
        other.join(20)
        finished = not other.is_alive()
    finally:
        release.set()
        holder.join(30)
        other.join(30)
    assert finished, "the second save waited for the first one's transaction"
    assert "error" not in outcome and "error" not in held, (outcome, held)
    assert outcome["value"].level == 1


def test_a_save_waiting_on_a_submission_is_refused_once_it_is_submitted(draft, org_owner):
    locked = threading.Event()
    release = threading.Event()

    def submit_slowly():
        with transaction.atomic():
            Assessment.objects.select_for_update().get(pk=draft.pk)
            locked.set()
            release.wait(30)
            services.assessment_submit(assessment=draft, by=org_owner, attestation=ATTESTATION)

    from tests.assessments.factories import ATTESTATION

    submitter, submitted = in_thread(submit_slowly)
    assert locked.wait(30)
    question = Question.objects.get(version=draft.version, code="CSL-01")
    before = Answer.objects.get(assessment=draft, question=question)
    saver, outcome = in_thread(lambda: save(draft, "CSL-01", org_owner, level=0))
    saver.join(2)
    assert saver.is_alive(), "the save did not wait for the submission's lock"
    release.set()
    submitter.join(30)
    saver.join(30)
    assert "error" not in submitted, submitted
    assert isinstance(outcome.get("error"), ValidationError), outcome
    after = Answer.objects.get(pk=before.pk)
    assert (after.level, after.revision) == (before.level, before.revision)
    assert Assessment.objects.get(pk=draft.pk).status != Assessment.Status.DRAFT
