"""A content admin amends an article in a draft edition and publishes it with a date; the
public page shows the new text from that date and the old text before it."""

import datetime

import pytest

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from tests.regulations.factories import (
    RegulationFactory,
    content_admin_with_permissions,
    edition_with_articles,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEW_TEXT = "网络运营者应当在发现安全漏洞后二十四小时内报告。"


def test_a_content_admin_publishes_an_amended_article(page, live_server):
    admin_user = content_admin_with_permissions(UserFactory(is_staff=True))
    regulation = RegulationFactory(code="TST", title_zh="测试网络安全规定")
    edition = edition_with_articles(
        regulation=regulation, effective_from=datetime.date(2020, 1, 1), articles=3
    )
    old_text = edition.articles.get(number=2).text

    sign_in(page, live_server, admin_user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/admin/regulations/edition/{edition.pk}/change/")
    assert page.locator("textarea").count() == 0  # published: read-only

    page.click("#new-draft")
    page.wait_for_url("**/admin/regulations/edition/*/change/")
    assert f"/edition/{edition.pk}/" not in page.url
    draft_url = page.url
    assert page.locator("#articles-group textarea").count() == 0  # one article at a time
    page.locator("#articles-group tr", has_text="第二条").locator("a.article-edit").click()
    page.wait_for_url("**/admin/regulations/article/*/change/")
    page.fill("textarea[name='text']", NEW_TEXT)
    page.click("input[name='_save']")
    page.wait_for_selector(".messagelist .success")
    page.goto(draft_url)

    page.click("#publish-edition")
    page.wait_for_url("**/publish/")
    assert "<ins>" in page.inner_html("#changed-articles")
    page.fill("input[name='effective_from']", "2026-03-01")
    page.click("input[name='publish']")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{live_server.url}/regulations/TST/?on=2026-03-01")
    assert NEW_TEXT in page.inner_text("#art-2")
    page.goto(f"{live_server.url}/regulations/TST/?on=2026-02-28")
    assert old_text in page.inner_text("#art-2")
    assert NEW_TEXT not in page.content()

    page.goto(f"{live_server.url}/regulations/TST/articles/2/")
    assert "<ins>" in page.inner_html(".diff")
