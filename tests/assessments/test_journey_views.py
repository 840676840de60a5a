import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, Assessment, Evidence, Submission
from tests.assessments import factories
from tests.assessments.factories import (
    answer,
    load_small_questionnaire,
    start_assessment,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def questionnaire(db):
    return load_small_questionnaire()


@pytest.fixture
def assessment(organisation, org_owner):
    return start_assessment(organisation, org_owner, S01="domestic", S02=500)


def answer_url(assessment, code):
    return reverse("assessments:answer", args=[assessment.pk, code])


def post_answer(client, assessment, code, revision=0, **fields):
    data = {f"{code}-revision": revision}
    data.update({f"{code}-{key}": value for key, value in fields.items()})
    return client.post(answer_url(assessment, code), data, HTTP_HX_REQUEST="true")


def saved(assessment, code):
    return Answer.objects.filter(assessment=assessment, question__code=code).first()


class TestStart:
    def test_an_editor_starts_an_assessment_on_the_published_version(
        self, client, org_editor, organisation
    ):
        client.force_login(org_editor)
        response = client.post(reverse("assessments:start", args=[organisation.pk]))
        assessment = Assessment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "assessments:section", args=[assessment.pk, "SCOPING"]
        )
        assert assessment.version.number == 1 and assessment.grade == "G1"

    def test_a_viewer_cannot_start_one(self, client, org_viewer, organisation):
        client.force_login(org_viewer)
        assert client.post(reverse("assessments:start", args=[organisation.pk])).status_code == 403
        assert Assessment.objects.count() == 0

    def test_an_outsider_gets_a_404(self, client, other_org_user, organisation):
        client.force_login(other_org_user)
        assert client.post(reverse("assessments:start", args=[organisation.pk])).status_code == 404


class TestScoping:
    def test_scoping_answers_set_the_grade_and_modules_with_reasons(
        self, client, org_owner, organisation
    ):
        assessment = start_assessment(organisation, org_owner)
        client.force_login(org_owner)
        assert post_answer(client, assessment, "S01", answer="domestic").status_code == 200
        response = post_answer(client, assessment, "S02", answer="2000000")
        assert response.status_code == 200
        assert response["HX-Trigger"] == "scoping-changed"
        assessment.refresh_from_db()
        assert assessment.grade == "G2"
        assert assessment.modules == ["CSL", "PIPL"]
        client.cookies["django_language"] = "en"
        page = client.get(reverse("assessments:section", args=[assessment.pk, "SCOPING"]))
        body = page.content.decode()
        assert "Personal information of 1M+ people" in body and "Operates in China" in body

    def test_an_inactive_module_section_is_a_404(self, client, org_owner, organisation):
        assessment = start_assessment(organisation, org_owner, S01="neither")
        client.force_login(org_owner)
        response = client.get(reverse("assessments:section", args=[assessment.pk, "CSL"]))
        assert response.status_code == 404


class TestAutosave:
    def test_an_answer_saves_and_says_so(self, client, org_editor, assessment):
        client.force_login(org_editor)
        response = post_answer(client, assessment, "CSL-01", answer="2", comment="见制度文件")
        assert response.status_code == 200
        assert 'data-state="saved"' in response.content.decode()
        stored = saved(assessment, "CSL-01")
        assert (stored.level, stored.comment, stored.revision) == (2, "见制度文件", 1)

    def test_na_needs_a_reason(self, client, org_editor, assessment):
        client.force_login(org_editor)
        response = post_answer(client, assessment, "PIPL-01", na="on", na_reason="  ")
        assert response.status_code == 422
        assert saved(assessment, "PIPL-01") is None
        ok = post_answer(
            client, assessment, "PIPL-01", na="on", na_reason="不处理员工以外的个人信息"
        )
        assert ok.status_code == 200
        assert saved(assessment, "PIPL-01").na_reason == "不处理员工以外的个人信息"

    def test_na_is_refused_where_not_allowed(self, client, org_editor, assessment):
        client.force_login(org_editor)
        response = post_answer(client, assessment, "CSL-01", na="on", na_reason="不适用")
        assert response.status_code == 422
        assert saved(assessment, "CSL-01") is None

    def test_the_later_of_two_conflicting_saves_is_refused_and_shown(
        self, client, org_owner, org_editor, assessment
    ):
        client.force_login(org_owner)
        assert post_answer(client, assessment, "CSL-01", revision=0, answer="3").status_code == 200
        other = Client()
        other.force_login(org_editor)
        response = post_answer(other, assessment, "CSL-01", revision=0, answer="1")
        assert response.status_code == 409
        body = response.content.decode()
        assert "conflict" in body and str(org_owner) in body
        assert 'value="3"' in body and "checked" in body
        stored = saved(assessment, "CSL-01")
        assert (stored.level, stored.revision, stored.updated_by) == (3, 1, org_owner)

    def test_a_viewer_cannot_save(self, client, org_viewer, assessment):
        client.force_login(org_viewer)
        assert post_answer(client, assessment, "CSL-01", answer="3").status_code == 403
        assert saved(assessment, "CSL-01") is None


