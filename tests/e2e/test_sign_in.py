import pytest

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_signs_in_through_the_real_page_in_chinese(page, live_server):
    member = MembershipFactory(role="owner", organisation__name="示范科技有限公司").user
    sign_in(page, live_server, member.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "你的单位" in page.content()
    assert "示范科技有限公司" in page.inner_text("main")


def test_a_member_switches_to_english_and_signs_in(page, live_server):
    member = MembershipFactory(role="viewer").user
    page.goto(f"{live_server.url}/accounts/login/")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("h1").inner_text() == "Sign in"
    sign_in(page, live_server, member.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Your organisations" in page.inner_text("main")
    assert "Viewer" in page.inner_text("main")


def test_a_wrong_password_shows_the_reason(page, live_server):
    member = MembershipFactory().user
    sign_in(page, live_server, member.email, "not the password")
    assert "请输入一个正确的电子邮箱和密码" in page.inner_text("main")
