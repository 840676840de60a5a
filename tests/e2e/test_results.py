"""After submitting, the member watches the result arrive without reloading, then downloads
the PDF report.

The worker is played by the test: the Celery app publishes to an in-memory broker that nothing
consumes, so the page stays on "scoring" until the test runs the task's body, as a worker would.
"""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments import tasks
from assessments.models import ScoreResult, Submission
from portal.celery import app
from tests.assessments import factories
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_worker():
    """Tasks go to a queue no worker reads, as when the real worker is busy."""
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager, app.conf.broker_url = False, "memory://"
    app._after_fork()  # drop pooled connections to any other broker
    yield
    app.conf.task_always_eager, app.conf.broker_url = previous
    app._after_fork()


def answered_assessment(owner):
    organisation = owner.memberships.get().organisation
    factories.load_small_questionnaire()
    assessment = factories.start_assessment(organisation, owner, S01="domestic", S02=2_000_000)
    answers = {
        "CSL-01": {"level": 0},  # a red line at level 0: critical
        "CSL-02": {"value": True},
        "CSL-03": {"value": 6},
        "PIPL-01": {"level": 1},
        "PIPL-02": {"level": 3},
    }
    for code, data in answers.items():
        factories.answer(assessment, code, owner, **data)
    return assessment


def test_the_member_sees_scoring_then_the_result_without_reloading_and_gets_the_pdf(
    page, live_server, slow_worker
):
    owner = MembershipFactory(role="owner", organisation__name="示范科技有限公司").user
    assessment = answered_assessment(owner)
    sign_in(page, live_server, owner.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.click("#submit-assessment")
    page.fill("#id_role", "法定代表人")  # the attestation (the name is prefilled)
    page.check("#id_confirm")
    page.click("#confirm-submit")
    page.wait_for_url("**/submissions/**")
    result = page.locator("#result")
    expect(result).to_have_attribute("data-state", "scoring")
    expect(result).to_contain_text(re.compile("评分中|Scoring"))
    page.evaluate("window.stillTheSamePage = true")

    submission = Submission.objects.get()
    assert not ScoreResult.objects.filter(submission=submission).exists()
    tasks.score_submission.apply(args=(submission.pk,))  # what the worker runs

    expect(result).to_have_attribute("data-state", "scored", timeout=10_000)
    expect(page.locator("#overall-tier")).to_have_text("重大")
    expect(page.locator("#red-lines")).to_contain_text("CSL-01")
    driver = page.locator("#drivers .driver[data-question='PIPL-01']")
    expect(driver).to_be_visible()
    expect(driver.locator("a[href='/regulations/TST/#art-1']")).to_be_visible()
    expect(page.locator("svg.module-chart .chart-row")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True  # no reload happened

    with page.expect_download() as download_info:
        page.click("#download-report")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "示范科技有限公司" in text and "重大" in text
