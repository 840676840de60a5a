"""The PDF report ends with an appendix: every answer in words, the evidence on record (name,
SHA-256, uploader, time) and the attestation (name, role, statement, time)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfReader

from assessments import reports, results, services
from assessments.models import Evidence, ScoreResult
from tests.assessments.factories import answer, start_assessment, submit
from tests.assessments.results_support import small_questionnaire

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def scored(organisation, org_owner):
    small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
    level = answer(assessment, "CSL-01", org_owner, level=3, comment="每年复核")
    answer(assessment, "CSL-02", org_owner, value=True)
    answer(assessment, "CSL-03", org_owner, value=6)
    answer(assessment, "PIPL-01", org_owner, na_reason="不处理敏感个人信息")
    answer(assessment, "PIPL-02", org_owner, level=1)
    services.evidence_attach(
        answer=level, upload=SimpleUploadedFile("安全制度.pdf", PDF_BYTES), by=org_owner
    )
    submission = submit(assessment, org_owner)
    results.submission_score(submission.pk)
    return submission


def test_the_appendix_lists_every_answer_in_words(scored):
    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("zh-hans"):
        html = reports.report_html(scored, stored)
    appendix = html.split('id="appendix"', 1)[1]
    for code, words in [
        ("S01", "境内"),
        ("CSL-01", "完全实施"),
        ("CSL-02", "是"),
        ("CSL-03", "6"),
        ("PIPL-01", "不处理敏感个人信息"),
        ("PIPL-02", "部分实施"),
    ]:
        row = appendix.split(f'<td class="code">{code}</td>', 1)[1].split("</tr>", 1)[0]
        assert words in row, code
    assert "每年复核" in appendix


def test_the_appendix_lists_the_evidence_and_the_attestation(scored, org_owner):
    evidence = Evidence.objects.get()
    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("zh-hans"):
        html = reports.report_html(scored, stored)
    files = html.split('class="appendix-evidence', 1)[1].split("</table>", 1)[0]
    assert "安全制度.pdf" in files and evidence.sha256 in files
    uploaded_on = timezone.localtime(evidence.uploaded_at).strftime("%Y-%m-%d")
    assert str(org_owner) in files and uploaded_on in files
    attestation = html.split('class="meta small appendix-attestation"', 1)[1]
    assert "张三" in attestation and "法定代表人" in attestation
    assert "本人确认，所填内容真实、准确、完整。" in attestation


def test_the_pdf_carries_the_appendix(scored):
    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("zh-hans"):
        data = reports.report_pdf(scored, stored)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "安全制度.pdf" in text and "本人确认" in text
    assert Evidence.objects.get().sha256[:16] in text.replace("\n", "")
