"""The review queue: one row per assessment, filters, risk order, counts, pages, queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import results
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire
from tests.factories import OrganisationFactory, RegulatorProfileFactory
from tests.supervision.workspace_support import fast_passwords  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return small_questionnaire()


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """These tests read the rows from the template's context and count the queries of
    rendering: the page cache in front of the queue is tested in tests/portal/test_page_cache.py."""
    settings.PAGE_CACHE_SECONDS = 0


def day(n: int):
    return timezone.make_aware(dt.datetime(2025, 3, n, 10, 0))


def submitted(version, *, red_line_level=3, scoping=SMALL_SCOPING, on=1, score=True, **org):
    organisation = OrganisationFactory(**{"province": "110000", "sector": "internet", **org})
    submission = make_submission(
        organisation,
        version,
        scoping,
        answers={"CSL-01": {"level": red_line_level}},
        submitted_at=day(on),
    )
    if score:
        results.submission_score(submission.pk)
    return submission


def rows(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(reverse("supervision:queue"), params)
    assert response.status_code == 200
    return [row.assessment_id for row in response.context["page"]]


def test_it_shows_the_latest_submission_of_each_assessment_once(client, regulator, version):
    first = submitted(version)
    second = make_submission(
        first.assessment.organisation, version, SMALL_SCOPING, assessment=first.assessment
    )
    client.force_login(regulator)
    response = client.get(reverse("supervision:queue"))
    [row] = list(response.context["page"])
    assert row.pk == second.pk and row.number == 2
    assert 'data-tier="unscored"' in response.content.decode()  # the new one is not scored yet


def test_it_sorts_by_risk_then_oldest_first(client, regulator, version):
    low_new = submitted(version, on=5)
    critical = submitted(version, red_line_level=0, on=4)
    low_old = submitted(version, on=2)
    high = submitted(version, red_line_level=1, on=3)
    unscored = submitted(version, on=1, score=False)
    expected = [critical, high, low_old, low_new, unscored]
    assert rows(client, regulator) == [s.assessment_id for s in expected]
    newest = [low_new, critical, high, low_old, unscored]
    assert rows(client, regulator, sort="newest") == [s.assessment_id for s in newest]


def test_it_shows_the_tier_labels_red_lines_and_an_override_beside_the_computed_tier(
    client, regulator, version
):
    from supervision.services import tier_override_set

    submission = submitted(version, red_line_level=0)
    tier_override_set(submission=submission, by=regulator, tier="medium", reason="已整改")
    client.force_login(regulator)
    html = client.get(reverse("supervision:queue")).content.decode()
    assert 'data-tier="critical">重大<' in html
    assert 'data-override="medium"' in html and ">中<" in html
    assert '<td class="red-lines">1</td>' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "critical"}, ["critical"]),
        ({"tier": "unscored"}, ["unscored"]),
        ({"red_lines": "yes"}, ["critical", "high"]),
        ({"red_lines": "no"}, ["low", "no_pipl", "finance"]),
        ({"module": "PIPL"}, ["critical", "high", "low", "unscored", "finance"]),
        ({"module": "CSL"}, ["critical", "high", "low", "no_pipl", "unscored", "finance"]),
        ({"grade": "G1"}, ["no_pipl"]),
        ({"sector": "finance"}, ["finance"]),
        ({"province": "110000", "status": "submitted"}, ["unscored"]),
        ({"submitted_from": "2025-03-03", "submitted_to": "2025-03-04"}, ["low", "no_pipl"]),
    ],
)
def test_each_filter_narrows_the_queue(client, regulator, version, params, expected):
    made = {
        "critical": submitted(version, red_line_level=0, on=1),
        "high": submitted(version, red_line_level=1, on=2),
        "low": submitted(version, on=3),
        "no_pipl": submitted(version, scoping={"S01": "domestic", "S02": 0}, on=4),
        "unscored": submitted(version, on=5, score=False),
        "finance": submitted(version, on=6, sector="finance"),
    }
    found = rows(client, regulator, **params)
    assert sorted(found) == sorted(made[name].assessment_id for name in expected)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"submitted_from": "2025-02-30"}, "Enter a date as YYYY-MM-DD."),
        ({"submitted_to": "yesterday"}, "Enter a date as YYYY-MM-DD."),
        (
            {"submitted_from": "2025-03-05", "submitted_to": "2025-03-01"},
            "The start date is after the end date.",
        ),
        ({"tier": "catastrophic"}, "catastrophic"),
    ],
)
def test_a_bad_filter_is_refused_with_a_message_not_ignored(
    client, settings, regulator, version, params, message
):
    submitted(version)
    client.force_login(regulator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the browser's language never decides
    response = client.get(reverse("supervision:queue"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="filter-errors"' in html and message in html
    assert 'class="queue-row"' not in html


def test_the_counts_per_status_ignore_the_status_filter(client, regulator, version):
    submitted(version)
    submitted(version)
    submitted(version, score=False)
    client.force_login(regulator)
    response = client.get(reverse("supervision:queue"), {"status": "scored"})
    counts = response.context["counts"]
    assert (counts["scored"], counts["submitted"], counts["accepted"]) == (2, 1, 0)
    assert len(response.context["page"]) == 2


def test_it_pages_by_25_in_the_database(client, regulator, version):
    for n in range(26):
        submitted(version, on=1 + n % 28, score=False)
    client.force_login(regulator)
    first = client.get(reverse("supervision:queue"))
    assert len(first.context["page"]) == 25 and first.context["page"].paginator.count == 26
    second = client.get(reverse("supervision:queue"), {"page": 2, "sort": "oldest"})
    assert len(second.context["page"]) == 1
    assert "sort=oldest&amp;page=1" in second.content.decode()


def queue_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("supervision:queue"), {"red_lines": "yes", "module": "CSL"})
    assert response.status_code == 200
    return len(queries)


def test_the_queue_runs_a_fixed_number_of_queries_whatever_the_size(client, regulator, version):
    from supervision.services import review_claim

    for _ in range(2):
        review_claim(assessment=submitted(version, red_line_level=0).assessment, by=regulator)
    small = queue_queries(client, regulator)
    for _ in range(8):
        review_claim(assessment=submitted(version, red_line_level=1).assessment, by=regulator)
    assert queue_queries(client, regulator) == small
    assert small <= 10


def test_a_regulator_with_sectors_sees_only_those_sectors(client, version):
    internet = submitted(version)
    finance = submitted(version, sector="finance")
    banker = RegulatorProfileFactory(provinces=["110000"], sectors=["finance"]).user
    assert rows(client, banker) == [finance.assessment_id]
    assert internet.assessment_id not in rows(client, banker)


def test_a_regulator_only_user_lands_on_the_queue(client, regulator):
    client.force_login(regulator)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("supervision:queue")


def test_a_member_who_is_also_a_regulator_keeps_the_home_page(client, regulator, organisation):
    from tests.factories import MembershipFactory

    MembershipFactory(user=regulator, organisation=organisation)
    client.force_login(regulator)
    assert client.get(reverse("home")).status_code == 200


def test_drafts_and_superseded_drafts_are_neither_counted_nor_offered_as_a_filter(
    client, regulator, version
):
    submitted(version)
    client.force_login(regulator)
    response = client.get(reverse("supervision:queue"))
    assert "draft" not in response.context["counts"]
    assert "superseded" not in response.context["counts"]
    choices = [value for value, _ in response.context["form"].fields["status"].choices]
    assert "superseded" not in choices and "draft" not in choices and "scored" in choices
