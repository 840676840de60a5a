"""Content administration: read-only published editions, drafts, the publish confirmation."""

import datetime

import pytest
from django.urls import reverse

from regulations import selectors, services
from regulations.models import Article, Edition
from tests.factories import UserFactory
from tests.regulations.factories import RegulationFactory, edition_with_articles

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def edition():
    regulation = RegulationFactory(code="TST", title_zh="测试法")
    return edition_with_articles(regulation=regulation, effective_from=D(2020, 1, 1), articles=3)


@pytest.fixture
def admin_client(client, regulations_admin):
    client.cookies["django_language"] = "en"
    client.force_login(regulations_admin)
    return client


@pytest.fixture
def draft(edition, regulations_admin):
    draft = services.edition_create_draft(from_edition=edition, by=regulations_admin)
    services.article_revise(
        article=draft.articles.get(number=1), text="修改后的第一条。", by=regulations_admin
    )
    return draft


def change_url(edition):
    return reverse("admin:regulations_edition_change", args=[edition.pk])


def publish_url(edition):
    return reverse("admin:regulations_edition_publish", args=[edition.pk])


def test_a_published_edition_is_read_only(admin_client, edition):
    response = admin_client.get(change_url(edition))
    content = response.content.decode()
    assert response.status_code == 200
    assert "第1条的测试条文" in content
    assert "<textarea" not in content
    assert "New draft from this edition" in content
    assert admin_client.post(change_url(edition), {"title": "x"}).status_code == 403


def test_a_published_article_cannot_be_changed_in_the_admin(admin_client, edition):
    article = edition.articles.get(number=1)
    url = reverse("admin:regulations_article_change", args=[article.pk])
    assert admin_client.post(url, {"text": "改掉"}).status_code == 403
    article.refresh_from_db()
    assert article.text.startswith("第1条的测试条文")


def test_new_draft_from_this_edition_copies_it(admin_client, edition):
    response = admin_client.post(reverse("admin:regulations_edition_new_draft", args=[edition.pk]))
    draft = Edition.objects.get(status="draft")
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    assert draft.articles.count() == 3
    assert "<textarea" in admin_client.get(change_url(draft)).content.decode()


def test_the_new_draft_action_copies_the_selected_edition(admin_client, edition):
    response = admin_client.post(
        reverse("admin:regulations_edition_changelist"),
        {"action": "new_draft_from_selected", "_selected_action": [edition.pk]},
    )
    assert response.status_code == 302
    assert Edition.objects.filter(status="draft", based_on=edition).exists()


def test_an_article_of_a_draft_is_edited_through_the_admin(admin_client, draft):
    article = draft.articles.get(number=2)
    url = reverse("admin:regulations_article_change", args=[article.pk])
    response = admin_client.post(
        url, {"text": "新的条文：\r\n（一）第一项；\r\n\r\n（二）第二项。"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.text == "新的条文：\n（一）第一项；\n（二）第二项。"
    assert article.paragraphs == [
        {"text": "新的条文：", "items": ["（一）第一项；", "（二）第二项。"]}
    ]
    assert article.fingerprint == services.text_fingerprint(article.text)


def test_the_publish_page_shows_the_diff_and_asks_for_a_date(admin_client, draft):
    response = admin_client.get(publish_url(draft))
    content = response.content.decode()
    assert response.status_code == 200
    assert "compared with the edition in force from 2020-01-01" in content
    assert 'id="changed-articles"' in content
    assert "<ins>修改后的第一条</ins>" in content or "<ins>" in content
    assert "<del>" in content
    assert "Article 2" not in content  # unchanged articles are not listed
    assert 'name="effective_from"' in content


def test_the_publish_page_lists_the_questions_citing_changed_articles(admin_client, draft):
    from tests.assessments.factories import load_small_questionnaire

    load_small_questionnaire()  # its questions (CSL-01 among them) cite TST article 1
    content = admin_client.get(publish_url(draft)).content.decode()
    assert 'id="citing-questions"' in content
    assert "CSL-01" in content
    citing = services.citing_questions("TST", [1, 2])
    assert "CSL-01" in [item.question.code for item in citing]
    assert {item.article_numbers for item in citing} == {(1,)}
    assert services.citing_questions("TST", [2]) == []


def test_publishing_with_a_date_puts_the_new_text_in_force(admin_client, draft, edition):
    response = admin_client.post(
        publish_url(draft), {"effective_from": "2026-03-01", "change_note": "第一条修改"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    edition.refresh_from_db()
    assert (draft.status, draft.effective_from, draft.change_note) == (
        "published",
        D(2026, 3, 1),
        "第一条修改",
    )
    assert edition.effective_to == D(2026, 2, 28)
    assert selectors.article_in_force("TST", 1, D(2026, 3, 1)).text == "修改后的第一条。"
    assert selectors.article_in_force("TST", 1, D(2026, 2, 28)).edition == edition


def test_publishing_on_a_taken_date_shows_the_reason(admin_client, draft):
    response = admin_client.post(publish_url(draft), {"effective_from": "2020-01-01"})
    assert response.status_code == 200
    assert "already takes effect on 2020-01-01" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_published_edition_cannot_be_published_again(admin_client, edition):
    response = admin_client.post(publish_url(edition), {"effective_from": "2030-01-01"})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.effective_from == D(2020, 1, 1)


def test_staff_without_the_publish_permission_cannot_publish(client, draft):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(publish_url(draft)).status_code == 403
    assert client.post(publish_url(draft), {"effective_from": "2026-03-01"}).status_code == 403


def test_members_and_visitors_cannot_reach_the_admin(client, org_owner, draft):
    assert client.get(publish_url(draft)).status_code == 302  # to the admin login
    client.force_login(org_owner)
    assert client.get(publish_url(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_history_of_changes_is_kept(admin_client, draft, regulations_admin):
    article = draft.articles.get(number=1)
    records = list(article.history.all())
    assert records[0].history_user == regulations_admin
    assert records[0].text == "修改后的第一条。"
    assert Article.history.filter(id=article.pk).count() == 2
