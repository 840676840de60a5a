"""The warning job on real submissions: raised once, listed, acknowledged with a note."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import results
from assessments.models import Assessment
from oversight import services
from oversight.models import RiskWarning
from portal.models import AuditEvent
from supervision.models import Decision
from tests.assessments.results_support import SMALL_SCOPING, make_submission
from tests.supervision.test_queue import submitted

pytestmark = pytest.mark.django_db


def resubmitted(first, version, level):
    again = make_submission(
        first.assessment.organisation,
        version,
        SMALL_SCOPING,
        answers={"CSL-01": {"level": level}},
        assessment=first.assessment,
    )
    results.submission_score(again.pk)
    return again


def test_a_worsening_organisation_warns_once_whatever_the_number_of_runs(version):
    first = submitted(version, red_line_level=3)
    second = resubmitted(first, version, 0)
    assert services.warnings_refresh() >= 1
    rules = set(RiskWarning.objects.values_list("rule", flat=True))
    assert {"tier_rose", "red_line_new"} <= rules
    warning = RiskWarning.objects.get(rule="tier_rose")
    assert warning.submission_id == second.pk
    assert warning.organisation_id == first.assessment.organisation_id
    count = RiskWarning.objects.count()
    assert services.warnings_refresh() == 0  # the same facts: nothing new
    assert RiskWarning.objects.count() == count


def test_a_steady_or_improving_organisation_does_not_warn(version):
    steady = submitted(version, red_line_level=3)
    resubmitted(steady, version, 3)
    better = submitted(version, red_line_level=1)
    resubmitted(better, version, 3)
    services.warnings_refresh()
    assert not RiskWarning.objects.filter(rule__in=["tier_rose", "index_fell"]).exists()


def test_changes_requested_and_not_resubmitted_warns_after_n_working_days(version, regulator):
    first = submitted(version)
    assessment = first.assessment
    Assessment.objects.filter(pk=assessment.pk).update(status="changes_requested")
    long_ago = timezone.now() - dt.timedelta(days=30)
    Decision.objects.create(
        assessment=assessment,
        submission=first,
        action="request_changes",
        from_status="under_review",
        to_status="changes_requested",
        actor=regulator,
        at=long_ago,
    )
    services.warnings_refresh()
    assert RiskWarning.objects.filter(rule="no_resubmission").count() == 1
    # Recent requests do not warn.
    other = submitted(version)
    Assessment.objects.filter(pk=other.assessment_id).update(status="changes_requested")
    Decision.objects.create(
        assessment=other.assessment,
        submission=other,
        action="request_changes",
        from_status="under_review",
        to_status="changes_requested",
        actor=regulator,
        at=timezone.now(),
    )
    services.warnings_refresh()
    assert RiskWarning.objects.filter(rule="no_resubmission").count() == 1


def test_the_dashboard_lists_a_warning_and_its_link_leads_to_the_history(
    client, regulator, version
):
    first = submitted(version, red_line_level=3)
    resubmitted(first, version, 0)
    services.warnings_refresh()
    client.force_login(regulator)
    html = client.get(reverse("oversight:dashboard")).content.decode()
    history = reverse("oversight:history", args=[first.assessment.organisation_id])
    assert 'data-rule="tier_rose"' in html and history in html
    page = client.get(history)
    assert page.status_code == 200 and 'id="history"' in page.content.decode()
    assert len(page.context["history"]) == 2


def test_acknowledging_needs_a_note_and_keeps_it_in_the_audit_trail(client, regulator, version):
    first = submitted(version, red_line_level=3)
    resubmitted(first, version, 0)
    services.warnings_refresh()
    warning = RiskWarning.objects.get(rule="tier_rose")
    url = reverse("oversight:warning_acknowledge", args=[warning.pk])
    client.force_login(regulator)
    client.post(url, {"note": "  "})
    warning.refresh_from_db()
    assert warning.acknowledged_at is None
    client.post(url, {"note": "已约谈企业负责人"})
    warning.refresh_from_db()
    assert warning.acknowledged_by == regulator and warning.note == "已约谈企业负责人"
    event = AuditEvent.objects.get(verb="warning.acknowledge")
    assert event.data["note"] == "已约谈企业负责人" and event.data["key"] == warning.key
    services.warnings_refresh()
    assert RiskWarning.objects.filter(rule="tier_rose").count() == 1  # not raised again


def test_a_regulator_outside_the_jurisdiction_sees_no_warning_and_no_history(
    client,
    out_of_jurisdiction_regulator,
    version,
):
    first = submitted(version, red_line_level=3)
    resubmitted(first, version, 0)
    services.warnings_refresh()
    warning = RiskWarning.objects.get(rule="tier_rose")
    client.force_login(out_of_jurisdiction_regulator)
    url = reverse("oversight:warning_acknowledge", args=[warning.pk])
    assert client.post(url, {"note": "x"}).status_code == 404
    history = reverse("oversight:history", args=[first.assessment.organisation_id])
    assert client.get(history).status_code == 404


def test_members_read_their_own_history(client, org_owner, organisation, version):
    make_submission(organisation, version, SMALL_SCOPING)
    client.force_login(org_owner)
    response = client.get(reverse("oversight:history", args=[organisation.pk]))
    assert response.status_code == 200 and len(response.context["history"]) == 1
    assert 'id="warnings"' not in response.content.decode()  # warnings are the regulator's


def test_a_year_without_an_official_calendar_raises_no_stale_warning_and_no_error(
    version, regulator, caplog
):
    first = submitted(version)
    Assessment.objects.filter(pk=first.assessment_id).update(status="changes_requested")
    Decision.objects.create(
        assessment=first.assessment,
        submission=first,
        action="request_changes",
        from_status="under_review",
        to_status="changes_requested",
        actor=regulator,
        at=timezone.now() - dt.timedelta(days=30),
    )
    far = dt.date(2199, 1, 5)
    services.warnings_refresh(today=far, now=timezone.now())
    assert not RiskWarning.objects.filter(rule="no_resubmission").exists()
    assert "no official working-day calendar" in caplog.text
