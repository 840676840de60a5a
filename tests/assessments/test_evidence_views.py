"""Evidence on the member's pages: the "required" badge follows the scoring rule (it shows only
where a missing file can lower the score), missing evidence is listed with its consequence on
the overview and before submitting, a draft's file can be removed, and a refused file says so
under the evidence without claiming the answer was lost."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.loading import questionnaire_load
from assessments.models import Evidence
from portal.models import AuditEvent
from tests.assessments.factories import (
    answer,
    ensure_test_regulation,
    small_spec,
    start_assessment,
    submit,
)
from tests.assessments.results_support import forget_cached_questions

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def questionnaire(db):
    """The small questionnaire, with two CSL questions changed to test the badge's rule:
    CSL-02 (weight 5, no `evidence_from` in the file) can be capped at G2; CSL-03 (weight 5,
    `evidence_from: G2`) can never reach above "Largely", so the cap never bites."""
    forget_cached_questions()
    ensure_test_regulation()
    spec = small_spec()
    csl = spec["sections"][1]["questions"]
    csl[1].update(weight=5, evidence_from=None)
    csl[2].update(
        weight=5,
        evidence_from="G2",
        thresholds=[{"min": 6, "level": 2}, {"min": 3, "level": 1}, {"level": 0}],
    )
    return questionnaire_load(spec).version


@pytest.fixture
def draft(organisation, org_owner):
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
    assert assessment.grade == "G2"  # evidence is required at weight 5
    return assessment


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def badge(page: str, code: str) -> str:
    """The evidence badge of question `code` on a section page ("" when there is none)."""
    block = page.split(f'id="q-{code}"', 1)[1].split("</article>", 1)[0]
    if 'data-evidence="capped"' in block:
        return "capped"
    return "needed" if 'data-evidence="needed"' in block else ""


def attach(client, assessment, code, name="制度.pdf"):
    return client.post(
        url("evidence_upload", assessment.pk, code), {"file": SimpleUploadedFile(name, PDF_BYTES)}
    )


class TestTheBadge:
    def test_it_follows_the_scoring_rule_not_the_files_evidence_from(
        self, client, draft, org_owner
    ):
        client.force_login(org_owner)
        page = client.get(url("section", draft.pk, "CSL")).content.decode()
        assert badge(page, "CSL-01") == "needed"
        assert badge(page, "CSL-02") == "needed"  # weight 5 at G2, whatever the file says
        assert badge(page, "CSL-03") == ""  # its best answer is "Largely": the cap never bites

    def test_an_answer_above_the_cap_without_evidence_says_it_is_capped(
        self, client, draft, org_owner
    ):
        answer(draft, "CSL-01", org_owner, level=3)
        answer(draft, "CSL-02", org_owner, value=False)
        client.force_login(org_owner)
        page = client.get(url("section", draft.pk, "CSL")).content.decode()
        assert badge(page, "CSL-01") == "capped"
        assert "“基本实施”" in page
        assert badge(page, "CSL-02") == ""  # "no" is level 0: a file would change nothing

    def test_it_goes_once_a_file_is_attached_or_the_grade_does_not_ask(
        self, client, organisation, org_owner, draft
    ):
        answer(draft, "CSL-01", org_owner, level=3)
        client.force_login(org_owner)
        page = attach(client, draft, "CSL-01").content.decode()
        assert badge(page, "CSL-01") == ""
        small = start_assessment(organisation, org_owner, S01="domestic", S02=500)
        assert small.grade == "G1"
        page = client.get(url("section", small.pk, "CSL")).content.decode()
        assert "data-evidence=" not in page


class TestMissingEvidenceLists:
    def test_the_overview_lists_capped_answers_with_the_consequence(self, client, draft, org_owner):
        answer(draft, "CSL-01", org_owner, level=3)
        answer(draft, "CSL-03", org_owner, value=12)
        client.force_login(org_owner)
        client.cookies["django_language"] = "zh-hans"
        page = client.get(url("detail", draft.pk)).content.decode()
        listed = page.split('id="evidence-missing-list"', 1)[1].split("</ul>", 1)[0]
        assert 'data-question="CSL-01"' in listed and "最多按“基本实施”计分" in listed
        assert "CSL-03" not in listed

    def test_the_submit_check_lists_them_too(self, client, draft, org_owner):
        answer(draft, "CSL-01", org_owner, level=3)
        client.force_login(org_owner)
        page = client.get(url("submit", draft.pk)).content.decode()
        assert 'id="summary-evidence">1<' in page
        assert 'data-question="CSL-01"' in page.split('id="evidence-missing-list"', 1)[1]


class TestRemovingEvidence:
    @pytest.fixture
    def evidence(self, client, draft, org_owner):
        answer(draft, "CSL-01", org_owner, level=3)
        client.force_login(org_owner)
        attach(client, draft, "CSL-01")
        return Evidence.objects.get()

    def test_a_writer_removes_a_drafts_file_recorded_in_the_audit_log(
        self, client, draft, org_editor, evidence, django_capture_on_commit_callbacks
    ):
        path = Path(evidence.file.path)
        assert path.exists()
        client.force_login(org_editor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("evidence_delete", draft.pk, evidence.pk), HTTP_HX_REQUEST="true"
            )
        assert response.status_code == 200
        assert not Evidence.objects.exists() and not path.exists()
        event = AuditEvent.objects.get(verb="evidence.delete")
        assert event.actor == org_editor and event.data["sha256"] == evidence.sha256
        assert badge(response.content.decode(), "CSL-01") == "capped"

    def test_the_file_stays_while_another_row_points_to_it(
        self, client, draft, evidence, django_capture_on_commit_callbacks
    ):
        twin = Evidence.objects.create(
            answer=evidence.answer,
            file=evidence.file.name,
            original_name="副本.pdf",
            sha256=evidence.sha256,
            size=evidence.size,
            content_type=evidence.content_type,
        )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url("evidence_delete", draft.pk, evidence.pk))
        assert list(Evidence.objects.all()) == [twin] and Path(twin.file.path).exists()

    def test_it_is_refused_once_submitted(self, client, draft, org_owner, evidence):
        answer(draft, "CSL-02", org_owner, value=True)
        answer(draft, "CSL-03", org_owner, value=6)
        answer(draft, "PIPL-01", org_owner, level=2)
        answer(draft, "PIPL-02", org_owner, level=2)
        submit(draft, org_owner)
        response = client.post(
            url("evidence_delete", draft.pk, evidence.pk), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 422
        assert Evidence.objects.filter(pk=evidence.pk).exists()
        assert not AuditEvent.objects.filter(verb="evidence.delete").exists()

    def test_it_requires_write_access(self, client, draft, org_viewer, evidence):
        client.force_login(org_viewer)
        response = client.post(url("evidence_delete", draft.pk, evidence.pk))
        assert response.status_code == 403
        assert Evidence.objects.filter(pk=evidence.pk).exists()

    def test_another_organisation_gets_a_404(self, client, draft, other_org_user, evidence):
        client.force_login(other_org_user)
        response = client.post(url("evidence_delete", draft.pk, evidence.pk))
        assert response.status_code == 404

    def test_it_needs_a_post(self, client, draft, evidence):
        response = client.get(url("evidence_delete", draft.pk, evidence.pk))
        assert response.status_code == 405

    def test_a_viewer_sees_no_remove_button(self, client, draft, org_viewer, evidence):
        client.force_login(org_viewer)
        page = client.get(url("section", draft.pk, "CSL")).content.decode()
        assert "evidence-delete" not in page


def test_a_refused_file_does_not_say_the_answer_was_not_saved(client, draft, org_owner):
    answer(draft, "CSL-01", org_owner, level=3)
    client.force_login(org_owner)
    response = client.post(
        url("evidence_upload", draft.pk, "CSL-01"),
        {"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "未保存" not in page and "Not saved" not in page
    assert 'class="text-danger small evidence-error"' in page


def test_a_viewer_reads_a_read_only_notice_on_a_section_page(client, draft, org_viewer):
    client.force_login(org_viewer)
    page = client.get(url("section", draft.pk, "CSL")).content.decode()
    assert 'id="read-only-notice"' in page
    assert "答案在填写时自动保存" not in page and "saved as you give them" not in page


def test_the_scoping_outcome_names_modules_with_clean_punctuation(client, draft, org_owner):
    client.force_login(org_owner)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(url("detail", draft.pk)).content.decode()
    modules = page.split('id="active-modules"', 1)[1].split("</ul>", 1)[0]
    assert "<strong>网络安全法</strong>：境内运营。" in modules, modules
    assert "<strong>CSL</strong>" not in modules and "。;" not in modules and "。。" not in modules


def test_several_reasons_join_as_one_sentence():
    from assessments.rules import Reason
    from assessments.templatetags.scoping_words import joined

    reasons = [
        Reason("a", "境内运营。", "Operates in China."),
        Reason("b", "处理个人信息。", "PI."),
    ]
    assert joined(reasons, "zh") == "境内运营；处理个人信息。"
    assert joined(reasons, "en") == "Operates in China; PI."


def test_an_autosave_shows_the_answer_s_files_and_reads_them_only_when_it_has_some(
    client, draft, org_owner
):
    """The autosave's re-rendered question lists the files in upload order; an answer without
    files costs no query for them (its lock already told)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Answer

    answer(draft, "CSL-01", org_owner, level=3)
    answer(draft, "CSL-02", org_owner, value=True)
    client.force_login(org_owner)
    attach(client, draft, "CSL-01", name="制度一.pdf")
    attach(client, draft, "CSL-01", name="制度二.pdf")

    def save(code, **data):
        revision = Answer.objects.get(assessment=draft, question__code=code).revision
        form = {f"{code}-revision": revision, f"{code}-comment": "更新", **data}
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url("answer", draft.pk, code), form, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.content[:500]
        return response.content.decode(), len(captured)

    page, with_files = save("CSL-01", **{"CSL-01-answer": "3"})
    listed = page.split('class="mb-1 evidence-list"', 1)[1].split("</ul>", 1)[0]
    assert listed.index("制度一.pdf") < listed.index("制度二.pdf")
    page, without_files = save("CSL-02", **{"CSL-02-answer": "yes"})
    assert "制度" not in page.split('class="mb-1 evidence-list"', 1)[1].split("</ul>", 1)[0]
    assert without_files == with_files - 1
