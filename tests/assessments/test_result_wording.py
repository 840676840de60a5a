"""The result page and the PDF read as words: answers as labels with units, each cited article
once, deadlines as dates, and a breadcrumb back to the assessment."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from pypdf import PdfReader

from assessments import reports, results
from assessments.loading import questionnaire_load
from assessments.models import ScoreResult
from assessments.scoring_inputs import forget_cached_questions
from tests.assessments.factories import bi, ensure_test_regulation, level_question, small_spec
from tests.assessments.results_support import SMALL_SCOPING, make_submission

pytestmark = pytest.mark.django_db

SUBMITTED_AT = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def worded_spec() -> dict:
    """The small questionnaire with a choice, a multi, two numbers with units and a question
    citing one article twice (as CSL-07 of the bundled questionnaire does)."""
    spec = small_spec()
    csl = spec["sections"][1]["questions"]
    csl += [
        {
            **level_question("CSL-04", red_line=True, na_allowed=False),
            "type": "choice",
            "choices": [
                {"value": "filed", "level": 3, "label": bi("已备案", "Filed")},
                {"value": "in_progress", "level": 0, "label": bi("办理中但已上线", "In progress")},
            ],
        },
        {
            **level_question("CSL-05"),
            "type": "multi",
            "choices": [
                {"value": "logs", "level": 3, "label": bi("日志留存", "Log retention")},
                {"value": "none_yet", "level": 0, "label": bi("尚未建立", "Nothing yet")},
                {"value": "audit", "level": 1, "label": bi("内部审计", "Internal audit")},
            ],
        },
        {
            **level_question("CSL-06"),
            "type": "number",
            "unit": bi("%", "%"),
            "range": {"min": 0, "max": 100},
            "thresholds": [{"min": 96, "level": 3}, {"min": 94, "level": 1}, {"level": 0}],
        },
        {
            **level_question("CSL-07"),
            "type": "number",
            "unit": bi("个", "keywords"),
            "range": {"min": 0, "max": 10**9},
            "thresholds": [{"min": 10000, "level": 3}, {"min": 5000, "level": 1}, {"level": 0}],
        },
        level_question(
            "CSL-08",
            citations=[
                {"regulation": "TST", "article": 2, "phrase": "制定应急预案"},
                {"regulation": "TST", "article": 2, "phrase": "向主管部门报告"},
                {"regulation": "TST", "article": 3, "phrase": ""},
            ],
        ),
    ]
    return spec


ANSWERS = {
    "CSL-01": {"level": 0},  # a red line: the CSL module is critical, treated in 7 days
    "CSL-02": {"value": False},
    "CSL-04": {"value": "in_progress"},
    "CSL-05": {"value": ["none_yet", "audit"]},
    "CSL-06": {"value": 93.5},
    "CSL-07": {"value": 8000},
    "CSL-08": {"level": 1},
}


@pytest.fixture
def scored(organisation):
    ensure_test_regulation()
    forget_cached_questions()
    version = questionnaire_load(worded_spec()).version
    submission = make_submission(
        organisation, version, SMALL_SCOPING, answers=ANSWERS, submitted_at=SUBMITTED_AT
    )
    results.submission_score(submission.pk)
    return submission


def page(client, user, submission, language="zh-hans") -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(reverse("assessments:submission", args=[submission.pk]))
    assert response.status_code == 200
    return response.content.decode()


def driver_html(html: str, code: str) -> str:
    drivers = html[html.index('id="drivers"') :]
    start = drivers.index(f'<li class="driver mb-2" data-question="{code}">')
    return drivers[start : drivers.index("</li>", start)]


def answer_of(html: str, code: str) -> str:
    found = re.search(r"(?:Answer|回答): (.*?)(?: \(|（| ·)", driver_html(html, code), re.S)
    return found.group(1).strip()


def pdf_text(submission, language: str) -> str:
    stored = ScoreResult.objects.get(submission=submission)
    with translation.override(language):
        data = reports.report_pdf(submission, stored)
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


class TestAnswersAsWords:
    def test_the_chinese_page_shows_labels_and_units_never_option_keys(
        self, client, org_owner, scored
    ):
        html = page(client, org_owner, scored)
        assert answer_of(html, "CSL-01") == "未实施"
        assert answer_of(html, "CSL-02") == "否"
        assert answer_of(html, "CSL-04") == "办理中但已上线"
        assert answer_of(html, "CSL-05") == "尚未建立、内部审计"  # in the questionnaire's order
        assert answer_of(html, "CSL-06") == "93.5 %"
        assert answer_of(html, "CSL-07") == "8,000 个"
        assert "in_progress" not in html and "none_yet" not in html

    def test_the_english_page_shows_english_labels_and_units(self, client, org_owner, scored):
        html = page(client, org_owner, scored, language="en")
        assert answer_of(html, "CSL-01") == "Not implemented"
        assert answer_of(html, "CSL-02") == "No"
        assert answer_of(html, "CSL-04") == "In progress"
        assert answer_of(html, "CSL-05") == "Nothing yet, Internal audit"
        assert answer_of(html, "CSL-06") == "93.5 %"
        assert answer_of(html, "CSL-07") == "8,000 keywords"

    def test_the_red_line_table_shows_the_label_too(self, client, org_owner, scored):
        html = page(client, org_owner, scored)
        table = html[html.index('id="red-lines"') : html.index("</table>")]
        row = table[table.index('data-question="CSL-04"') :]
        assert "<td>办理中但已上线</td>" in row

    def test_the_pdf_shows_labels_and_units_in_both_languages(self, scored):
        chinese = pdf_text(scored, "zh-hans")
        assert "办理中但已上线" in chinese and "8,000 个" in chinese and "93.5 %" in chinese
        assert "in_progress" not in chinese
        english = pdf_text(scored, "en")
        assert "In progress" in english and "8,000 keywords" in english
        assert "in_progress" not in english

    def test_an_unanswered_question_says_so(self, client, org_owner, organisation):
        ensure_test_regulation()
        forget_cached_questions()
        version = questionnaire_load(worded_spec()).version
        submission = make_submission(
            organisation, version, SMALL_SCOPING, answers={"CSL-04": {"value": None}}
        )
        results.submission_score(submission.pk)
        assert answer_of(page(client, org_owner, submission), "CSL-04") == "未作答"


class TestCitations:
    def test_a_driver_cites_each_article_once(self, client, org_owner, scored):
        driver = driver_html(page(client, org_owner, scored), "CSL-08")
        assert driver.count(f'href="{results.article_url("TST", 2)}"') == 1
        assert driver.count(f'href="{results.article_url("TST", 3)}"') == 1
        assert "TST 第2条</a>, <a" in driver

    def test_the_pdf_cites_each_article_once(self, scored):
        assert "TST art. 2, TST art. 3" in pdf_text(scored, "en")


class TestDeadlines:
    def test_the_deadline_is_a_date_beside_the_days(self, client, org_owner, scored):
        html = page(client, org_owner, scored, language="en")
        # The date is a span of its own (it never breaks); the words read the same.
        assert "immediate (7 days, by 2026-12-07)" in strip_tags(driver_html(html, "CSL-04"))
        table = html[html.index('id="red-lines"') : html.index("</table>")]
        assert "immediate (7 days, by 2026-12-07)" in strip_tags(table)

    def test_the_chinese_page_dates_the_deadline_too(self, client, org_owner, scored):
        driver = driver_html(page(client, org_owner, scored), "CSL-04")
        deadline = driver[driver.index("处置期限") :]
        assert "立即处置" in deadline and "2026-12-07" in deadline

    def test_the_pdf_dates_the_deadline(self, scored):
        assert "2026-12-07" in pdf_text(scored, "en")


class TestBreadcrumb:
    def test_it_leads_a_member_back_to_the_assessment(self, client, org_viewer, scored):
        html = page(client, org_viewer, scored)
        crumbs = html[html.index('class="breadcrumb"') : html.index("</ol>")]
        detail = reverse("assessments:detail", args=[scored.assessment_id])
        assert f'<a href="{detail}">' in crumbs
        assert f'<a href="{reverse("assessments:list")}">' in crumbs
        assert client.get(detail).status_code == 200

    def test_it_leads_a_regulator_back_to_the_review_page(self, client, regulator, scored):
        html = page(client, regulator, scored)
        crumbs = html[html.index('class="breadcrumb"') : html.index("</ol>")]
        review = reverse("supervision:submission", args=[scored.assessment_id, scored.number])
        assert f'<a href="{review}">' in crumbs
        assert reverse("assessments:detail", args=[scored.assessment_id]) not in crumbs
        assert client.get(review).status_code == 200


def test_the_words_cost_one_query_whatever_the_answers(
    client, org_owner, organisation, scored, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # counts the queries of rendering the page
    perfect = make_submission(organisation, scored.version, SMALL_SCOPING)  # no drivers at all
    results.submission_score(perfect.pk)
    client.force_login(org_owner)
    # Both views render the result block (neither is cached yet): 12 queries, and 2 more that
    # read the frozen answers and the full result for it (test_results_views has the budgets).
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("assessments:submission", args=[perfect.pk]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("assessments:submission", args=[scored.pk])).content.decode()
    assert "办理中但已上线" in html and "8,000 个" in html
