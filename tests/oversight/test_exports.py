"""Exports of the filtered queue: CSV for Excel, XLSX, the audit trail, the jurisdiction."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight import exports
from portal.models import AuditEvent
from tests.factories import RegulatorProfileFactory
from tests.supervision.test_queue import submitted

pytestmark = pytest.mark.django_db


def test_formula_looking_cells_are_neutralised():
    assert exports.neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    for prefix in ("+", "-", "@", "\t", "\r"):
        assert exports.neutralise(prefix + "x") == "'" + prefix + "x"
    assert exports.neutralise("北京数据公司") == "北京数据公司"
    assert exports.neutralise(-3) == -3  # a number is not text: kept
    assert exports.neutralise(None) == ""


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def table(rows):
    start = rows.index(exports.HEADERS)
    return rows[start + 1 :]


def test_the_csv_has_a_bom_chinese_text_and_neutralised_cells(client, regulator, version):
    submitted(version, name="=cmd|' /C calc'!A0")
    submitted(version, name="北京某某科技有限公司")
    client.force_login(regulator)
    response = client.get(reverse("oversight:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][0] == "导出时间"
    names = {row[0] for row in table(rows)}
    assert names == {"'=cmd|' /C calc'!A0", "北京某某科技有限公司"}
    assert all(row[2] == "北京市" for row in table(rows))


def test_an_export_never_includes_an_organisation_outside_the_jurisdiction(
    client,
    regulator,
    version,
):
    submitted(version, name="在辖区内")
    submitted(version, name="广东的组织", province="440000")
    submitted(version, name="金融组织", sector="finance")
    sector_bound = RegulatorProfileFactory(provinces=["110000"], sectors=["finance"]).user
    client.force_login(regulator)
    names = {r[0] for r in table(csv_rows(client.get(reverse("oversight:export_csv"))))}
    assert names == {"在辖区内", "金融组织"}
    # Even a filter naming a province outside the jurisdiction is refused, not widened.
    response = client.get(reverse("oversight:export_csv"), {"province": "440000"})
    assert response.status_code == 400
    client.force_login(sector_bound)
    book = load_workbook(io.BytesIO(b"".join(client.get(reverse("oversight:export_xlsx")))))
    values = list(book.active.iter_rows(values_only=True))
    start = values.index(tuple(exports.HEADERS))
    assert [row[0] for row in values[start + 1 :]] == ["金融组织"]


def test_the_xlsx_holds_exactly_the_filtered_rows_with_chinese_headers(
    client,
    regulator,
    version,
):
    submitted(version, name="红线组织", red_line_level=0)
    submitted(version, name="无红线组织", red_line_level=3)
    client.force_login(regulator)
    response = client.get(reverse("oversight:export_xlsx"), {"red_lines": "yes"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][0] == "导出时间" and values[1][0] == "筛选条件"
    assert "红线" in values[1][1]  # the filter used is named in the header rows
    start = values.index(tuple(exports.HEADERS))
    assert "组织名称" in values[start] and "风险等级" in values[start]
    body = values[start + 1 :]
    assert [row[0] for row in body] == ["红线组织"]
    assert body[0][exports.HEADERS.index("触及红线数")] >= 1


def test_every_export_is_recorded_in_the_audit_trail(client, regulator, version):
    submitted(version)
    client.force_login(regulator)
    b"".join(client.get(reverse("oversight:export_csv"), {"grade": "G1"}).streaming_content)
    b"".join(client.get(reverse("oversight:export_xlsx")).streaming_content)
    verbs = list(AuditEvent.objects.filter(actor=regulator).values_list("verb", flat=True))
    assert sorted(verbs) == ["export.csv", "export.xlsx"]
    event = AuditEvent.objects.get(verb="export.csv")
    assert event.data["filters"] == {"义务等级": "G1"}


def test_bad_filters_export_nothing_and_members_may_not_export(client, regulator, org_owner):
    client.force_login(regulator)
    response = client.get(reverse("oversight:export_csv"), {"submitted_from": "yesterday"})
    assert response.status_code == 400 and "筛选条件无效" in response.content.decode()
    assert not AuditEvent.objects.filter(verb__startswith="export").exists()
    client.force_login(org_owner)
    assert client.get(reverse("oversight:export_xlsx")).status_code == 403


def test_a_dashboard_table_exports_as_csv_within_the_jurisdiction(client, regulator, version):
    submitted(version, sector="finance")
    submitted(version, province="440000")
    client.force_login(regulator)
    response = client.get(reverse("oversight:table_csv", args=["by_province"]))
    assert response.status_code == 200
    rows = csv_rows(response)
    start = rows.index(["省份", "低", "中", "高", "重大", "未评分", "合计"])
    assert [r[0] for r in rows[start + 1 :]] == ["北京市"]
    assert AuditEvent.objects.filter(verb="export.dashboard.by_province").count() == 1
    assert client.get(reverse("oversight:table_csv", args=["nothing"])).status_code == 404
