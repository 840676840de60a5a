"""The public library's page cache: served without queries to visitors, never stale."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from regulations import services
from regulations.models import KeyPoint
from tests.factories import UserFactory
from tests.regulations.factories import RegulationFactory, edition_with_articles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]

D = datetime.date
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
ANY_TOKEN = re.compile(
    r'(?<=csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}|(?<="X-CSRFToken": ")[A-Za-z0-9]{64}'
)


@pytest.fixture
def edition():
    regulation = RegulationFactory(code="TST", title_zh="测试法", title_en="Test Law")
    return edition_with_articles(regulation=regulation, effective_from=D(2020, 1, 1), articles=3)


PAGES = [
    reverse("regulations:list"),
    reverse("regulations:detail", args=["TST"]),
    reverse("regulations:article_history", args=["TST", 1]),
    reverse("regulations:search") + "?q=条",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_visitors_second_request_is_served_without_a_query(
    client, edition, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    fresh = Client()
    with django_assert_num_queries(0):
        second = fresh.get(url)
    assert second.status_code == 200
    assert ANY_TOKEN.sub("", second.content.decode()) == ANY_TOKEN.sub("", first.content.decode())


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(edition):
    url = PAGES[1]
    Client().get(url)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    token = TOKEN.search(page.content.decode()).group(1)
    other = TOKEN.search(Client().get(url).content.decode()).group(1)
    assert token != other
    assert f'"X-CSRFToken": "{token}"' in page.content.decode()
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_publishing_an_edition_is_on_the_next_request(
    client,
    edition,
    regulations_admin,
    django_capture_on_commit_callbacks,
):
    url = PAGES[1]
    assert "修改后的第一条" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.edition_create_draft(from_edition=edition, by=regulations_admin)
        services.article_revise(
            article=draft.articles.get(number=1), text="修改后的第一条。", by=regulations_admin
        )
        services.edition_publish(edition=draft, effective_from=D(2026, 3, 1), by=regulations_admin)
    assert "修改后的第一条" in Client().get(url).content.decode()


def test_a_changed_key_point_is_on_the_next_request(
    client, edition, django_capture_on_commit_callbacks
):
    url = PAGES[2]
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        KeyPoint.objects.create(
            regulation=edition.regulation, article_number=1, zh="新的要点。", en="A new point."
        )
    assert "新的要点" in Client().get(url).content.decode()


def test_the_language_is_part_of_the_key(edition):
    url = PAGES[1]
    assert "测试法" in Client().get(url).content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Test Law" in english.get(url).content.decode()
    assert "测试法" in Client().get(url).content.decode()


def test_the_day_is_part_of_the_key(edition, monkeypatch):
    from django.utils import timezone

    url = PAGES[1]
    Client().get(url)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(2019, 6, 1))
    page = Client().get(url).content.decode()
    assert "2019-06-01" in page or "2019" in page


def test_a_matching_etag_is_answered_with_304_until_the_library_changes(
    edition, django_capture_on_commit_callbacks
):
    url = PAGES[0]
    etag = Client().get(url)["ETag"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        RegulationFactory(code="NEW", title_zh="新法")
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "新法" in response.content.decode()


def test_a_signed_in_person_gets_the_page_rendered_for_them(client, edition):
    url = PAGES[0]
    Client().get(url)
    user = UserFactory(email="reader@example.com")
    client.force_login(user)
    page = client.get(url)
    assert user.get_short_name() in page.content.decode()
    assert "ETag" not in page
