"""A file over 20 MB is refused in the browser with a message, before it is uploaded."""

import pytest
from playwright.sync_api import expect

from assessments.models import Evidence
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_file_over_the_limit_is_refused_with_a_message(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_small_questionnaire()
    owner = MembershipFactory(role="owner").user
    assessment = start_assessment(
        owner.memberships.get().organisation, owner, S01="domestic", S02=500
    )
    answer(assessment, "CSL-01", owner, level=3)
    big = tmp_path / "扫描件.pdf"
    with big.open("wb") as handle:  # sparse: 21 MB on paper, nothing on disk
        handle.truncate(21 * 1024 * 1024)
    page.set_default_timeout(30_000)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/evidence/" in r.url else None)

    sign_in(page, live_server, owner.email, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/section/CSL/")
    page.set_input_files("#file-CSL-01", str(big))
    page.locator("#q-CSL-01 .evidence-form button").click()
    notice = page.locator("#q-CSL-01 .evidence-too-large")
    expect(notice).to_be_visible(timeout=30_000)
    expect(notice).to_contain_text("20 MB")
    expect(page.locator("input[name='CSL-01-answer'][value='3']")).to_be_checked()
    assert requests == [] and not Evidence.objects.exists()
