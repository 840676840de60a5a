"""The review loop through its services: every step, every refusal, and decisions that race."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase

from assessments import services as assessment_services
from assessments.models import Answer, Assessment, ScoreResult, Submission
from portal.models import AuditEvent
from supervision import services
from supervision.models import Claim, CommentReply, Decision, ReviewComment, TierOverride
from tests.assessments import factories
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment
from tests.factories import RegulatorProfileFactory

pytestmark = pytest.mark.django_db


def submit(assessment, by, **kwargs):
    """Submit and run what is queued after commit (scoring, eagerly here) at once."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return factories.submit(assessment, by, **kwargs)


def complete(assessment, user):
    answer(assessment, "CSL-01", user, level=3)
    answer(assessment, "CSL-02", user, value=True)
    answer(assessment, "CSL-03", user, value=6)
    answer(assessment, "PIPL-01", user, na_reason="仅处理匿名化信息")


@pytest.fixture
def submitted(organisation, org_owner):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    complete(assessment, org_owner)
    submit(assessment, org_owner)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def colleague(db):
    return RegulatorProfileFactory(provinces=["110000"]).user


def status(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


def refused(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


class TestClaims:
    def test_claiming_a_scored_submission_puts_it_under_review(self, submitted, regulator):
        assert status(submitted) == "scored"
        services.review_claim(assessment=submitted, by=regulator)
        assert status(submitted) == "under_review"
        assert Claim.objects.get(assessment=submitted).reviewer == regulator
        step = Decision.objects.get(action="claim")
        assert (step.from_status, step.to_status, step.actor) == (
            "scored",
            "under_review",
            regulator,
        )

    def test_another_reviewer_takes_over_a_claim(self, submitted, regulator, colleague):
        services.review_claim(assessment=submitted, by=regulator)
        services.review_claim(assessment=submitted, by=colleague)
        assert Claim.objects.get(assessment=submitted).reviewer == colleague
        assert status(submitted) == "under_review"

    def test_unclaiming_releases_it_and_keeps_the_state(self, submitted, regulator):
        services.review_claim(assessment=submitted, by=regulator)
        services.review_unclaim(assessment=submitted, by=regulator)
        assert not Claim.objects.exists()
        assert status(submitted) == "under_review"
        error = refused(services.review_unclaim, assessment=submitted, by=regulator)
        assert error.code == "unclaimed"

    def test_a_draft_cannot_be_claimed(self, organisation, org_owner, regulator):
        load_small_questionnaire()
        draft = start_assessment(organisation, org_owner, S01="domestic", S02=500)
        assert refused(services.review_claim, assessment=draft, by=regulator).code == "draft"
        error = refused(services.review_decide, assessment=draft, by=regulator, action="accept")
        assert error.code == "draft"
        assert status(draft) == "draft" and not Decision.objects.exists()


class TestComments:
    def test_the_first_comment_puts_it_under_review_and_claims_it(self, submitted, regulator):
        comment = services.review_comment_add(
            assessment=submitted, by=regulator, body="请补充应急预案", question_code="CSL-01"
        )
        assert status(submitted) == "under_review"
        assert Claim.objects.get(assessment=submitted).reviewer == regulator
        assert comment.submission.number == 1 and comment.question_code == "CSL-01"
        assert Decision.objects.filter(action="comment").count() == 1
        services.review_comment_add(assessment=submitted, by=regulator, body="整体意见")
        assert Decision.objects.filter(action="comment").count() == 1  # only the first moves it

    def test_an_empty_comment_is_refused_and_nothing_is_written(self, submitted, regulator):
        error = refused(
            services.review_comment_add, assessment=submitted, by=regulator, body="  \x00 "
        )
        assert error.code == "required"
        assert not ReviewComment.objects.exists() and status(submitted) == "scored"

    def test_a_comment_on_a_question_outside_the_submission_is_refused(self, submitted, regulator):
        error = refused(
            services.review_comment_add,
            assessment=submitted,
            by=regulator,
            body="?",
            question_code="PIPL-02",  # does not apply at this scale
        )
        assert error.code == "question"


class TestDecisions:
    def test_requesting_changes_needs_a_note(self, submitted, regulator):
        error = refused(
            services.review_decide,
            assessment=submitted,
            by=regulator,
            action="request_changes",
            note=" ",
        )
        assert error.code == "required"
        assert status(submitted) == "scored"

    def test_changes_requested_then_reopen_then_resubmit_then_accept(
        self, submitted, regulator, org_owner
    ):
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="补充材料"
        )
        assert status(submitted) == "changes_requested"
        assessment_services.assessment_reopen(assessment=submitted, by=org_owner)
        assert status(submitted) == "reopened"
        answer(submitted, "CSL-03", org_owner, value=7)
        second = submit(submitted, org_owner)
        assert (second.number, status(submitted)) == (2, "resubmitted")
        services.review_decide(assessment=submitted, by=regulator, action="accept")
        assert status(submitted) == "accepted"
        assert list(Decision.objects.values_list("action", flat=True)) == [
            "request_changes",
            "accept",
        ]
        assert Decision.objects.get(action="accept").submission == second

    def test_a_late_result_does_not_overwrite_a_resubmission(self, submitted, regulator, org_owner):
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="x"
        )
        assessment_services.assessment_reopen(assessment=submitted, by=org_owner)
        submit(submitted, org_owner)  # scored eagerly in tests
        assert status(submitted) == "resubmitted"
        assert ScoreResult.objects.filter(submission__assessment=submitted).count() == 2

    @pytest.mark.parametrize("action", ["accept", "request_changes", "close"])
    def test_deciding_after_acceptance_is_refused(self, submitted, regulator, action):
        services.review_decide(assessment=submitted, by=regulator, action="accept")
        error = refused(
            services.review_decide, assessment=submitted, by=regulator, action=action, note="n"
        )
        assert error.code == "already_decided"
        assert Decision.objects.filter(action=action).count() == (1 if action == "accept" else 0)

    def test_closing_without_action_is_final(self, submitted, regulator):
        services.review_decide(assessment=submitted, by=regulator, action="close")
        assert status(submitted) == "closed"
        assert refused(services.review_claim, assessment=submitted, by=regulator).code == (
            "already_decided"
        )

    def test_a_regulator_cannot_decide_while_the_organisation_has_it(
        self, submitted, regulator, org_owner
    ):
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="x"
        )
        error = refused(services.review_decide, assessment=submitted, by=regulator, action="accept")
        assert error.code == "with_organisation"
        assessment_services.assessment_reopen(assessment=submitted, by=org_owner)
        error = refused(services.review_decide, assessment=submitted, by=regulator, action="accept")
        assert error.code == "with_organisation"

    def test_an_unknown_decision_is_refused(self, submitted, regulator):
        error = refused(services.review_decide, assessment=submitted, by=regulator, action="ok")
        assert error.code == "decision"

    def test_a_decision_based_on_a_stale_page_is_refused_naming_who_decided(
        self, submitted, regulator, colleague
    ):
        services.review_claim(assessment=submitted, by=regulator)
        services.review_decide(
            assessment=submitted, by=regulator, action="accept", seen_status="under_review"
        )
        error = refused(
            services.review_decide,
            assessment=submitted,
            by=colleague,
            action="request_changes",
            note="还需修改",
            seen_status="under_review",
        )
        assert error.code == "stale"
        assert regulator.get_short_name() in error.messages[0]
        assert status(submitted) == "accepted"

    def test_scoring_finishing_meanwhile_is_not_a_conflict(self, submitted, regulator):
        services.review_decide(
            assessment=submitted, by=regulator, action="accept", seen_status="submitted"
        )
        assert status(submitted) == "accepted"

    def test_a_decision_on_an_older_submission_is_refused(self, submitted, regulator, org_owner):
        first = submitted.submissions.get()
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="x"
        )
        assessment_services.assessment_reopen(assessment=submitted, by=org_owner)
        submit(submitted, org_owner)
        error = refused(
            services.review_decide,
            assessment=submitted,
            by=regulator,
            action="accept",
            seen_submission=first.pk,
        )
        assert error.code == "stale"

    def test_each_step_is_in_the_audit_trail(self, submitted, regulator, org_owner):
        services.review_claim(assessment=submitted, by=regulator)
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="x"
        )
        assessment_services.assessment_reopen(assessment=submitted, by=org_owner)
        submit(submitted, org_owner)
        verbs = list(
            AuditEvent.objects.filter(data__assessment=submitted.pk)
            .order_by("at", "pk")
            .values_list("verb", flat=True)
        )
        assert verbs == [
            "assessment.start",
            "assessment.submit",
            "review.claim",
            "review.request_changes",
            "assessment.reopen",
            "assessment.resubmit",
        ]


