"""The organisation's side of the review loop: submitting with an attestation, the decision and
comments on the member's pages, reopening, replying, resubmitting, starting again, and the
audit of what regulators read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import reports, results, selectors
from assessments.models import Assessment, Finding, ScoreResult, Submission
from portal.models import AuditEvent
from supervision import services as review
from supervision.models import CommentReply, ReviewComment
from tests.assessments.factories import answer, start_assessment, submit
from tests.assessments.results_support import small_questionnaire
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ATTESTING = {"name": "李四", "role": "数据保护官", "confirm": "on"}


@pytest.fixture(autouse=True)
def questionnaire(db):
    return small_questionnaire()


@pytest.fixture
def draft(organisation, org_owner):
    return start_assessment(organisation, org_owner, S01="domestic", S02=500)


def complete(assessment, user, csl01=3):
    answer(assessment, "CSL-01", user, level=csl01)
    answer(assessment, "CSL-02", user, value=True)
    answer(assessment, "CSL-03", user, value=6)
    answer(assessment, "PIPL-01", user, na_reason="仅处理匿名化信息")


def scored_submission(assessment, owner) -> Submission:
    submission = submit(assessment, owner)
    results.submission_score(submission.pk)
    assessment.refresh_from_db()
    return submission


@pytest.fixture
def submitted(draft, org_owner):
    """A scored first submission (CSL-01 fully implemented)."""
    complete(draft, org_owner)
    scored_submission(draft, org_owner)
    return draft


@pytest.fixture
def changes_requested(submitted, regulator):
    review.review_comment_add(
        assessment=submitted, by=regulator, body="请补充制度文件。", question_code="CSL-01"
    )
    review.review_comment_add(assessment=submitted, by=regulator, body="整体说明不足。")
    review.review_decide(
        assessment=submitted, by=regulator, action="request_changes", note="请补充 CSL-01。"
    )
    submitted.refresh_from_db()
    return submitted


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def html_of(client, user, address):
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


# --------------------------------------------------------------------------- submitting


class TestSubmitPage:
    def test_the_owner_sees_the_summary_and_an_attestation_in_their_own_name(
        self, client, org_owner, draft
    ):
        org_owner.full_name = "王五"
        org_owner.save()
        complete(draft, org_owner, csl01=1)
        page = html_of(client, org_owner, url("submit", draft.pk))
        assert 'id="summary-answered">6/6<' in page
        assert 'id="summary-na">1<' in page
        assert 'id="summary-red-lines">1<' in page and 'data-question="CSL-01"' in page
        assert 'value="王五"' in page
        assert draft.organisation.name in page  # the statement names the organisation

    def test_the_summary_counts_missing_answers_evidence_and_red_lines(
        self, organisation, org_owner
    ):
        assessment = start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
        assert assessment.grade == "G2"  # evidence is required on CSL-01 (weight 5) at G2
        answer(assessment, "CSL-01", org_owner, level=0)
        answer(assessment, "CSL-02", org_owner, value=False)
        answer(assessment, "CSL-03", org_owner, value=6)
        answer(assessment, "PIPL-01", org_owner, na_reason="不处理")
        summary = selectors.submit_summary(assessment)
        assert (summary.total, summary.answered, summary.na) == (7, 6, 1)
        assert [q.code for q in summary.missing] == ["PIPL-02"]
        assert summary.evidence_missing == []  # at level 0 the evidence cap changes nothing
        assert [(r.question.code, r.level) for r in summary.red_lines] == [("CSL-01", 0)]
        answer(assessment, "CSL-01", org_owner, level=3)
        summary = selectors.submit_summary(assessment)
        assert [q.code for q in summary.evidence_missing] == ["CSL-01"]  # capped at "Largely"

    def test_attached_evidence_and_a_red_line_at_level_two_are_not_listed(
        self, client, organisation, org_owner, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        assessment = start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
        answer(assessment, "CSL-01", org_owner, level=2)
        client.force_login(org_owner)
        client.post(
            url("evidence_upload", assessment.pk, "CSL-01"),
            {"file": SimpleUploadedFile("制度.pdf", PDF_BYTES)},
        )
        summary = selectors.submit_summary(assessment)
        assert summary.evidence_missing == [] and summary.red_lines == []

    def test_confirming_freezes_the_attestation_with_the_snapshot(self, client, org_owner, draft):
        complete(draft, org_owner)
        client.force_login(org_owner)
        response = client.post(url("submit", draft.pk), ATTESTING)
        submission = Submission.objects.get()
        assert response.status_code == 302 and response["Location"] == url(
            "submission", submission.pk
        )
        attestation = submission.attestation
        assert (attestation["name"], attestation["role"]) == ("李四", "数据保护官")
        assert draft.organisation.name in attestation["statement"]
        assert attestation["user"] == org_owner.pk

    def test_the_statement_is_stored_in_the_language_it_was_shown_in(
        self, client, org_owner, draft
    ):
        complete(draft, org_owner)
        client.force_login(org_owner)
        client.cookies["django_language"] = "en"
        page = client.get(url("submit", draft.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        client.post(url("submit", draft.pk), ATTESTING, HTTP_ACCEPT_LANGUAGE="en")
        statement = Submission.objects.get().attestation["statement"]
        assert statement.startswith("I confirm that the answers and evidence are true")
        assert statement in page

    @pytest.mark.parametrize("missing", ["name", "role", "confirm"])
    def test_nothing_is_frozen_without_the_whole_attestation(
        self, client, org_owner, draft, missing
    ):
        complete(draft, org_owner)
        client.force_login(org_owner)
        data = {key: value for key, value in ATTESTING.items() if key != missing}
        response = client.post(url("submit", draft.pk), data)
        assert response.status_code == 200
        assert 'id="attestation-form"' in response.content.decode()
        assert Submission.objects.count() == 0
        draft.refresh_from_db()
        assert draft.status == Assessment.Status.DRAFT

    def test_no_flash_message_lingers_above_the_result(self, client, org_owner, draft):
        complete(draft, org_owner)
        client.force_login(org_owner)
        response = client.post(url("submit", draft.pk), ATTESTING, follow=True)
        assert list(response.context["messages"]) == []
        assert 'data-state="scoring"' in response.content.decode()

    @pytest.mark.parametrize("persona", ["org_editor", "org_viewer"])
    def test_only_the_owner_may_submit(self, client, request, draft, org_owner, persona):
        complete(draft, org_owner)
        client.force_login(request.getfixturevalue(persona))
        assert client.get(url("submit", draft.pk)).status_code == 403
        assert client.post(url("submit", draft.pk), ATTESTING).status_code == 403
        assert Submission.objects.count() == 0

    def test_another_organisation_gets_a_404(self, client, other_org_user, draft):
        client.force_login(other_org_user)
        assert client.get(url("submit", draft.pk)).status_code == 404
        assert client.post(url("submit", draft.pk), ATTESTING).status_code == 404

    def test_a_submitted_assessment_cannot_be_submitted_again(self, client, org_owner, submitted):
        client.force_login(org_owner)
        response = client.post(url("submit", submitted.pk), ATTESTING)
        assert response.status_code == 302 and response["Location"] == submitted.get_absolute_url()
        assert Submission.objects.count() == 1

    def test_the_overview_links_to_the_submit_page(self, client, org_owner, draft):
        page = html_of(client, org_owner, url("detail", draft.pk))
        assert f'id="submit-assessment" href="{url("submit", draft.pk)}"' in page


# --------------------------------------------------------------------------- the decision


class TestDecisionOnTheOrganisationsPages:
    def test_the_overview_shows_the_decision_the_note_and_the_comments(
        self, client, org_viewer, changes_requested
    ):
        page = html_of(client, org_viewer, url("detail", changes_requested.pk))
        assert 'id="last-decision" data-action="request_changes"' in page
        assert "请补充 CSL-01。" in page
        assert "请补充制度文件。" in page and "整体说明不足。" in page
        assert 'data-status="changes_requested"' in page
        assert 'class="mt-1 reply-form"' not in page  # a viewer cannot reply

    def test_the_result_page_shows_the_decision_and_the_comments(
        self, client, org_owner, changes_requested
    ):
        submission = changes_requested.submissions.get()
        page = html_of(client, org_owner, url("submission", submission.pk))
        assert 'id="last-decision" data-action="request_changes"' in page
        assert "请补充制度文件。" in page

    def test_an_override_is_shown_beside_the_computed_tier_never_instead(
        self, client, org_owner, submitted, regulator
    ):
        submission = submitted.submissions.get()
        computed = submission.result.overall_tier
        review.tier_override_set(
            submission=submission, by=regulator, tier="critical", reason="屡次违规"
        )
        page = html_of(client, org_owner, url("submission", submission.pk))
        assert f'id="overall-tier" data-tier="{computed}"' in page
        assert 'id="tier-override" data-override="critical"' in page
        assert "屡次违规" in page
        listing = html_of(client, org_owner, url("list"))
        assert f'data-tier="{computed}"' in listing and 'data-override="critical"' in listing
        overview = html_of(client, org_owner, url("detail", submitted.pk))
        assert f'data-tier="{computed}"' in overview and 'data-override="critical"' in overview

    def test_the_report_prints_the_attestation_and_the_override(self, submitted, regulator):
        submission = submitted.submissions.get()
        review.tier_override_set(
            submission=submission, by=regulator, tier="high", reason="抽查发现问题"
        )
        html = reports.report_html(submission, submission.result)
        assert 'id="overall-tier"' in html and 'data-override="high"' in html
        assert "抽查发现问题" in html
        assert 'id="attestation"' in html and "法定代表人" in html and "张三" in html

    def test_the_result_page_prints_the_attestation(self, client, org_owner, submitted):
        submission = submitted.submissions.get()
        page = html_of(client, org_owner, url("submission", submission.pk))
        statement = page[page.index('id="attestation-statement"') :]
        assert submission.attestation["statement"] in statement
        assert "张三 · 法定代表人" in page

    def test_the_list_shows_tier_status_and_decision(self, client, org_owner, changes_requested):
        page = html_of(client, org_owner, url("list"))
        tier = changes_requested.submissions.get().result.overall_tier
        assert f'data-tier="{tier}"' in page
        assert 'data-status="changes_requested"' in page
        assert 'class="small assessment-decision" data-action="request_changes"' in page

    def test_the_list_runs_a_fixed_number_of_queries(
        self, client, org_owner, organisation, regulator, django_assert_max_num_queries
    ):
        def add_reviewed_assessment():
            assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
            complete(assessment, org_owner)
            submission = scored_submission(assessment, org_owner)
            review.tier_override_set(submission=submission, by=regulator, tier="high", reason="r")
            review.review_decide(assessment=assessment, by=regulator, action="accept")

        client.force_login(org_owner)
        add_reviewed_assessment()
        with CaptureQueriesContext(connection) as one:
            assert client.get(url("list")).status_code == 200
        for _ in range(4):
            add_reviewed_assessment()
        with django_assert_max_num_queries(len(one)):
            page = client.get(url("list")).content.decode()
        assert page.count('data-action="accept"') == 5

    def test_question_comments_show_on_the_section_page_while_changes_are_requested(
        self, client, org_editor, changes_requested
    ):
        page = html_of(client, org_editor, url("section", changes_requested.pk, "CSL"))
        assert (
            'class="alert alert-warning small mb-1 question-review-comments" data-question="CSL-01"'
            in page
        )
        assert "请补充制度文件。" in page
        assert "整体说明不足。" not in page  # the general comment belongs to the overview

    def test_comments_do_not_show_on_the_section_page_once_resubmitted(
        self, client, org_owner, changes_requested
    ):
        services_reopen(changes_requested, org_owner)
        assert "请补充制度文件。" in html_of(
            client, org_owner, url("section", changes_requested.pk, "CSL")
        )
        submit(changes_requested, org_owner)
        assert "请补充制度文件。" not in html_of(
            client, org_owner, url("section", changes_requested.pk, "CSL")
        )

    def test_the_section_page_with_comments_runs_a_fixed_number_of_queries(
        self, client, org_owner, changes_requested, regulator, settings
    ):
        settings.PAGE_CACHE_SECONDS = 0  # counts the queries of rendering the page
        client.force_login(org_owner)
        address = url("section", changes_requested.pk, "CSL")
        client.get(address)  # renders the cached question headers; measured from then on
        with CaptureQueriesContext(connection) as few:
            client.get(address)
        for n in range(5):
            ReviewComment.objects.create(
                assessment=changes_requested,
                submission=changes_requested.submissions.get(),
                question_code=("CSL-02", "CSL-03")[n % 2],
                author=regulator,
                body=f"意见 {n}",
                created_at=changes_requested.updated_at,
            )
        with CaptureQueriesContext(connection) as more:
            page = client.get(address).content.decode()
        assert "意见 4" in page
        assert len(more) == len(few)


def services_reopen(assessment, by):
    from assessments import services

    services.assessment_reopen(assessment=assessment, by=by)
    assessment.refresh_from_db()


# --------------------------------------------------------------------------- reopening


class TestReopen:
    def test_the_owner_sees_the_button_and_reopens(self, client, org_owner, changes_requested):
        page = html_of(client, org_owner, url("detail", changes_requested.pk))
        assert 'id="reopen-assessment"' in page
        response = client.post(url("reopen", changes_requested.pk))
        assert response.status_code == 302
        changes_requested.refresh_from_db()
        assert changes_requested.status == Assessment.Status.REOPENED
        assert 'id="reopen-assessment"' not in html_of(
            client, org_owner, url("detail", changes_requested.pk)
        )

    @pytest.mark.parametrize("persona", ["org_editor", "org_viewer"])
    def test_editors_and_viewers_cannot_reopen(self, client, request, changes_requested, persona):
        user = request.getfixturevalue(persona)
        assert 'id="reopen-assessment"' not in html_of(
            client, user, url("detail", changes_requested.pk)
        )
        assert client.post(url("reopen", changes_requested.pk)).status_code == 403
        changes_requested.refresh_from_db()
        assert changes_requested.status == Assessment.Status.CHANGES_REQUESTED

    def test_another_organisation_gets_a_404(self, client, other_org_user, changes_requested):
        client.force_login(other_org_user)
        assert client.post(url("reopen", changes_requested.pk)).status_code == 404

    def test_reopening_without_a_request_is_refused_with_a_message(
        self, client, org_owner, submitted
    ):
        client.force_login(org_owner)
        response = client.post(url("reopen", submitted.pk), follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        submitted.refresh_from_db()
        assert submitted.status == Assessment.Status.SCORED


# --------------------------------------------------------------------------- replies


class TestReplies:
    def comment(self, assessment, general=False):
        return ReviewComment.objects.get(
            assessment=assessment, question_code="" if general else "CSL-01"
        )

    def test_an_editor_replies_once_and_may_change_the_reply(
        self, client, org_editor, changes_requested
    ):
        comment = self.comment(changes_requested)
        client.force_login(org_editor)
        address = url("comment_reply", changes_requested.pk, comment.pk)
        assert 'class="mt-1 reply-form"' in html_of(
            client, org_editor, url("detail", changes_requested.pk)
        )
        response = client.post(address, {"body": "已补充。"})
        assert response.status_code == 302
        assert response["Location"].endswith(f"#comment-{comment.pk}")
        client.post(address, {"body": "已补充制度文件。"})
        reply = CommentReply.objects.get()
        assert (reply.comment, reply.body, reply.author) == (
            comment,
            "已补充制度文件。",
            org_editor,
        )
        assert "已补充制度文件。" in html_of(
            client, org_editor, url("detail", changes_requested.pk)
        )

    def test_a_viewer_cannot_reply(self, client, org_viewer, changes_requested):
        client.force_login(org_viewer)
        comment = self.comment(changes_requested)
        response = client.post(
            url("comment_reply", changes_requested.pk, comment.pk), {"body": "x"}
        )
        assert response.status_code == 403
        assert CommentReply.objects.count() == 0

    def test_another_organisation_gets_a_404(self, client, other_org_user, changes_requested):
        client.force_login(other_org_user)
        comment = self.comment(changes_requested)
        response = client.post(
            url("comment_reply", changes_requested.pk, comment.pk), {"body": "x"}
        )
        assert response.status_code == 404

    def test_a_comment_of_another_assessment_is_a_404(
        self, client, org_owner, organisation, changes_requested
    ):
        other = start_assessment(organisation, org_owner, S01="domestic", S02=500)
        client.force_login(org_owner)
        comment = self.comment(changes_requested)
        response = client.post(url("comment_reply", other.pk, comment.pk), {"body": "x"})
        assert response.status_code == 404
        assert CommentReply.objects.count() == 0

    def test_replies_are_allowed_while_reopened(self, client, org_owner, changes_requested):
        services_reopen(changes_requested, org_owner)
        client.force_login(org_owner)
        comment = self.comment(changes_requested, general=True)
        client.post(url("comment_reply", changes_requested.pk, comment.pk), {"body": "已说明。"})
        assert CommentReply.objects.get().body == "已说明。"

    def test_replies_are_refused_outside_a_request_for_changes(
        self, client, org_owner, submitted, regulator
    ):
        comment = review.review_comment_add(assessment=submitted, by=regulator, body="看一下")
        client.force_login(org_owner)
        response = client.post(
            url("comment_reply", submitted.pk, comment.pk), {"body": "好的"}, follow=True
        )
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert CommentReply.objects.count() == 0

    def test_an_empty_reply_is_refused(self, client, org_owner, changes_requested):
        client.force_login(org_owner)
        comment = self.comment(changes_requested)
        client.post(url("comment_reply", changes_requested.pk, comment.pk), {"body": "  "})
        assert CommentReply.objects.count() == 0


# --------------------------------------------------------------------------- resubmitting


def frozen_rows(submission):
    """Every stored value of a submission, its result and its findings."""
    stored = ScoreResult.objects.get(submission=submission)
    return (
        Submission.objects.filter(pk=submission.pk).values().get(),
        ScoreResult.objects.filter(pk=stored.pk).values().get(),
        list(Finding.objects.filter(result=stored).order_by("pk").values()),
    )


class TestResubmission:
    def test_reopen_and_resubmit_keep_the_first_snapshot_and_result_byte_for_byte(
        self, client, org_owner, changes_requested
    ):
        first = changes_requested.submissions.get()
        before = frozen_rows(first)
        client.force_login(org_owner)
        client.post(url("reopen", changes_requested.pk))
        answer(changes_requested, "CSL-01", org_owner, level=1)
        response = client.post(url("submit", changes_requested.pk), ATTESTING)
        second = Submission.objects.get(number=2)
        assert response["Location"] == url("submission", second.pk)
        results.submission_score(second.pk)
        assert frozen_rows(first) == before
        assert second.answers["CSL-01"]["level"] == 1 and first.answers["CSL-01"]["level"] == 3
        changes_requested.refresh_from_db()
        assert changes_requested.status == Assessment.Status.RESUBMITTED

    def test_the_resubmissions_result_shows_the_change_since_the_previous_one(
        self, client, org_owner, changes_requested
    ):
        services_reopen(changes_requested, org_owner)
        answer(changes_requested, "CSL-01", org_owner, level=0)
        second = scored_submission(changes_requested, org_owner)
        assert changes_requested.status == Assessment.Status.RESUBMITTED
        page = html_of(client, org_owner, url("submission", second.pk))
        assert 'id="tier-changes"' in page
        assert 'data-module="CSL" data-direction="worse"' in page
        assert 'data-module="PIPL" data-direction="same"' in page

    def test_the_submit_page_speaks_of_a_resubmission_once_reopened(
        self, client, org_owner, changes_requested
    ):
        services_reopen(changes_requested, org_owner)
        page = html_of(client, org_owner, url("submit", changes_requested.pk))
        assert 'id="confirm-submit"' in page and 'id="summary-answered">6/6<' in page


# --------------------------------------------------------------------------- starting again


class TestStartingAgain:
    def test_a_new_assessment_offers_the_last_submissions_scoping_answers(
        self, client, org_owner, organisation, submitted
    ):
        fresh = start_assessment(organisation, org_owner)
        page = html_of(client, org_owner, url("section", fresh.pk, "SCOPING"))
        offer = page[page.index('id="previous-scoping"') :]
        assert "境内" in offer  # the label of "domestic", not the key
        assert 'id="reuse-scoping"' in offer
        assert fresh.answers.count() == 0  # nothing applied silently

    def test_using_them_applies_the_answers_and_derives_the_scope(
        self, client, org_editor, org_owner, organisation, submitted
    ):
        fresh = start_assessment(organisation, org_owner)
        client.force_login(org_editor)
        response = client.post(url("scoping_reuse", fresh.pk))
        assert response.status_code == 302
        fresh.refresh_from_db()
        assert selectors.scoping_answers(fresh) == {"S01": "domestic", "S02": 500}
        assert set(fresh.modules) == {"CSL", "PIPL"}
        page = html_of(client, org_editor, url("section", fresh.pk, "SCOPING"))
        assert 'id="previous-in-use"' in page and 'id="reuse-scoping"' not in page

    def test_a_viewer_cannot_apply_them(
        self, client, org_viewer, org_owner, organisation, submitted
    ):
        fresh = start_assessment(organisation, org_owner)
        client.force_login(org_viewer)
        assert client.post(url("scoping_reuse", fresh.pk)).status_code == 403
        assert fresh.answers.count() == 0

    def test_nothing_is_offered_to_an_organisation_that_never_submitted(
        self, client, org_owner, draft
    ):
        page = html_of(client, org_owner, url("section", draft.pk, "SCOPING"))
        assert 'id="previous-scoping"' not in page
        client.force_login(org_owner)
        assert client.post(url("scoping_reuse", draft.pk)).status_code == 404

    def test_another_organisations_submission_is_never_offered(
        self, client, other_org_user, other_organisation, submitted
    ):
        fresh = start_assessment(other_organisation, other_org_user)
        page = html_of(client, other_org_user, url("section", fresh.pk, "SCOPING"))
        assert 'id="previous-scoping"' not in page


# --------------------------------------------------------------------------- audit of reads


class TestAuditOfRegulatorReads:
    def verbs(self):
        return list(AuditEvent.objects.filter(verb__in=READS).values_list("verb", "data"))

    def test_a_regulator_viewing_the_result_is_recorded_but_not_the_polling(
        self, client, regulator, submitted
    ):
        submission = submitted.submissions.get()
        client.force_login(regulator)
        assert client.get(url("submission", submission.pk)).status_code == 200
        assert client.get(url("submission_status", submission.pk)).status_code == 200
        assert self.verbs() == [
            ("submission.view", {"assessment": submitted.pk, "number": 1}),
        ]

    def test_a_regulator_downloading_the_pdf_is_recorded(
        self, client, regulator, submitted, monkeypatch
    ):
        monkeypatch.setattr(reports, "report_pdf", lambda *args, **kwargs: b"%PDF-1.4")
        client.force_login(regulator)
        assert client.get(url("report", submitted.submissions.get().pk)).status_code == 200
        assert [verb for verb, _data in self.verbs()] == ["submission.pdf"]

    def test_a_regulator_downloading_evidence_is_recorded(
        self, client, org_owner, regulator, draft, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        complete(draft, org_owner)
        client.force_login(org_owner)
        client.post(
            url("evidence_upload", draft.pk, "CSL-01"),
            {"file": SimpleUploadedFile("制度.pdf", PDF_BYTES)},
        )
        submit(draft, org_owner)
        evidence = draft.answers.get(question__code="CSL-01").evidence.get()
        client.get(url("evidence", evidence.pk))  # the member's own download is not audited
        client.force_login(regulator)
        assert client.get(url("evidence", evidence.pk)).status_code == 200
        event = AuditEvent.objects.get(verb="evidence.download")
        assert event.actor == regulator and event.data["assessment"] == draft.pk
        assert event.object_id == str(evidence.pk)

    def test_members_reading_their_own_result_are_not_recorded(self, client, org_viewer, submitted):
        html_of(client, org_viewer, url("submission", submitted.submissions.get().pk))
        assert self.verbs() == []

    def test_a_regulator_who_is_also_a_member_is_reading_as_a_member(
        self, client, regulator, organisation, submitted
    ):
        MembershipFactory(organisation=organisation, user=regulator, role="viewer")
        html_of(client, regulator, url("submission", submitted.submissions.get().pk))
        assert self.verbs() == []


READS = ["submission.view", "submission.pdf", "evidence.download"]
