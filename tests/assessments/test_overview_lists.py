"""The overview and the submit check list every unanswered question (the first 30, the rest
behind a toggle), the progress label sits outside the bar, and the upload button never wraps."""

import re

import pytest
from django.urls import reverse

from tests.assessments.factories import load_small_questionnaire, start_assessment
from tests.assessments.results_support import forget_cached_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(organisation, org_owner):
    forget_cached_questions()
    load_small_questionnaire(extra_csl_questions=35)
    return start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)


@pytest.mark.parametrize("page_name", ["detail", "submit"])
def test_every_unanswered_question_is_reachable(client, draft, org_owner, page_name):
    client.force_login(org_owner)
    page = client.get(reverse(f"assessments:{page_name}", args=[draft.pk])).content.decode()
    first = page.split('id="missing-list"', 1)[1].split("</ul>", 1)[0]
    more = page.split('id="missing-list-more"', 1)[1].split("</details>", 1)[0]
    assert first.count("<li>") == 30
    assert more.count("<li>") == 40 - 30  # 3 + 35 CSL, 2 PIPL
    assert "#q-PIPL-02" in more


def test_the_progress_label_is_outside_the_bar(client, draft, org_owner):
    client.force_login(org_owner)
    page = client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    bar = page.split('class="progress-bar"', 1)[1].split("</div>", 1)[0]
    assert "%" not in bar.split(">", 1)[1]
    label = page.split('id="progress-label"', 1)[1].split("</span>", 1)[0]
    assert re.search(r"\(\d+%\)$", label.strip())


def test_the_upload_button_never_wraps(client, draft, org_owner):
    client.force_login(org_owner)
    page = client.get(reverse("assessments:section", args=[draft.pk, "CSL"])).content.decode()
    assert (
        'class="btn btn-sm btn-outline-secondary text-nowrap flex-shrink-0" type="submit">上传'
        in page
    )