class TestOrganisationSide:
    def test_reopening_needs_a_request_for_changes(self, submitted, org_owner):
        error = refused(assessment_services.assessment_reopen, assessment=submitted, by=org_owner)
        assert error.code == "no_request"

    def test_resubmitting_without_reopening_is_refused(self, submitted, regulator, org_owner):
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="x"
        )
        error = refused(submit, assessment=submitted, by=org_owner)
        assert error.code == "reopen_first"
        assert Submission.objects.count() == 1

    def test_submitting_twice_without_a_request_is_refused(self, submitted, org_owner):
        error = refused(submit, assessment=submitted, by=org_owner)
        assert error.code == "not_allowed"
        assert Submission.objects.count() == 1

    def test_submitting_needs_an_attestation(self, organisation, org_owner):
        load_small_questionnaire()
        assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
        complete(assessment, org_owner)
        blank = assessment_services.Attestation(name=" ", role="法定代表人", statement="确认")
        error = refused(submit, assessment=assessment, by=org_owner, attestation=blank)
        assert error.code == "attestation"
        assert not Submission.objects.exists()

    def test_the_attestation_is_frozen_with_the_snapshot(self, submitted, org_owner):
        attestation = submitted.submissions.get().attestation
        assert attestation["name"] == "张三" and attestation["role"] == "法定代表人"
        assert attestation["statement"].startswith("本人确认")
        assert attestation["email"] == org_owner.email

    def test_reopening_restores_the_answers_of_the_snapshot_and_keeps_it(
        self, submitted, regulator, org_owner
    ):
        snapshot = Submission.objects.get(assessment=submitted)
        frozen = (snapshot.answers, snapshot.scoping, snapshot.attestation, snapshot.submitted_at)
        result = ScoreResult.objects.get(submission=snapshot)
        stored = (result.result, result.overall_tier, result.index, result.computed_at)
        # a live answer drifted from the snapshot (e.g. fixed in the database by support)
        Answer.objects.filter(assessment=submitted, question__code="CSL-03").update(value=1)
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="x"
        )
        assessment_services.assessment_reopen(assessment=submitted, by=org_owner)
        assert Answer.objects.get(assessment=submitted, question__code="CSL-03").value == 6
        answer(submitted, "CSL-03", org_owner, value=8)
        submit(submitted, org_owner)
        snapshot.refresh_from_db()
        result.refresh_from_db()
        assert (
            snapshot.answers,
            snapshot.scoping,
            snapshot.attestation,
            snapshot.submitted_at,
        ) == frozen
        assert (result.result, result.overall_tier, result.index, result.computed_at) == stored
        assert snapshot.answers["CSL-03"]["value"] == 6

    def test_replies_only_while_changes_are_requested(self, submitted, regulator, org_owner):
        comment = services.review_comment_add(
            assessment=submitted, by=regulator, body="请说明", question_code="CSL-03"
        )
        error = refused(services.reply_save, comment=comment, by=org_owner, body="已补充")
        assert error.code == "state"
        services.review_decide(
            assessment=submitted, by=regulator, action="request_changes", note="x"
        )
        services.reply_save(comment=comment, by=org_owner, body="已补充")
        services.reply_save(comment=comment, by=org_owner, body="已补充两份制度")
        assert CommentReply.objects.get().body == "已补充两份制度"  # one reply, edited


