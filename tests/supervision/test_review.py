"""The review page and the regulator's steps through it: claim, comment, decide, override,
refusals shown as messages, two regulators at once, and the resubmission diff."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import results
from assessments import services as assessment_services
from assessments.models import Answer, Assessment, ScoreResult, Submission
from portal.models import AuditEvent
from supervision import services
from supervision.models import Claim, Decision, ReviewComment, TierOverride
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment, submit
from tests.factories import RegulatorProfileFactory
from tests.supervision.workspace_support import (  # noqa: F401 - fast_passwords is a fixture
    complete,
    fast_passwords,
    reopen,
    submitted_assessment,
)

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages and labels in English, so the assertions do not depend on the catalogue."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def submitted(organisation, org_owner):
    return submitted_assessment(organisation, org_owner, csl01=1)


@pytest.fixture
def colleague(db):
    return RegulatorProfileFactory(provinces=["110000"]).user


def review_url(assessment, number=None) -> str:
    if number:
        return reverse("supervision:submission", args=[assessment.pk, number])
    return reverse("supervision:review", args=[assessment.pk])


def open_review(client, user, assessment, number=None) -> str:
    client.force_login(user)
    response = client.get(review_url(assessment, number))
    assert response.status_code == 200
    return response.content.decode()


def post(client, user, assessment, name, **data):
    client.force_login(user)
    response = client.post(reverse(f"supervision:{name}", args=[assessment.pk]), data, follow=True)
    assert response.status_code == 200
    return response


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def status(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


def decide(client, user, assessment, action, note="", seen_status=None):
    latest = assessment.submissions.order_by("-number").first()
    return post(
        client,
        user,
        assessment,
        "decide",
        action=action,
        note=note,
        seen_status=seen_status or status(assessment),
        seen_submission=latest.pk,
    )


class TestReviewPage:
    def test_it_shows_the_tier_red_lines_and_every_answer_in_words(
        self, client, regulator, submitted
    ):
        html = open_review(client, regulator, submitted)
        assert 'id="computed-tier" data-tier="high">High<' in html
        assert html.index('id="red-lines"') < html.index('id="answers"')
        csl01 = html[html.index('id="q-CSL-01"') :]
        assert 'class="answer-label">Partial<' in csl01[:2000]
        assert 'class="answer-label">Yes<' in html  # CSL-02, yes/no
        assert "仅处理匿名化信息" in html  # the N/A reason of PIPL-01
        assert "本人确认，所填内容真实、准确、完整。" in html and "法定代表人" in html

    def test_citations_link_to_the_article_in_the_edition_the_submission_froze(
        self, client, regulator, submitted
    ):
        submission = submitted.submissions.get()
        editions = {e["regulation"]: e["effective_from"] for e in submission.editions}
        day = editions.get("TST") or submission.submitted_at.date().isoformat()
        html = open_review(client, regulator, submitted)
        assert f'href="/regulations/TST/?on={day}#art-1"' in html

    def test_evidence_frozen_with_an_answer_is_a_download_link(
        self, client, regulator, organisation, org_owner, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        load_small_questionnaire()
        assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
        complete(assessment, org_owner)
        row = Answer.objects.get(assessment=assessment, question__code="CSL-01")
        upload = SimpleUploadedFile("制度.pdf", PDF_BYTES, content_type="application/pdf")
        evidence = assessment_services.evidence_attach(answer=row, upload=upload, by=org_owner)
        submit(assessment, org_owner)
        html = open_review(client, regulator, assessment)
        assert f'href="{reverse("assessments:evidence", args=[evidence.pk])}">制度.pdf<' in html

    def test_every_view_is_recorded_in_the_audit_trail(self, client, regulator, submitted):
        open_review(client, regulator, submitted)
        html = open_review(client, regulator, submitted, number=1)
        views = AuditEvent.objects.filter(verb="review.view", actor=regulator)
        assert views.count() == 2
        assert views.first().data == {"assessment": submitted.pk, "number": 1}
        assert 'data-verb="review.view"' in html

    def test_an_unknown_snapshot_number_is_a_404(self, client, regulator, submitted):
        client.force_login(regulator)
        assert client.get(review_url(submitted, 7)).status_code == 404

    def test_an_unscored_submission_says_scoring(self, client, regulator, organisation, org_owner):
        assessment = submitted_assessment(organisation, org_owner, score=False)
        html = open_review(client, regulator, assessment)
        assert 'id="computed-tier" data-tier="unscored"' in html
        assert 'data-state="scoring"' in html


def review_queries(client, user, assessment) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(review_url(assessment)).status_code == 200
    return len(queries)


def test_the_review_page_runs_a_fixed_number_of_queries_whatever_the_answers(
    client, regulator, organisation, org_owner
):
    from tests.assessments.results_support import SMALL_SCOPING, make_submission

    version = load_small_questionnaire(extra_csl_questions=30)

    def reviewed(scoping):
        submission = make_submission(organisation, version, scoping, by=org_owner)
        results.submission_score(submission.pk)
        assessment = submission.assessment
        for code in ("", "S01"):
            services.review_comment_add(
                assessment=assessment, by=regulator, body="?", question_code=code
            )
        return assessment

    small = reviewed({"S01": "neither", "S02": 0})
    large = reviewed(SMALL_SCOPING)
    assert len(Submission.objects.get(assessment=small).answers) == 2
    assert len(Submission.objects.get(assessment=large).answers) >= 37
    review_queries(client, regulator, small)  # reads the version's questions into the process
    cache.clear()  # the rendered result blocks and answer rows: measured cold, then warm
    cold = (review_queries(client, regulator, large), review_queries(client, regulator, small))
    warm = (review_queries(client, regulator, large), review_queries(client, regulator, small))
    assert cold[0] == cold[1] and warm[0] == warm[1], (cold, warm)


class TestSteps:
    def test_claiming_from_the_queue_returns_to_the_queue(self, client, regulator, submitted):
        client.force_login(regulator)
        response = client.post(
            reverse("supervision:claim", args=[submitted.pk]),
            {"next": reverse("supervision:queue"), "seen_status": "scored"},
        )
        assert response["Location"] == reverse("supervision:queue")
        assert Claim.objects.get(assessment=submitted).reviewer == regulator
        assert status(submitted) == "under_review"

    def test_another_reviewer_takes_over_and_the_first_can_no_longer_release(
        self, client, regulator, colleague, submitted
    ):
        post(client, regulator, submitted, "claim")
        html = open_review(client, colleague, submitted)
        assert 'data-action="take-over"' in html
        post(client, colleague, submitted, "claim")
        assert Claim.objects.get(assessment=submitted).reviewer == colleague
        html = open_review(client, colleague, submitted)
        assert 'data-action="unclaim"' in html
        post(client, colleague, submitted, "unclaim")
        assert not Claim.objects.exists()
        response = post(client, colleague, submitted, "unclaim")
        assert messages_of(response) == ["Nobody has claimed this submission."]

    def test_a_comment_on_a_question_is_shown_under_it_and_starts_the_review(
        self, client, regulator, submitted
    ):
        post(client, regulator, submitted, "comment", question_code="CSL-01", body="请提供预案")
        assert status(submitted) == "under_review"
        html = open_review(client, regulator, submitted)
        csl01 = html[html.index('id="q-CSL-01"') : html.index('id="q-CSL-02"')]
        assert "请提供预案" in csl01
        post(client, regulator, submitted, "comment", question_code="", body="整体意见")
        general = html = open_review(client, regulator, submitted)
        general = general[general.index('id="general-comments"') : general.index('id="answers"')]
        assert "整体意见" in general and "请提供预案" not in general

    def test_an_empty_comment_is_a_message(self, client, regulator, submitted):
        response = post(client, regulator, submitted, "comment", question_code="CSL-01", body="")
        assert messages_of(response) == ["Write the comment first."]
        assert not ReviewComment.objects.exists()

    def test_requesting_changes_without_a_note_is_refused_with_a_message(
        self, client, regulator, submitted
    ):
        response = decide(client, regulator, submitted, "request_changes", note="  ")
        assert messages_of(response) == ["Say what the organisation has to change."]
        assert status(submitted) == "scored" and not Decision.objects.exists()

    def test_accepting_records_the_decision_and_accepting_twice_is_refused(
        self, client, regulator, submitted
    ):
        response = decide(client, regulator, submitted, "accept")
        assert status(submitted) == "accepted"
        assert any("Accept" in m for m in messages_of(response))
        response = decide(client, regulator, submitted, "accept")
        [message] = messages_of(response)
        assert "already" in message.lower()
        assert Decision.objects.filter(action="accept").count() == 1
        html = response.content.decode()
        assert 'id="no-decision"' in html and 'data-action="accept"' in html

    def test_deciding_while_changes_are_requested_is_refused(self, client, regulator, submitted):
        decide(client, regulator, submitted, "request_changes", note="补充 CSL-01 的预案")
        assert status(submitted) == "changes_requested"
        response = decide(client, regulator, submitted, "accept")
        [message] = messages_of(response)
        assert "resubmit" in message
        assert status(submitted) == "changes_requested"

    def test_the_second_of_two_regulators_is_told_who_decided_first(
        self, client, regulator, colleague, submitted
    ):
        post(client, regulator, submitted, "claim")
        seen = status(submitted)  # both pages show "under review"
        decide(client, regulator, submitted, "accept", seen_status=seen)
        response = decide(
            client, colleague, submitted, "request_changes", note="再改改", seen_status=seen
        )
        [message] = messages_of(response)
        assert regulator.get_short_name() in message and "reload" in message
        assert status(submitted) == "accepted"
        assert not Decision.objects.filter(action="request_changes").exists()

    def test_a_refused_decision_keeps_the_note_that_was_typed(
        self, client, regulator, colleague, submitted
    ):
        seen = status(submitted)  # the regulator's page says "scored"
        post(client, colleague, submitted, "claim")  # meanwhile a colleague takes it
        response = decide(
            client, regulator, submitted, "request_changes", note="请补充应急预案", seen_status=seen
        )
        assert "reload" in messages_of(response)[0]
        assert "请补充应急预案</textarea>" in response.content.decode()
        again = client.get(review_url(submitted)).content.decode()
        assert "请补充应急预案" not in again  # shown once, then forgotten

    def test_a_tier_override_needs_a_reason_and_shows_beside_the_computed_tier(
        self, client, regulator, submitted
    ):
        response = post(client, regulator, submitted, "override", submission="1", tier="critical")
        assert messages_of(response) == ["Give the reason for the override."]
        post(
            client,
            regulator,
            submitted,
            "override",
            submission="1",
            tier="critical",
            reason="现场检查",
        )
        assert TierOverride.objects.get().tier == "critical"
        html = open_review(client, regulator, submitted)
        assert 'id="computed-tier" data-tier="high">High<' in html
        assert re.search(r'id="tier-override" data-tier="critical">.*?Critical', html, re.S)
        assert "现场检查" in html

    def test_a_malformed_decision_is_a_message_not_an_error(self, client, regulator, submitted):
        response = post(client, regulator, submitted, "decide", action="accept")
        assert messages_of(response) == ["The decision form was incomplete; reload the page."]
        client.force_login(regulator)
        bad = client.post(reverse("supervision:override", args=[submitted.pk]), {"submission": "x"})
        assert bad.status_code == 404


class TestResubmissionDiff:
    @pytest.fixture
    def resubmitted(self, client, regulator, org_owner, submitted, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        post(client, regulator, submitted, "comment", question_code="CSL-01", body="请说明预案")
        decide(client, regulator, submitted, "request_changes", note="请补充")
        comment = ReviewComment.objects.get()
        services.reply_save(comment=comment, by=org_owner, body="已制定应急预案")
        assessment = reopen(submitted, org_owner)
        answer(assessment, "CSL-01", org_owner, level=3)
        answer(assessment, "PIPL-01", org_owner, na_reason="不处理个人信息")
        row = Answer.objects.get(assessment=assessment, question__code="CSL-03")
        upload = SimpleUploadedFile("记录.pdf", PDF_BYTES, content_type="application/pdf")
        assessment_services.evidence_attach(answer=row, upload=upload, by=org_owner)
        self.first = Submission.objects.get(assessment=assessment, number=1)
        self.first_answers = dict(self.first.answers)
        self.first_result = ScoreResult.objects.get(submission=self.first).result
        submit(assessment, org_owner)
        return assessment

    def test_it_lists_exactly_the_questions_that_changed(self, client, regulator, resubmitted):
        html = open_review(client, regulator, resubmitted)
        assert 'id="diff"' in html
        rows = re.findall(r'class="diff-row" data-question="([^"]+)" data-kind="(\w+)"', html)
        assert rows == [("CSL-01", "changed"), ("CSL-03", "changed"), ("PIPL-01", "changed")]
        diff = html[html.index('id="diff"') : html.index('id="result"')]
        assert "Partial" in diff and "Fully" in diff
        assert "仅处理匿名化信息" in diff and "不处理个人信息" in diff
        assert 'class="evidence-added"' in diff and "记录.pdf" in diff
        assert "CSL-02" not in diff

    def test_the_replies_stand_next_to_the_comments_they_answer(
        self, client, regulator, resubmitted
    ):
        html = open_review(client, regulator, resubmitted)
        row = re.search(r'data-question="CSL-01" data-kind="changed">.*?</tr>', html, re.S)
        assert "请说明预案" in row.group(0) and "已制定应急预案" in row.group(0)

    def test_the_earlier_snapshot_and_its_result_are_untouched(
        self, client, regulator, resubmitted
    ):
        first = Submission.objects.get(assessment=resubmitted, number=1)
        assert first.answers == self.first_answers
        assert ScoreResult.objects.get(submission=first).result == self.first_result
        html = open_review(client, regulator, resubmitted, number=1)
        assert 'id="diff"' not in html and 'id="decision-panel"' not in html
        assert "This is an earlier snapshot." in html or "earlier snapshot" in html.lower()

    def test_the_resubmission_goes_back_to_review_and_can_be_accepted(
        self, client, regulator, resubmitted
    ):
        assert status(resubmitted) == "resubmitted"
        decide(client, regulator, resubmitted, "accept")
        assert status(resubmitted) == "accepted"
        accept = Decision.objects.get(action="accept")
        assert accept.submission.number == 2