class TestTamperedRequests:
    def test_a_question_of_another_version_is_refused(self, client, org_editor, assessment):
        from assessments.loading import questionnaire_load
        from tests.assessments.factories import small_spec

        spec = small_spec(extra_csl_questions=1)
        spec["version"] = 2
        questionnaire_load(spec)  # CSL-04 exists only in version 2
        client.force_login(org_editor)
        response = post_answer(client, assessment, "CSL-04", answer="3")
        assert response.status_code == 404
        assert Answer.objects.filter(assessment=assessment, question__code="CSL-04").count() == 0

    def test_another_organisations_assessment_is_a_404(self, client, other_org_user, assessment):
        client.force_login(other_org_user)
        assert post_answer(client, assessment, "CSL-01", answer="3").status_code == 404
        assert saved(assessment, "CSL-01") is None

    def test_a_level_of_7_is_refused(self, client, org_editor, assessment):
        client.force_login(org_editor)
        response = post_answer(client, assessment, "CSL-01", answer="7")
        assert response.status_code == 422
        assert "7" in response.content.decode()
        assert saved(assessment, "CSL-01") is None

    def test_a_100000_character_comment_is_refused(self, client, org_editor, assessment):
        client.force_login(org_editor)
        response = post_answer(client, assessment, "CSL-01", answer="3", comment="长" * 100_000)
        assert response.status_code == 422
        assert "2000" in response.content.decode()
        assert saved(assessment, "CSL-01") is None

    def test_a_missing_csrf_token_is_refused(self, org_editor, assessment):
        client = Client(enforce_csrf_checks=True)
        client.force_login(org_editor)
        response = post_answer(client, assessment, "CSL-01", answer="3")
        assert response.status_code == 403
        assert saved(assessment, "CSL-01") is None

    def test_an_answer_after_submission_is_refused(self, client, org_editor, assessment):
        Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
        client.force_login(org_editor)
        response = post_answer(client, assessment, "CSL-01", answer="3")
        assert response.status_code == 422
        assert (
            "can no longer be changed" in response.content.decode()
            or "不能再修改" in response.content.decode()
        )
        assert saved(assessment, "CSL-01") is None

    def test_an_exe_renamed_pdf_is_refused(self, client, org_editor, assessment):
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        fake = SimpleUploadedFile("policy.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
        response = client.post(
            reverse("assessments:evidence_upload", args=[assessment.pk, "CSL-01"]), {"file": fake}
        )
        assert response.status_code == 422
        assert "PDF, PNG, JPEG, DOCX, XLSX" in response.content.decode()
        assert Evidence.objects.count() == 0


class TestEvidence:
    def upload(self, client, assessment, name, content):
        return client.post(
            reverse("assessments:evidence_upload", args=[assessment.pk, "CSL-01"]),
            {"file": SimpleUploadedFile(name, content)},
        )

    def test_a_pdf_is_stored_with_its_hash_outside_the_public_path(
        self, client, org_editor, assessment, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        assert self.upload(client, assessment, "制度.pdf", PDF_BYTES).status_code == 200
        evidence = Evidence.objects.get()
        import hashlib

        assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
        assert (evidence.content_type, evidence.size) == ("application/pdf", len(PDF_BYTES))
        assert not evidence.file.name.startswith(("static", "media"))
        assert evidence.file.path.startswith(str(tmp_path))

    def test_docx_and_xlsx_are_recognised_by_their_parts(
        self, client, org_editor, assessment, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        for name, part, expected in [
            ("a.docx", "word/document.xml", "wordprocessingml"),
            ("b.xlsx", "xl/workbook.xml", "spreadsheetml"),
        ]:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as package:
                package.writestr("[Content_Types].xml", "<Types/>")
                package.writestr(part, "<x/>")
            assert self.upload(client, assessment, name, buffer.getvalue()).status_code == 200
            assert expected in Evidence.objects.latest("pk").content_type

    def test_a_plain_zip_is_not_an_office_file(self, client, org_editor, assessment):
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr("evil.sh", "rm -rf /")
        assert self.upload(client, assessment, "x.docx", buffer.getvalue()).status_code == 422

    def test_a_file_over_20_mb_is_refused(self, client, org_editor, assessment):
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        big = PDF_BYTES + b"0" * (20 * 1024 * 1024)
        response = self.upload(client, assessment, "big.pdf", big)
        assert response.status_code == 422
        assert Evidence.objects.count() == 0

    def test_only_members_and_regulators_in_jurisdiction_download(
        self,
        client,
        org_editor,
        org_viewer,
        other_org_user,
        out_of_jurisdiction_regulator,
        assessment,
        settings,
        tmp_path,
    ):
        settings.MEDIA_ROOT = tmp_path
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        self.upload(client, assessment, "制度.pdf", PDF_BYTES)
        url = reverse("assessments:evidence", args=[Evidence.objects.get().pk])
        client.force_login(org_viewer)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        for outsider in (other_org_user, out_of_jurisdiction_regulator):
            client.force_login(outsider)
            assert client.get(url).status_code == 404


ATTESTING = {"name": "张三", "role": "法定代表人", "confirm": "on"}


class TestSubmit:
    def complete(self, assessment, user):
        answer(assessment, "CSL-01", user, level=3)
        answer(assessment, "CSL-02", user, value=True)
        answer(assessment, "CSL-03", user, value=6)
        answer(assessment, "PIPL-01", user, na_reason="仅处理匿名化信息")

    def test_it_lists_what_is_missing(self, client, org_owner, assessment):
        client.force_login(org_owner)
        page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
        assert "CSL-01" in page and "#q-CSL-01" in page
        response = client.post(
            reverse("assessments:submit", args=[assessment.pk]), ATTESTING, follow=True
        )
        assert "CSL-01" in response.content.decode()
        refusals = [str(m) for m in response.context["messages"]]
        assert len(refusals) == 1 and "CSL-01" in refusals[0]
        assert Submission.objects.count() == 0

    def test_it_freezes_a_snapshot_and_enqueues_scoring_after_commit(
        self, client, org_owner, assessment, django_capture_on_commit_callbacks, monkeypatch
    ):
        from assessments import services

        enqueued = []
        monkeypatch.setattr(services, "enqueue_scoring", enqueued.append)
        self.complete(assessment, org_owner)
        client.force_login(org_owner)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("assessments:submit", args=[assessment.pk]), ATTESTING)
        submission = Submission.objects.get()
        assert enqueued == []  # nothing before commit
        for callback in callbacks:
            callback()
        assert enqueued == [submission.pk]
        assert response.status_code == 302
        assert submission.number == 1
        assert submission.answers["CSL-01"]["level"] == 3
        assert submission.answers["PIPL-01"]["na_reason"] == "仅处理匿名化信息"
        assert "PIPL-02" not in submission.answers  # not applicable below 1M people
        assert submission.scoping["grade"] == "G1"
        assert submission.editions == [
            {"regulation": "TST", "edition_id": None, "effective_from": None}
        ]
        assessment.refresh_from_db()
        assert assessment.status == Assessment.Status.SUBMITTED

    def test_only_an_owner_submits(self, client, org_editor, assessment):
        self.complete(assessment, org_editor)
        client.force_login(org_editor)
        url = reverse("assessments:submit", args=[assessment.pk])
        assert client.post(url, ATTESTING).status_code == 403
        assert Submission.objects.count() == 0


class TestQueryCounts:
    def test_a_section_page_runs_a_fixed_number_of_queries(
        self, client, org_owner, organisation, django_assert_max_num_queries
    ):
        from tests.assessments.factories import start_on_a_new_version

        counts = {}
        for version, extra in ((2, 2), (3, 27)):
            assessment = start_on_a_new_version(organisation, org_owner, version, extra)
            for code in ("CSL-01", "CSL-02", "CSL-04"):
                kind = {"CSL-02": {"value": True}}.get(code, {"level": 2})
                answer(assessment, code, org_owner, **kind)
            client.force_login(org_owner)
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("assessments:section", args=[assessment.pk, "CSL"]))
            assert response.status_code == 200
            counts[extra + 3] = len(captured)
        assert counts[30] == counts[5], counts
        with django_assert_max_num_queries(counts[30]):
            client.get(reverse("assessments:section", args=[assessment.pk, "CSL"]))

    def test_autosave_runs_a_fixed_number_of_queries(self, client, org_owner, organisation):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.assessments.factories import start_on_a_new_version

        counts = {}
        client.force_login(org_owner)
        for version, extra in ((2, 2), (3, 27)):
            assessment = start_on_a_new_version(organisation, org_owner, version, extra)
            post_answer(client, assessment, "CSL-01", answer="1")
            with CaptureQueriesContext(connection) as captured:
                response = post_answer(client, assessment, "CSL-01", revision=1, answer="2")
            assert response.status_code == 200
            counts[extra + 3] = len(captured)
        assert counts[30] == counts[5], counts

    def test_the_overview_runs_a_fixed_number_of_queries(self, client, org_owner, organisation):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.assessments.factories import start_on_a_new_version

        counts = {}
        client.force_login(org_owner)
        for version, extra in ((2, 2), (3, 27)):
            assessment = start_on_a_new_version(organisation, org_owner, version, extra)
            for n in range(1, extra + 4):
                if n != 3:  # CSL-03 is a number question; the others are levels or yes/no
                    kind = {2: {"value": True}}.get(n, {"level": 2})
                    answer(assessment, f"CSL-{n:02d}", org_owner, **kind)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("assessments:detail", args=[assessment.pk]))
            assert response.status_code == 200
            counts[extra + 3] = len(captured)
        assert counts[30] == counts[5], counts


