"""The risk dashboard: aggregate figures, filters, the jurisdiction, fixed queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.supervision.test_queue import submitted

pytestmark = pytest.mark.django_db


def open_dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("oversight:dashboard"), params)
    assert response.status_code == 200
    return response


def row_of(table, key):
    return next(counts for k, counts, _total in table.rows if k == key)


def test_it_counts_tiers_by_sector_province_and_grade(client, regulator, version):
    critical = submitted(version, red_line_level=0)
    submitted(version, red_line_level=3)
    submitted(version, sector="finance", red_line_level=3)
    submitted(version, province="440000")  # outside the jurisdiction: never counted
    data = open_dashboard(client, regulator).context["data"]
    tier = critical.result.overall_tier
    assert data["by_sector"].total == 3
    assert row_of(data["by_sector"], "internet")[tier] >= 1
    assert sum(row_of(data["by_sector"], "finance").values()) == 1
    assert [k for k, _c, _t in data["by_province"].rows] == ["110000"]
    assert data["by_grade"].total == 3
    assert data["trend"].total == 3
    assert data["red_lines"] and data["red_lines"][0][1] == 1


def test_the_sector_filter_narrows_every_figure(client, regulator, version):
    submitted(version)
    submitted(version, sector="finance")
    response = open_dashboard(client, regulator, sector="finance")
    data = response.context["data"]
    assert [k for k, _c, _t in data["by_sector"].rows] == ["finance"]
    assert data["trend"].total == 1
    html = response.content.decode()
    assert "<svg" in html and 'id="by-sector"' in html  # chart and its table


def test_failed_articles_link_to_their_text(client, regulator, version):
    submitted(version, red_line_level=0)
    response = open_dashboard(client, regulator)
    articles = response.context["data"]["articles"]
    assert articles, "a gap cites at least one article"
    first = articles[0]
    url = reverse("regulations:detail", args=[first["regulation"]]) + f"#art-{first['article']}"
    assert url in response.content.decode()


def test_bad_filters_are_a_400_with_the_reason(client, regulator):
    client.force_login(regulator)
    response = client.get(reverse("oversight:dashboard"), {"submitted_from": "soon"})
    assert response.status_code == 400 and 'id="filter-errors"' in response.content.decode()


def dashboard_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("oversight:dashboard")).status_code == 200
    return len(queries)


def test_the_dashboard_runs_a_fixed_number_of_queries_whatever_the_size(
    client,
    regulator,
    version,
):
    submitted(version, red_line_level=0)
    small = dashboard_queries(client, regulator)
    for n in range(6):
        submitted(version, red_line_level=n % 4, sector=("finance", "internet")[n % 2])
    assert dashboard_queries(client, regulator) == small
