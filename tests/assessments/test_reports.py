"""The PDF report: WeasyPrint with Chinese fonts, the same content as the result page."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessments import reports, results
from assessments.models import ScoreResult
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(organisation):
    organisation.name = "示范科技有限公司"
    organisation.save()
    submission = make_submission(
        organisation, small_questionnaire(), SMALL_SCOPING, answers={"CSL-01": {"level": 0}}
    )
    results.submission_score(submission.pk)
    return submission


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_chinese_pdf_names_the_organisation_and_the_tier_in_chinese(scored):
    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("zh-hans"):
        data = reports.report_pdf(scored, stored)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "示范科技有限公司" in text
    assert "重大" in text  # the overall tier, critical
    assert "CSL-01" in text and "TST 第1条" in text
    assert {name.split("+")[-1] for name in font_names(data)} <= {
        "Noto-Sans-CJK-SC",
        "Noto-Sans-CJK-SC-Bold",
    }


def test_the_report_embeds_its_cjk_fonts_as_compact_cid_fonts(scored):
    """assessments.pdf_fonts is applied: the CJK fonts are bare CFF programs keyed by CID
    (tests/assessments/test_pdf_fonts.py shows the glyphs and pages are unchanged)."""
    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("zh-hans"):
        data = reports.report_pdf(scored, stored)
    subtypes = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            subtypes.add(str(descendant["/FontDescriptor"]["/FontFile3"]["/Subtype"]))
    assert subtypes == {"/CIDFontType0C"}
    assert len(data) < 100_000  # a two-page report; 300 KB with the empty glyph slots


def test_the_english_pdf_uses_english_tier_names(scored):
    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("en"):
        text = pdf_text(reports.report_pdf(scored, stored))
    assert "Critical" in text and "TST art. 1" in text


def test_the_report_has_the_same_sections_as_the_page(scored):
    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("en"):
        html = reports.report_html(scored, stored)
    for marker in (
        'id="overall-tier"',
        'id="red-lines"',
        "<svg",
        'id="module-tiers"',
        'id="drivers"',
        'id="change"',
        'id="editions"',
    ):
        assert marker in html
    assert 'id="download-report"' not in html


def test_a_member_downloads_the_pdf(client, org_viewer, scored):
    client.force_login(org_viewer)
    response = client.get(reverse("assessments:report", args=[scored.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hegui-assessment-{scored.assessment_id}-submission-1.pdf"'
    )
    assert "示范科技有限公司" in pdf_text(response.content)


def test_a_regulator_in_jurisdiction_downloads_the_pdf(client, regulator, scored):
    client.force_login(regulator)
    response = client.get(reverse("assessments:report", args=[scored.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_there_is_no_report_before_the_result(client, org_owner, organisation):
    submission = make_submission(organisation, small_questionnaire(), SMALL_SCOPING)
    client.force_login(org_owner)
    response = client.get(reverse("assessments:report", args=[submission.pk]))
    assert response.status_code == 409
