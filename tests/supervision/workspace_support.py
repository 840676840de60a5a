"""Submissions for the regulator's workspace tests, made through the real services."""

import pytest

from assessments import results
from assessments import services as assessment_services
from assessments.models import Assessment
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment, submit


def complete(assessment, user, csl01=3):
    answer(assessment, "CSL-01", user, level=csl01)
    answer(assessment, "CSL-02", user, value=True)
    answer(assessment, "CSL-03", user, value=6)
    answer(assessment, "PIPL-01", user, na_reason="仅处理匿名化信息")


def submitted_assessment(organisation, owner, *, csl01=3, score=True) -> Assessment:
    """A scored first submission of the small questionnaire (CSL and PIPL active)."""
    load_small_questionnaire()
    assessment = start_assessment(organisation, owner, S01="domestic", S02=500)
    complete(assessment, owner, csl01=csl01)
    submission = submit(assessment, owner)
    if score:
        results.submission_score(submission.pk)
    assessment.refresh_from_db()
    return assessment


def draft_assessment(organisation, owner) -> Assessment:
    load_small_questionnaire()
    return start_assessment(organisation, owner, S01="domestic", S02=500)


def reopen(assessment, owner) -> Assessment:
    assessment_services.assessment_reopen(assessment=assessment, by=owner)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Many personas per test: hash their passwords cheaply (the hasher is not under test).
    Import it into a test module to use it there."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
