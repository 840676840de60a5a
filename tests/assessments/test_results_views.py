"""The result page of a submission, its htmx status partial, and who may see them."""

import re

import pytest
from django.urls import reverse

from assessments import results
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return small_questionnaire()


@pytest.fixture
def submission(organisation, version):
    return make_submission(
        organisation,
        version,
        SMALL_SCOPING,
        answers={"CSL-01": {"level": 0}, "PIPL-01": {"level": 1}},
    )


@pytest.fixture
def scored(submission):
    results.submission_score(submission.pk)
    return submission


def page(client, user, submission, name="submission", **headers):
    client.force_login(user)
    return client.get(reverse(f"assessments:{name}", args=[submission.pk]), headers=headers)


def test_a_member_sees_the_tier_the_reason_the_index_and_red_lines_first(client, org_owner, scored):
    response = page(client, org_owner, scored)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="overall-tier" data-tier="critical">重大<', html)
    assert "CSL-01" in html and 'id="red-lines"' in html
    assert (
        html.index('id="red-lines"') < html.index('id="module-tiers"') < html.index('id="drivers"')
    )
    assert 'id="compliance-index">58.8<' in html  # 100 × (17 − 5 − 2) / 17


def test_the_drivers_link_to_the_cited_articles(client, org_owner, scored):
    html = page(client, org_owner, scored).content.decode()
    assert f'href="{results.article_url("TST", 1)}"' in html
    assert results.article_url("TST", 1) == "/regulations/TST/#art-1"
    assert 'data-question="PIPL-01"' in html
    assert "立即处置" in html  # the treatment of a critical module's drivers


def test_the_chart_is_inline_svg_with_a_bar_per_module(client, org_owner, scored):
    html = page(client, org_owner, scored).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert re.findall(r'data-module="(\w+)" data-tier="(\w+)"', svg) == [
        ("CSL", "critical"),
        ("PIPL", "medium"),
    ]
    assert "<script" not in svg


def test_while_scoring_the_page_polls_a_small_partial_every_two_seconds(
    client, org_owner, submission
):
    html = page(client, org_owner, submission).content.decode()
    status_url = reverse("assessments:submission_status", args=[submission.pk])
    assert 'data-state="scoring"' in html
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 2s"' in html
    assert "评分中" in html or "Scoring" in html


def test_the_partial_keeps_polling_until_the_result_is_stored_then_stops(
    client, org_owner, submission
):
    before = page(client, org_owner, submission, "submission_status", HX_Request="true")
    assert before.status_code == 200 and 'hx-trigger="every 2s"' in before.content.decode()
    assert "<html" not in before.content.decode()
    results.submission_score(submission.pk)
    after = page(client, org_owner, submission, "submission_status", HX_Request="true").content
    assert b'data-state="scored"' in after and b"hx-trigger" not in after
    assert b'id="overall-tier"' in after


def test_the_page_speaks_english_when_asked(client, org_owner, scored):
    client.cookies["django_language"] = "en"
    html = page(client, org_owner, scored, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'data-tier="critical">Critical<', html)
    assert "CSL art. 1" not in html and "TST art. 1" in html


def test_a_read_only_member_may_read_the_result(client, org_viewer, scored):
    assert page(client, org_viewer, scored).status_code == 200


def test_a_regulator_in_jurisdiction_may_read_it(client, regulator, scored):
    assert page(client, regulator, scored).status_code == 200
    assert page(client, regulator, scored, "submission_status").status_code == 200


def test_another_organisation_gets_a_404(client, other_org_user, scored):
    for name in ("submission", "submission_status", "report"):
        assert page(client, other_org_user, scored, name).status_code == 404


def test_a_regulator_outside_the_jurisdiction_gets_a_404(
    client, out_of_jurisdiction_regulator, scored
):
    for name in ("submission", "submission_status", "report"):
        assert page(client, out_of_jurisdiction_regulator, scored, name).status_code == 404


def test_it_requires_sign_in(client, scored):
    response = client.get(reverse("assessments:submission", args=[scored.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_change_since_the_previous_submission_is_shown(
    client, org_owner, organisation, version
):
    first = make_submission(organisation, version, SMALL_SCOPING, answers={"CSL-01": {"level": 0}})
    results.submission_score(first.pk)
    second = make_submission(organisation, version, SMALL_SCOPING, assessment=first.assessment)
    results.submission_score(second.pk)
    html = page(client, org_owner, second).content.decode()
    assert 'id="index-delta">+29.4<' in html  # 70.6 → 100.0
    assert 'data-module="CSL" data-direction="better"' in html
    assert 'data-module="PIPL" data-direction="same"' in html


def test_the_first_submission_says_there_is_nothing_to_compare(client, org_owner, scored):
    html = page(client, org_owner, scored).content.decode()
    assert 'id="tier-changes"' not in html


def test_the_editions_judged_against_are_listed(client, org_owner, scored):
    from regulations.models import Regulation

    Regulation.objects.filter(code="TST").update(title_zh="测试法")
    type(scored).objects.filter(pk=scored.pk).update(
        editions=[{"regulation": "TST", "edition_id": None, "effective_from": "2026-01-01"}]
    )
    html = page(client, org_owner, scored).content.decode()
    editions = html[html.index('id="editions"') :]
    assert "TST 测试法" in editions and "2026-01-01" in editions


def test_the_page_runs_a_fixed_number_of_queries(
    client, org_owner, organisation, version, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # counts the queries of rendering the page
    small = make_submission(organisation, version, SMALL_SCOPING)
    results.submission_score(small.pk)
    client.force_login(org_owner)
    # The first view renders the result block: the frozen answers and the full result are
    # read for it on demand (2 queries). Every later view takes the block from the cache and
    # reads neither, so it runs 2 queries fewer.
    with django_assert_max_num_queries(14) as captured:
        client.get(reverse("assessments:submission", args=[small.pk]))
    count = len(captured.captured_queries)
    with django_assert_max_num_queries(count - 2):
        client.get(reverse("assessments:submission", args=[small.pk]))
    bigger = make_submission(
        organisation,
        version,
        SMALL_SCOPING,
        assessment=small.assessment,
        answers={"CSL-01": {"level": 0}, "CSL-02": {"value": False}, "PIPL-01": {"level": 0}},
    )
    results.submission_score(bigger.pk)
    with django_assert_max_num_queries(count):
        client.get(reverse("assessments:submission", args=[bigger.pk]))
