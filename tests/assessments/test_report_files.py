"""PDF reports are rendered once per language and tier override, then served as stored files."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assessments import reports, results, tasks
from supervision.models import TierOverride
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire
from tests.assessments.test_reports import pdf_text

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


@pytest.fixture
def renders(monkeypatch):
    """Count the real renders (WeasyPrint) behind the downloads."""
    calls = []
    real = reports.report_pdf

    def counting(*args, **kwargs):
        calls.append(args[0].pk)
        return real(*args, **kwargs)

    monkeypatch.setattr(reports, "report_pdf", counting)
    return calls


def squashed(text: str) -> str:
    """PDF text without the line breaks the layout put inside sentences."""
    return "".join(text.split())


def download(client, submission, language="zh-hans"):
    client.cookies["django_language"] = language
    response = client.get(reverse("assessments:report", args=[submission.pk]))
    assert response.status_code == 200
    return response.content


def test_a_second_download_is_the_stored_file(client, org_viewer, scored, renders, settings):
    client.force_login(org_viewer)
    first = download(client, scored)
    second = download(client, scored)
    assert first == second and renders == [scored.pk]
    stored = list((settings.MEDIA_ROOT / "reports" / str(scored.pk)).iterdir())
    assert [p.name for p in stored] == ["zh-hans-computed.pdf"]


def test_each_language_has_its_own_report(client, org_viewer, scored, renders):
    client.force_login(org_viewer)
    chinese = download(client, scored, "zh-hans")
    english = download(client, scored, "en")
    assert renders == [scored.pk, scored.pk]
    assert "示范科技有限公司" in pdf_text(chinese)
    assert "Submission" in pdf_text(english) or "submission" in pdf_text(english).lower()
    assert download(client, scored, "en") == english and len(renders) == 2


def test_a_tier_override_is_in_the_next_download(client, org_viewer, regulator, scored, renders):
    client.force_login(org_viewer)
    before = squashed(pdf_text(download(client, scored)))
    TierOverride.objects.create(
        submission=scored,
        tier="low",
        reason="复核后下调：整改已完成。",
        by=regulator,
        at=timezone.now(),
    )
    after = squashed(pdf_text(download(client, scored)))
    assert len(renders) == 2
    assert "复核后下调" not in before
    assert "复核后下调" in after


def test_the_worker_renders_both_languages_after_scoring(client, org_viewer, organisation, renders):
    from tests.assessments.results_support import (
        SMALL_SCOPING,
        make_submission,
        small_questionnaire,
    )

    submission = make_submission(
        organisation, small_questionnaire(), SMALL_SCOPING, answers={"CSL-01": {"level": 0}}
    )
    with override_settings(REPORTS_PRERENDER=True):
        tasks.score_submission.delay(submission.pk)
    assert renders == [submission.pk, submission.pk]
    client.force_login(org_viewer)
    download(client, submission, "zh-hans")
    download(client, submission, "en")
    assert len(renders) == 2


def test_without_prerendering_scoring_renders_nothing(organisation, renders):
    from tests.assessments.results_support import (
        SMALL_SCOPING,
        make_submission,
        small_questionnaire,
    )

    submission = make_submission(organisation, small_questionnaire(), SMALL_SCOPING)
    tasks.score_submission.delay(submission.pk)
    assert renders == []


def test_a_stored_report_is_served_with_one_query_for_the_submission(
    client, org_viewer, organisation, scored, regulator
):
    """The submission, whether it is scored and the override in force come in one query, and
    the count does not grow with the submission (a longer one and an overridden one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from supervision import services as review_services

    longer = make_submission(
        organisation,
        small_questionnaire(),
        SMALL_SCOPING,
        answers={"CSL-01": {"level": 3}, "CSL-02": {"value": True}, "PIPL-01": {"level": 1}},
    )
    results.submission_score(longer.pk)
    review_services.tier_override_set(
        submission=longer, by=regulator, tier="low", reason="整改已完成。"
    )
    client.force_login(org_viewer)
    counts = []
    for submission in (scored, longer):
        download(client, submission)  # rendered and stored
        with CaptureQueriesContext(connection) as captured:
            download(client, submission)
        counts.append([q["sql"] for q in captured])
    assert len(counts[0]) == len(counts[1]), counts
    submission_reads = [sql for sql in counts[1] if 'FROM "assessments_submission"' in sql]
    assert len(submission_reads) == 1
    assert not any(
        sql.lstrip().startswith('SELECT "assessments_scoreresult"')
        or sql.lstrip().startswith('SELECT "supervision_tieroverride"')
        for sql in counts[1]
    )
