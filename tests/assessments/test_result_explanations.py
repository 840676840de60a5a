"""The result page explains its numbers: what a gap is, and remediation that fits the answer
(an answer capped only for missing evidence is not told to do what it already does)."""

import pytest
from django.urls import reverse

from assessments import results
from tests.assessments.factories import answer, start_assessment, submit
from tests.assessments.results_support import small_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def questionnaire(db):
    return small_questionnaire()


@pytest.fixture
def scored(organisation, org_owner):
    """G2 (2M people): CSL-01 (weight 5) needs evidence. CSL-03 is a number question whose top
    threshold is 6 (months); answered exactly 6 it is fully met."""
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
    answer(assessment, "CSL-01", org_owner, level=3)  # no evidence: capped at 2
    answer(assessment, "CSL-02", org_owner, value=False)
    answer(assessment, "CSL-03", org_owner, value=6)
    answer(assessment, "PIPL-01", org_owner, level=1)
    answer(assessment, "PIPL-02", org_owner, level=3)
    submission = submit(assessment, org_owner)
    results.submission_score(submission.pk)
    return submission


def result_page(client, user, submission, language="zh-hans") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(reverse("assessments:submission", args=[submission.pk])).content.decode()


def driver_block(page: str, code: str) -> str:
    return page.split(f'class="driver mb-2" data-question="{code}"', 1)[1].split("</li>", 1)[0]


def test_the_gap_is_explained_in_words_on_the_page(client, org_owner, scored):
    page = result_page(client, org_owner, scored)
    legend = page.split('id="gap-legend"', 1)[1].split("</p>", 1)[0]
    assert "权重" in legend and "3.33" in legend
    page = result_page(client, org_owner, scored, "en")
    legend = page.split('id="gap-legend"', 1)[1].split("</p>", 1)[0]
    assert "Gap = weight × (3 − level) ÷ 3" in legend


def test_an_answer_capped_for_evidence_gets_evidence_advice_not_its_remediation(
    client, org_owner, scored
):
    page = result_page(client, org_owner, scored)
    capped = driver_block(page, "CSL-01")
    assert "您的回答已达到要求" in capped and "整改" not in capped.split("整改建议", 1)[1]
    assert "整改" in driver_block(page, "CSL-02")  # a real gap keeps the question's advice


def test_evidence_remediation_for_a_capped_driver():
    driver = {"evidence_capped": True, "remediation_zh": "留存不少于六个月", "remediation_en": "x"}
    assert "六个月" not in results.remediation_for(driver)
    driver["evidence_capped"] = False
    assert results.remediation_for(driver) == "留存不少于六个月"


def test_the_pdf_keeps_a_deadlines_date_on_one_line(scored):
    from django.utils import translation

    from assessments import reports
    from assessments.models import ScoreResult

    stored = ScoreResult.objects.get(submission=scored)
    with translation.override("zh-hans"):
        html = reports.report_html(scored, stored)
    assert '<span class="text-nowrap deadline-date">（' in html  # the treatment, then the date
    assert ".text-nowrap { white-space: nowrap; }" in html
