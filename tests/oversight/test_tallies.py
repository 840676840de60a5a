"""The dashboard's figures counted ahead (oversight.tallies) are the live figures: same
numbers, same jurisdiction, the filters they can answer, and the live count otherwise."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from oversight import dashboard, tallies
from oversight.models import FindingTally, TrendTally
from supervision import queue
from supervision.models import Decision
from tests.assessments.results_support import SMALL_SCOPING, make_submission
from tests.supervision.test_queue import submitted

pytestmark = pytest.mark.django_db


def world(version, regulator):
    """Submissions in and out of the jurisdiction, two sectors, a resubmission, decisions."""
    first = submitted(version, red_line_level=0)
    again = make_submission(
        first.assessment.organisation,
        version,
        SMALL_SCOPING,
        answers={"CSL-01": {"level": 1}},
        assessment=first.assessment,
    )
    from assessments import results

    results.submission_score(again.pk)
    submitted(version, red_line_level=3)
    submitted(version, red_line_level=0, sector="finance")
    submitted(version, red_line_level=0, province="440000")  # outside: never counted
    for submission, action in ((first, "request_changes"), (again, "accept")):
        Decision.objects.create(
            assessment=submission.assessment, submission=submission, action=action,
            from_status="under_review", to_status="accepted", actor=regulator,
            at=submission.submitted_at + dt.timedelta(days=2),
        )  # fmt: skip
    unscored = submitted(version, score=False)
    return first, unscored


def figures(user, **filters):
    data = dashboard.dashboard(user, queue.QueueFilters(**filters))
    return {
        "articles": data["articles"],
        "red_lines": data["red_lines"],
        "trend": data["trend"].rows,
        "decisions": data["decisions"],
    }, data["findings_counted_at"]


@pytest.mark.parametrize("filters", [{}, {"sector": "finance"}, {"province": "110000"}, "grade"])
def test_the_tallies_give_the_live_figures(regulator, version, filters):
    first, _unscored = world(version, regulator)
    if filters == "grade":
        filters = {"grade": first.grade}
    live, counted_at = figures(regulator, **filters)
    assert counted_at is None  # nothing counted ahead yet: the live count
    assert live["articles"] and live["red_lines"] and live["trend"]
    assert live["decisions"] or filters.get("sector") == "finance"
    tallies.refresh()
    ahead, counted_at = figures(regulator, **filters)
    assert counted_at is not None
    assert ahead == live


def test_the_tallies_keep_to_the_jurisdiction(regulator, version):
    world(version, regulator)
    tallies.refresh()
    assert FindingTally.objects.filter(province="440000").exists()  # counted for its regulators
    counts, _at = tallies.by_question(regulator, queue.QueueFilters())
    outside, _at = tallies.by_question(regulator, queue.QueueFilters(province="440000"))
    assert counts and not outside
    # The Beijing regulator's red-line count is that of its three red-line submissions.
    assert sum(red for _n, red in counts.values()) == 2  # first's resubmission fixed it
    months, _at = tallies.trend(regulator, queue.QueueFilters())
    assert sum(sum(m.values()) for m in months.values()) == 5  # every Beijing submission


def test_a_period_or_module_filter_counts_live_and_the_page_says_when_it_was_counted(
    client, regulator, version
):
    world(version, regulator)
    tallies.refresh(now=timezone.now() - dt.timedelta(minutes=5))
    later = submitted(version, red_line_level=0)  # after the count: not in the tallies yet
    Assessment.objects.filter(pk=later.assessment_id).update(status="scored")
    ahead, counted_at = figures(regulator)
    on = timezone.localdate(later.submitted_at)
    live, live_at = figures(regulator, submitted_from=on - dt.timedelta(days=400))
    assert counted_at is not None and live_at is None
    assert sum(n for _code, n in live["red_lines"]) == sum(n for _c, n in ahead["red_lines"]) + 1
    _live, module_at = figures(regulator, module="CSL")
    assert module_at is None
    client.force_login(regulator)
    page = client.get(reverse("oversight:dashboard")).content.decode()
    assert 'id="findings-counted-at"' in page
    assert timezone.localtime(counted_at).strftime("%Y-%m-%d %H:%M") in page


def test_a_refresh_replaces_the_cells(regulator, version):
    world(version, regulator)
    first = tallies.refresh()
    assert first == tallies.refresh()  # the same data: the same cells, not twice as many
    assert TrendTally.objects.values("computed_at").distinct().count() == 1
