"""The scoring task, result storage and the sweep (tasks run eagerly here; see test_faults)."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from assessments import results, scoring_inputs, services, tasks
from assessments.models import Assessment, Finding, ScoreResult, Submission
from portal.celery import app
from tests.assessments import factories
from tests.assessments.results_support import (
    SMALL_SCOPING,
    bundled_questionnaire,
    make_submission,
    small_questionnaire,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return small_questionnaire()


def submission_with_gaps(organisation, version):
    # G2 (2M people): CSL-01 is a red line at 0; PIPL-01 at level 1; CSL-03 (number) at 3 - 1.
    return make_submission(
        organisation,
        version,
        SMALL_SCOPING,
        answers={"CSL-01": {"level": 0}, "PIPL-01": {"level": 1}, "CSL-03": {"value": 4}},
    )


def test_scoring_stores_the_result_and_one_finding_per_question_with_a_gap(organisation, version):
    submission = submission_with_gaps(organisation, version)
    assert tasks.score_submission.delay(submission.pk).get() == "critical"
    stored = ScoreResult.objects.get(submission=submission)
    assert (stored.overall_tier, stored.grade, stored.ruleset_version) == (
        "critical",
        "G2",
        "2026.1",
    )
    assert stored.result["modules"]["CSL"]["red_lines"][0]["question"] == "CSL-01"
    findings = {f.question_code: f for f in stored.findings.all()}
    assert sorted(findings) == ["CSL-01", "CSL-03", "PIPL-01"]
    assert (findings["CSL-01"].gap, findings["CSL-01"].level, findings["CSL-01"].red_line) == (
        Decimal("5.000"),
        0,
        True,
    )
    assert (findings["CSL-03"].gap, findings["CSL-03"].module) == (Decimal("2.000"), "CSL")
    assert (findings["PIPL-01"].gap, findings["PIPL-01"].red_line) == (Decimal("2.000"), False)


def test_the_index_is_stored_exactly(organisation, version):
    submission = submission_with_gaps(organisation, version)
    stored = results.submission_score(submission.pk)
    # Weights 5+3+3+3+3 = 17; gaps 5+0+2+2+0 = 9 → 100 × 8 / 17 = 47.06 → 47.1
    assert stored.index == Decimal("47.1")
    assert stored.result["index"] == 47.1


def test_scoring_moves_the_assessment_from_submitted_to_scored(organisation, version):
    submission = make_submission(organisation, version, SMALL_SCOPING)
    results.submission_score(submission.pk)
    assert Assessment.objects.get(pk=submission.assessment_id).status == "scored"


def test_a_second_delivery_stores_nothing_new(organisation, version):
    submission = submission_with_gaps(organisation, version)
    tasks.score_submission.delay(submission.pk)
    first = ScoreResult.objects.get(submission=submission)
    assert tasks.score_submission.delay(submission.pk).get() == "already scored"
    assert ScoreResult.objects.filter(submission=submission).count() == 1
    assert Finding.objects.filter(result__submission=submission).count() == 3
    assert ScoreResult.objects.get(submission=submission).computed_at == first.computed_at


def test_the_losing_writer_of_a_race_gets_the_winners_result_and_writes_nothing(
    organisation, version
):
    submission = submission_with_gaps(organisation, version)
    _, inputs = scoring_inputs.load_submission_inputs(submission.pk)
    result = inputs.score()
    first, created_first = results.result_store(submission=submission, result=result)
    second, created_second = results.result_store(submission=submission, result=result)
    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert Finding.objects.filter(result=first).count() == 3


def test_rescoring_with_the_stored_ruleset_reproduces_the_result_exactly(organisation, version):
    submission = submission_with_gaps(organisation, version)
    stored = results.submission_score(submission.pk)
    assert results.submission_rescore(submission.pk).to_dict() == stored.result


def test_a_late_result_does_not_move_an_assessment_that_moved_on(organisation, version):
    first = make_submission(organisation, version, SMALL_SCOPING)
    second = make_submission(organisation, version, SMALL_SCOPING, assessment=first.assessment)
    results.submission_score(first.pk)
    assert Assessment.objects.get(pk=first.assessment_id).status == "submitted"
    results.submission_score(second.pk)
    assert Assessment.objects.get(pk=first.assessment_id).status == "scored"
    third = make_submission(organisation, version, SMALL_SCOPING, assessment=first.assessment)
    Assessment.objects.filter(pk=first.assessment_id).update(status="changes_requested")
    results.submission_score(third.pk)
    assert Assessment.objects.get(pk=first.assessment_id).status == "changes_requested"


def test_the_loader_runs_the_same_number_of_queries_whatever_the_size(
    organisation, version, django_assert_num_queries
):
    scoring_inputs.forget_cached_questions()
    small = make_submission(organisation, version, SMALL_SCOPING)
    with django_assert_num_queries(4):
        _, small_inputs = scoring_inputs.load_submission_inputs(small.pk)
    big_version = bundled_questionnaire()
    big = make_submission(organisation, big_version, bundled_scoping())
    with django_assert_num_queries(4):
        _, big_inputs = scoring_inputs.load_submission_inputs(big.pk)
    assert len(small_inputs.questions) == 5
    assert len(big_inputs.questions) > 80


def test_a_published_versions_questions_are_loaded_once_per_process(
    organisation, version, django_assert_num_queries
):
    scoring_inputs.forget_cached_questions()
    first = make_submission(organisation, version, SMALL_SCOPING)
    second = make_submission(organisation, version, SMALL_SCOPING, answers={"CSL-01": {"level": 0}})
    with django_assert_num_queries(4):
        scoring_inputs.load_submission_inputs(first.pk)
    with django_assert_num_queries(1):
        _, inputs = scoring_inputs.load_submission_inputs(second.pk)
    assert inputs.answers["CSL-01"].level == 0


def test_a_draft_versions_questions_are_not_cached(
    organisation, version, django_assert_num_queries
):
    scoring_inputs.forget_cached_questions()
    type(version).objects.filter(pk=version.pk).update(status="draft")
    submission = make_submission(organisation, version, SMALL_SCOPING)
    for _ in range(2):
        with django_assert_num_queries(4):
            scoring_inputs.load_submission_inputs(submission.pk)


def bundled_scoping():
    from tests.assessments.results_support import BUNDLED_SCOPING

    return BUNDLED_SCOPING


def test_the_worker_scores_a_whole_submission_in_a_fixed_number_of_queries(
    organisation, version, django_assert_max_num_queries
):
    submission = submission_with_gaps(organisation, version)
    # exists check, 4 loading queries, insert result, insert findings, update the assessment
    # (plus the savepoint statements of the transaction)
    with django_assert_max_num_queries(12):
        results.submission_score(submission.pk)


def test_the_inputs_convert_every_answer_type(organisation, version):
    submission = make_submission(
        organisation,
        version,
        SMALL_SCOPING,
        answers={
            "CSL-02": {"value": False},
            "CSL-03": {"value": 3},
            "PIPL-01": {"na_reason": "无"},
        },
        evidence=False,
    )
    _, inputs = scoring_inputs.load_submission_inputs(submission.pk)
    answers = inputs.answers
    assert answers["CSL-02"].value is False and answers["CSL-02"].evidence is False
    assert answers["PIPL-01"].is_na
    assert inputs.scope.grade == "G2"
    assert inputs.scope.as_of == timezone.localdate(submission.submitted_at)
    csl03 = next(q for q in inputs.questions if q.code == "CSL-03")
    assert [t.min for t in csl03.thresholds] == [Decimal("6"), Decimal("3"), None]
    assert csl03.citations[0].regulation == "TST"
    assert "S01" not in answers  # scoping answers are not scored


def test_dates_are_judged_on_the_local_day_of_submission(organisation, version):
    # 23:30 UTC on 31 Dec is already 1 Jan in Shanghai.
    submitted = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    submission = make_submission(organisation, version, SMALL_SCOPING, submitted_at=submitted)
    _, inputs = scoring_inputs.load_submission_inputs(submission.pk)
    assert inputs.scope.as_of == dt.date(2026, 1, 1)


def test_a_transient_database_error_is_retried(organisation, version):
    submission = make_submission(organisation, version, SMALL_SCOPING)
    real = results.submission_score
    calls = []

    def flaky(submission_id):
        calls.append(submission_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(submission_id)

    with mock.patch.object(results, "submission_score", side_effect=flaky):
        tasks.score_submission.apply(args=(submission.pk,), throw=False)
    assert calls == [submission.pk, submission.pk]
    assert ScoreResult.objects.filter(submission=submission).count() == 1


def test_a_permanent_error_is_not_retried(organisation, version):
    submission = make_submission(organisation, version, SMALL_SCOPING)
    with mock.patch.object(results, "submission_score", side_effect=ValueError("bad")) as body:
        outcome = tasks.score_submission.apply(args=(submission.pk,), throw=False)
    assert body.call_count == 1
    assert isinstance(outcome.result, ValueError)


def test_the_task_acknowledges_late_and_retries_transient_errors():
    task = app.tasks["assessments.tasks.score_submission"]
    assert task.acks_late is True and task.reject_on_worker_lost is True
    assert OperationalError in task.autoretry_for and BrokerError in task.autoretry_for
    assert task.max_retries >= 5


def test_submitting_enqueues_scoring_only_after_the_commit(
    organisation, django_capture_on_commit_callbacks
):
    small_questionnaire()
    owner = factories.writer(organisation)
    assessment = factories.start_assessment(organisation, owner, S01="domestic", S02=2_000_000)
    for code, data in {
        "CSL-01": {"level": 3},
        "CSL-02": {"value": True},
        "CSL-03": {"value": 6},
        "PIPL-01": {"level": 2},
        "PIPL-02": {"level": 3},
    }.items():
        factories.answer(assessment, code, owner, **data)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = services.assessment_submit(
            assessment=assessment, by=owner, attestation=factories.ATTESTATION
        )
    assert not ScoreResult.objects.filter(submission=submission).exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert ScoreResult.objects.get(submission=submission).overall_tier in ("low", "medium")
    assert Submission.objects.get(pk=submission.pk).scoring_enqueued_at is not None


def test_a_broker_outage_at_submit_leaves_the_submission_for_the_sweep(organisation, version):
    submission = make_submission(organisation, version, SMALL_SCOPING)
    with mock.patch.object(tasks.score_submission, "delay", side_effect=BrokerError("down")):
        services.enqueue_scoring(submission.pk)
    submission.refresh_from_db()
    assert submission.scoring_enqueued_at is None
    assert not ScoreResult.objects.filter(submission=submission).exists()
    assert tasks.sweep_unscored.delay(older_than_seconds=0).get() == 1
    assert ScoreResult.objects.filter(submission=submission).count() == 1


def test_the_sweep_picks_only_submissions_left_unscored_for_a_while(organisation, version):
    now = timezone.now()
    old = now - dt.timedelta(minutes=10)

    def unscored(submitted_at, enqueued_at=None):
        s = make_submission(organisation, version, SMALL_SCOPING, submitted_at=submitted_at)
        Submission.objects.filter(pk=s.pk).update(scoring_enqueued_at=enqueued_at)
        return s.pk

    never_enqueued = unscored(old)
    enqueued_long_ago = unscored(old, enqueued_at=old)
    enqueued_just_now = unscored(old, enqueued_at=now)
    submitted_just_now = unscored(now)
    scored = make_submission(organisation, version, SMALL_SCOPING, submitted_at=old)
    results.submission_score(scored.pk)

    picked = tasks.unscored_submission_ids(older_than=dt.timedelta(minutes=5))
    assert picked == [never_enqueued, enqueued_long_ago]
    assert enqueued_just_now not in picked and submitted_just_now not in picked
    assert tasks.sweep_unscored.delay().get() == 2
    assert ScoreResult.objects.filter(submission_id__in=picked).count() == 2


def test_the_beat_schedule_runs_the_sweep_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-unscored-submissions"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0
    assert tasks.UNSCORED_AFTER == dt.timedelta(minutes=5)
