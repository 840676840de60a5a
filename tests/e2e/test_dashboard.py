"""The regulator's risk dashboard in the browser: filter by sector, follow a warning to the
organisation's history, acknowledge it with a note, download the XLSX."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessments import results
from oversight import exports, services
from oversight.models import RiskWarning
from portal.models import AuditEvent
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, OrganisationFactory, RegulatorProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)

LONG = 30_000  # ms: shared machines are slow


def scored(organisation, version, level, assessment=None):
    submission = make_submission(
        organisation,
        version,
        SMALL_SCOPING,
        answers={"CSL-01": {"level": level}},
        assessment=assessment,
    )
    results.submission_score(submission.pk)
    return submission


def test_dashboard_warning_history_acknowledge_and_xlsx(page, live_server, tmp_path):
    version = small_questionnaire()
    worse = OrganisationFactory(province="110000", sector="internet", name="北京恶化示范公司")
    first = scored(worse, version, 3)
    scored(worse, version, 0, assessment=first.assessment)
    OrganisationFactory(province="110000", sector="finance", name="北京金融示范公司")
    scored(OrganisationFactory(province="110000", sector="finance", name="金融甲"), version, 3)
    regulator = RegulatorProfileFactory(provinces=["110000"]).user
    services.warnings_refresh()
    warning = RiskWarning.objects.get(rule="tier_rose")
    page.set_default_timeout(LONG)
    expect.set_options(timeout=LONG)

    sign_in(page, live_server, regulator.email, PASSWORD)
    page.goto(f"{live_server.url}/oversight/")
    expect(page.locator("#by-sector")).to_be_visible()
    page.select_option("#dashboard-filters select[name='sector']", "internet")
    page.locator("#dashboard-filters button[type=submit]").click()
    page.wait_for_url("**sector=internet**")
    expect(page.locator("#by-sector tbody tr")).to_have_count(1)
    item = page.locator(f".warning-item[data-warning='{warning.pk}']")
    expect(item).to_be_visible()

    # The warning leads to the organisation's history, where it is acknowledged with a note.
    item.locator("a.warning-link").click()
    page.wait_for_url(f"**/oversight/organisations/{worse.pk}/history/**")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    expect(page.locator("svg.history-chart")).to_be_visible()
    form = page.locator(f".warning-item[data-warning='{warning.pk}'] form")
    form.locator("input[name=note]").fill("已约谈企业负责人")
    form.locator("button[type=submit]").click()
    expect(page.locator(f".warning-item[data-warning='{warning.pk}']")).to_contain_text(
        "已约谈企业负责人"
    )
    warning.refresh_from_db()
    assert warning.acknowledged_at is not None
    assert AuditEvent.objects.filter(verb="warning.acknowledge").count() == 1

    # Back on the dashboard, the filtered XLSX downloads with the filtered rows only.
    page.goto(f"{live_server.url}/oversight/?sector=internet")
    with page.expect_download() as download:
        page.click("#dashboard-export-xlsx")
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    values = list(book.active.iter_rows(values_only=True))
    start = values.index(tuple(exports.HEADERS))
    assert [row[0] for row in values[start + 1 :]] == ["北京恶化示范公司"]
    assert AuditEvent.objects.filter(verb="export.xlsx").count() == 1
