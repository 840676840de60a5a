"""Issue 15 in a real browser: a company registers and confirms its address, the regulator
approves; a regulator checks a spreadsheet; no page breaks the Content-Security-Policy."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from onboarding.models import RegistrationRequest
from portal.models import Organisation
from tests.e2e.test_csp import LONG, watchers  # noqa: F401 - the fixture
from tests.factories import RegulatorProfileFactory, make_uscc

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_confirm_and_approve_in_the_browser(watchers, tmp_path):  # noqa: F811
    regulator = RegulatorProfileFactory(provinces=["110000"]).user
    code = make_uscc(777_001)

    visitor = watchers()
    visitor.goto("/", shows="a[href='/onboarding/register/']")
    visitor.page.click("a[href='/onboarding/register/']")
    page = visitor.page
    page.fill("input[name=name]", "浏览器注册科技有限公司")
    page.fill("input[name=uscc]", code.lower())  # upper-cased by the form
    page.select_option("select[name=province]", "110000")
    page.select_option("select[name=sector]", "internet")
    page.select_option("select[name=size]", "small")
    page.fill("input[name=applicant_name]", "王芳")
    page.fill("input[name=applicant_email]", "wangfang@example.cn")
    page.click("button[type=submit].btn-primary")
    expect(page.locator("main h1")).to_have_text("请查收邮件")
    link = re.search(r"(/onboarding/register/verify/\S+?/)", mail.outbox[-1].body).group(1)
    visitor.goto(link, shows="main form button")
    page.click("main form button")
    expect(page.locator("main h1")).to_have_text("申请已提交")
    visitor.harvest()
    assert RegistrationRequest.objects.get().status == "pending"

    reviewer = watchers()
    reviewer.sign_in(regulator)
    reviewer.goto("/onboarding/requests/", shows="main table a")
    reviewer.page.click("main table a")
    expect(reviewer.page.locator("main h1")).to_have_text("浏览器注册科技有限公司")
    reviewer.page.click("button[value=approve]")
    expect(reviewer.page.locator(".alert-success")).to_be_visible()
    reviewer.goto("/onboarding/import/", shows="input[type=file]")
    sheet = tmp_path / "单位.csv"
    sheet.write_text(
        "名称,统一社会信用代码,省份,行业,联系邮箱\n甲公司,BAD,北京,互联网服务,a@x.cn\n",
        encoding="utf-8",
    )
    reviewer.page.set_input_files("input[type=file]", str(sheet))
    reviewer.page.click("button[name=check]")
    expect(reviewer.page.locator("#row-problems td").first).to_have_text("2", timeout=LONG)
    reviewer.harvest()

    assert Organisation.objects.filter(uscc=code).exists()
    violations = visitor.violations + reviewer.violations
    assert violations == []