class TestProgressAndResume:
    def test_a_save_updates_the_section_counter_out_of_band(self, client, org_editor, assessment):
        client.force_login(org_editor)
        body = post_answer(client, assessment, "CSL-01", answer="2").content.decode()
        assert '<strong id="section-progress" hx-swap-oob="true">1/3</strong>' in body

    def test_the_overview_offers_to_continue_at_the_first_unanswered_question(
        self, client, org_owner, assessment
    ):
        answer(assessment, "CSL-01", org_owner, level=3)
        client.force_login(org_owner)
        page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
        resume = reverse("assessments:section", args=[assessment.pk, "CSL"]) + "#q-CSL-02"
        assert f'id="resume" href="{resume}"' in page
        assert 'id="overall-progress">3/6<' in page


def test_a_submission_cannot_be_changed_once_frozen(org_owner, assessment):
    from assessments.services import assessment_submit

    TestSubmit().complete(assessment, org_owner)
    submission = assessment_submit(
        assessment=assessment, by=org_owner, attestation=factories.ATTESTATION
    )
    submission.answers["CSL-01"]["level"] = 0
    with pytest.raises(ValueError, match="frozen"):
        submission.save()
    submission.refresh_from_db()
    assert submission.answers["CSL-01"]["level"] == 3


class TestScopingDetails:
    def test_none_cannot_be_combined_with_other_choices(self, client, org_editor, organisation):
        from assessments.loading import questionnaire_load
        from tests.assessments.factories import small_spec

        spec = small_spec()
        spec["version"] = 2
        spec["sections"][0]["questions"].append(
            {
                "code": "S03",
                "type": "multi",
                "text": {"zh": "类型", "en": "Kinds"},
                "choices": [
                    {"value": "a", "label": {"zh": "甲", "en": "A"}},
                    {"value": "none", "label": {"zh": "无", "en": "None"}},
                ],
            }
        )
        questionnaire_load(spec)
        assessment = start_assessment(organisation, org_editor)
        client.force_login(org_editor)
        response = client.post(
            answer_url(assessment, "S03"), {"S03-revision": 0, "S03-answer": ["a", "none"]}
        )
        assert response.status_code == 422
        assert saved(assessment, "S03") is None
        ok = client.post(answer_url(assessment, "S03"), {"S03-revision": 0, "S03-answer": ["none"]})
        assert ok.status_code == 200
        assert saved(assessment, "S03").value == ["none"]

    def test_a_scoping_question_with_a_rule_is_asked_only_when_it_holds(
        self, client, org_editor, organisation
    ):
        from assessments.loading import questionnaire_load
        from assessments.selectors import missing_answers
        from tests.assessments.factories import small_spec

        spec = small_spec()
        spec["version"] = 2
        spec["sections"][0]["questions"].append(
            {
                "code": "S03",
                "type": "number",
                "range": {"min": 0, "max": 10**10},
                "text": {"zh": "多少敏感信息？", "en": "How many?"},
                "applies_when": {"fact": "S02", "op": "gt", "value": 0},
            }
        )
        questionnaire_load(spec)
        assessment = start_assessment(organisation, org_editor, S01="neither", S02=0)
        assert "S03" not in [q.code for q in missing_answers(assessment)]
        assessment = start_assessment(organisation, org_editor, S01="neither", S02=10)
        assert "S03" in [q.code for q in missing_answers(assessment)]


def test_a_regulator_in_jurisdiction_sees_evidence_only_once_submitted(
    client, org_owner, regulator, assessment, settings, tmp_path
):
    from assessments.services import assessment_submit

    settings.MEDIA_ROOT = tmp_path
    TestSubmit().complete(assessment, org_owner)
    client.force_login(org_owner)
    client.post(
        reverse("assessments:evidence_upload", args=[assessment.pk, "CSL-01"]),
        {"file": SimpleUploadedFile("制度.pdf", PDF_BYTES)},
    )
    url = reverse("assessments:evidence", args=[Evidence.objects.get().pk])
    client.force_login(regulator)
    assert client.get(url).status_code == 404  # a draft is never shown to a regulator
    assessment_submit(assessment=assessment, by=org_owner, attestation=factories.ATTESTATION)
    assert client.get(url).status_code == 200