class TestOverrides:
    def test_an_override_needs_a_reason_and_a_known_tier(self, submitted, regulator):
        submission = submitted.submissions.get()
        assert (
            refused(
                services.tier_override_set,
                submission=submission,
                by=regulator,
                tier="high",
                reason="",
            ).code
            == "required"
        )
        assert (
            refused(
                services.tier_override_set,
                submission=submission,
                by=regulator,
                tier="huge",
                reason="x",
            ).code
            == "tier"
        )
        services.tier_override_set(
            submission=submission, by=regulator, tier="high", reason="现场检查发现问题"
        )
        override = TierOverride.objects.get()
        assert (override.tier, override.by) == ("high", regulator)
        computed = ScoreResult.objects.get(submission=submission).overall_tier
        assert computed != "" and ScoreResult.objects.get(submission=submission).overall_tier == (
            computed
        )  # never replaced


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_regulators_deciding_at_once_one_wins(organisation, org_owner, regulator, colleague):
    """Both read "under review"; both decide at the same moment; exactly one decision lands."""
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    complete(assessment, org_owner)
    submit(assessment, org_owner)
    services.review_claim(assessment=assessment, by=regulator)
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(user, action, note):
        barrier.wait()
        try:
            services.review_decide(
                assessment=assessment,
                by=user,
                action=action,
                note=note,
                seen_status="under_review",
            )
            outcomes[user.pk] = "won"
        except ValidationError as error:
            outcomes[user.pk] = error.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(regulator, "accept", "")),
        threading.Thread(target=decide, args=(colleague, "request_changes", "补充")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(v == "won" for v in outcomes.values()) == [False, True]
    assert Decision.objects.filter(action__in=["accept", "request_changes"]).count() == 1
    winner = next(pk for pk, v in outcomes.items() if v == "won")
    loser_message = next(v for v in outcomes.values() if v != "won")
    assert "reload" in loser_message or "刷新" in loser_message
    assert Decision.objects.get(action__in=["accept", "request_changes"]).actor_id == winner


def test_an_override_tier_reads_as_a_tier_in_chinese_not_a_size(submitted, regulator):
    from django.utils import translation

    override = services.tier_override_set(
        submission=submitted.submissions.get(), by=regulator, tier="medium", reason="抽查"
    )
    with translation.override("zh-hans"):
        assert override.get_tier_display() == "中"  # "Medium" as a size is 中型
