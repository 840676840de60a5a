"""Issue 15, acceptance 3: a regulator pre-registers organisations from a spreadsheet with
Chinese headers; the dry run reports every bad row by its number, the real run is atomic."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import Invitation
from onboarding import services
from portal.models import AuditEvent, Organisation
from tests.factories import OrganisationFactory, RegulatorProfileFactory
from tests.onboarding.support import uscc

pytestmark = pytest.mark.django_db

HEADER = ["名称", "统一社会信用代码", "省份", "行业", "联系邮箱"]


def wrong_check(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


def rows(registered_code: str) -> list[list]:
    return [
        HEADER,
        ["北京甲科技有限公司", uscc(10), "北京", "互联网服务", "a@jia.cn"],  # 2 good
        ["北京乙数据有限公司", uscc(11), "北京市", "internet", "B@Yi.cn"],  # 3 good
        ["", uscc(12), "北京", "互联网服务", "c@x.cn"],  # 4 no name
        ["丁公司", wrong_check(uscc(17)), "北京", "互联网服务", "d@x.cn"],  # 5 bad check char
        ["戊公司", uscc(10), "北京", "互联网服务", "e@x.cn"],  # 6 repeats row 2
        ["己公司", registered_code, "北京", "互联网服务", "f@x.cn"],  # 7 registered already
        ["庚公司", uscc(13), "火星", "互联网服务", "g@x.cn"],  # 8 unknown province
        ["辛公司", uscc(14), "北京", "养殖业", "h@x.cn"],  # 9 unknown sector
        ["壬公司", uscc(15), "北京", "互联网服务", "not-an-address"],  # 10 bad e-mail
        ["癸公司", uscc(16), "上海", "互联网服务", "j@x.cn"],  # 11 outside the jurisdiction
        [None, None, None, None, None],  # 12 blank: skipped
        ["子公司", "", "", "", ""],  # 13 everything missing
    ]


def xlsx(table) -> bytes:
    book = Workbook()
    for row in table:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(table, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([["" if c is None else c for c in row] for row in table])
    return out.getvalue().encode(encoding)


@pytest.fixture
def regulator(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = RegulatorProfileFactory(provinces=["110000"]).user
    client.force_login(user)
    return user


def post(client, data: bytes, name: str, action: str):
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("onboarding:import"), {"file": upload, action: "1"})


def problems_by_row(response) -> dict[int, list[str]]:
    return dict(response.context["row_problems"])


@pytest.mark.parametrize("kind", ["xlsx", "csv", "csv-gb18030"])
def test_the_dry_run_lists_every_bad_row_and_writes_nothing(client, regulator, kind):
    registered = OrganisationFactory(uscc=uscc(99)).uscc
    table = rows(registered)
    data = {
        "xlsx": lambda: xlsx(table),
        "csv": lambda: csv_bytes(table),
        "csv-gb18030": lambda: csv_bytes(table, "gb18030"),
    }[kind]()
    before = Organisation.objects.count()
    response = post(client, data, f"orgs.{kind[:4].rstrip('-')}", "check")
    assert response.status_code == 200
    found = problems_by_row(response)
    assert sorted(found) == [4, 5, 6, 7, 8, 9, 10, 11, 13]
    text = {row: " ".join(messages) for row, messages in found.items()}
    assert "name is empty" in text[4]
    assert "check character" in text[5]
    assert "already on row 2" in text[6]
    assert "already registered" in text[7]
    assert "Unknown province: 火星" in text[8]
    assert "Unknown sector: 养殖业" in text[9]
    assert "not-an-address" in text[10]
    assert "outside your jurisdiction" in text[11]
    assert "credit code is empty" in text[13] and "contact e-mail is empty" in text[13]
    assert [row.number for row in response.context["checked"].rows] == [2, 3]
    assert Organisation.objects.count() == before and not mail.outbox


def test_the_real_run_with_a_bad_row_writes_nothing(client, regulator):
    registered = OrganisationFactory(uscc=uscc(99)).uscc
    before = Organisation.objects.count()
    response = post(client, xlsx(rows(registered)), "orgs.xlsx", "import")
    assert response.status_code == 200 and not response.context["done"]
    assert len(problems_by_row(response)) == 9
    assert Organisation.objects.count() == before
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_real_run_creates_every_organisation_and_invites_the_contacts(
    client, regulator, django_capture_on_commit_callbacks
):
    good = rows("x")[:3] + [["北京丙有限公司", uscc(20), "110000", "金融", "c@bing.cn"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, xlsx(good), "orgs.xlsx", "import")
    assert response.context["done"]
    created = Organisation.objects.filter(uscc__in=[uscc(10), uscc(11), uscc(20)])
    assert created.count() == 3
    assert set(created.values_list("province", flat=True)) == {"110000"}
    assert created.get(uscc=uscc(20)).sector == "finance"
    invitations = Invitation.objects.filter(organisation__in=created, role="owner")
    assert sorted(invitations.values_list("email", flat=True)) == [
        "a@jia.cn",
        "b@yi.cn",
        "c@bing.cn",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@jia.cn", "b@yi.cn", "c@bing.cn"]
    assert AuditEvent.objects.filter(verb="organisation.import").count() == 3


def test_a_failure_half_way_rolls_everything_back(regulator, monkeypatch):
    from assessments import services as assessment_services

    calls = []

    def failing_invite(**kwargs):
        calls.append(kwargs["email"])
        if len(calls) == 2:
            raise RuntimeError("mail server down")

    monkeypatch.setattr(assessment_services, "member_invite", failing_invite)
    with pytest.raises(RuntimeError):
        services.organisations_import(
            by=regulator, filename="x.xlsx", data=xlsx(rows("x")[:3]), dry_run=False
        )
    assert not Organisation.objects.filter(uscc__in=[uscc(10), uscc(11)]).exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xef\xbb\xbf\n\n", "empty.csv", "The file is empty"),
        (csv_bytes([["公司", "代码"], ["a", "b"]]), "x.csv", "missing: 名称、统一社会信用代码"),
        (csv_bytes([HEADER]), "x.csv", "no rows"),
        (b"PK\x03\x04 broken", "x.xlsx", "not an Excel workbook"),
        (b"\x00\x01binary", "x.xlsx", "not an Excel workbook"),
    ],
)
def test_an_unusable_file_is_a_message(client, regulator, data, name, message):
    response = post(client, data, name, "check")
    assert response.status_code == 200
    assert message in " ".join(response.context["file_problems"])


def test_an_empty_upload_is_a_form_error(client, regulator):
    response = post(client, b"", "empty.csv", "check")
    assert "file" in response.context["form"].errors


def test_only_regulators_import(client, org_owner):
    client.force_login(org_owner)
    assert post(client, csv_bytes([HEADER]), "x.csv", "check").status_code == 403
