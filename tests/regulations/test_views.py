"""Public pages: list, regulation at a date, article history with diff, search."""

import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regulations import services
from regulations.models import Article
from tests.regulations.factories import (
    KeyPointFactory,
    RegulationFactory,
    SectionFactory,
    edition_with_articles,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def law():
    """A regulation with two editions: article 2 reworded from 2024-01-01."""
    regulation = RegulationFactory(code="TST", title_zh="测试法", title_en="Test Law")
    edition_with_articles(regulation=regulation, effective_from=D(2020, 1, 1), articles=3)
    new = edition_with_articles(regulation=regulation, effective_from=D(2024, 1, 1), articles=3)
    Article.objects.filter(edition=new, number=2).update(
        text="修改后的第二条，<script>不执行</script>。",
        paragraphs=[{"text": "修改后的第二条，<script>不执行</script>。", "items": []}],
    )
    services.editions_relink(regulation)
    KeyPointFactory(
        regulation=regulation, article_number=2, zh="第二条要点", en="Gist of article 2"
    )
    return regulation


def detail(code, **query):
    url = reverse("regulations:detail", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_list_is_public_and_shows_every_regulation(english, law):
    RegulationFactory(code="EMPTY", title_zh="未导入文本的规定")
    response = english.get(reverse("regulations:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "测试法" in content and "Test Law" in content
    assert "未导入文本的规定" in content and "text not imported" in content


def test_the_regulation_page_shows_the_text_in_force_today_with_anchors(english, law):
    response = english.get(detail("TST"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="art-1"' in content and 'id="art-3"' in content
    assert "修改后的第二条，&lt;script&gt;不执行&lt;/script&gt;。" in content
    assert "<script>不执行" not in content
    assert "Gist of article 2" in content
    assert "the edition in force from 2024-01-01, 3 articles" in content


def test_the_point_in_time_view_shows_the_older_edition(english, law):
    content = english.get(detail("TST", on="2023-12-31")).content.decode()
    assert "the edition in force from 2020-01-01" in content
    assert "修改后的第二条" not in content
    assert "第2条的测试条文" in content


def test_before_the_first_edition_it_says_nothing_was_in_force(english, law):
    content = english.get(detail("TST", on="2019-01-01")).content.decode()
    assert "No edition of this regulation was in force on 2019-01-01." in content


@pytest.mark.parametrize("value", ["not-a-date", "2025-02-30", "2025-6-1", "20250601"])
def test_a_bad_date_is_refused_with_a_message_not_silently_today(english, law, value):
    response = english.get(detail("TST", on=value))
    assert response.status_code == 400
    content = response.content.decode()
    assert "is not a date written YYYY-MM-DD" in content
    assert "the edition in force from" not in content
    history = english.get(f"/regulations/TST/articles/1/?on={value}")
    assert history.status_code == 400
    assert english.get(f"/regulations/search/?q=x&on={value}").status_code == 400


def test_an_empty_date_means_today(english, law):
    response = english.get(detail("TST", on=""))
    assert response.status_code == 200


def test_a_regulation_without_text_shows_metadata_and_key_points(english):
    call_command("load_catalogue", stdout=StringIO())
    content = english.get(detail("LABEL")).content.decode()
    assert "人工智能生成合成内容标识办法" in content
    assert "国信办通字〔2025〕2号" in content
    assert "has not been imported" in content
    assert "providers add explicit labels at suitable places" in content


def test_an_unknown_regulation_is_404(client):
    assert client.get(detail("NOPE")).status_code == 404


def test_the_cybersecurity_law_on_2025_12_31_is_the_2016_text(english, shared_dir):
    call_command("import_regulation", str(shared_dir), stdout=StringIO())
    old = english.get(detail("CSL", on="2025-12-31")).content.decode()
    new = english.get(detail("CSL", on="2026-01-01")).content.decode()
    assert "the edition in force from 2017-06-01, 79 articles" in old
    assert 'id="art-79"' in old and 'id="art-80"' not in old
    assert "the edition in force from 2026-01-01, 81 articles" in new
    assert 'id="art-81"' in new
    assert "第一节 一般规定" in new


def count_queries(client, url) -> int:
    cache.clear()  # a visitor without a session is served from the page cache otherwise
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_regulation_page_runs_a_fixed_number_of_queries(english, django_assert_max_num_queries):
    edition_with_articles(regulation=RegulationFactory(code="SMALL"), articles=5)
    big = edition_with_articles(regulation=RegulationFactory(code="BIG"), articles=81, chapters=7)
    SectionFactory(chapter=big.chapters.get(number=3))
    for number in range(1, 82, 5):
        KeyPointFactory(regulation=big.regulation, article_number=number)
    with django_assert_max_num_queries(6):
        english.get(detail("BIG"))
    assert count_queries(english, detail("SMALL")) == count_queries(english, detail("BIG"))


def test_the_list_runs_a_fixed_number_of_queries(english, django_assert_max_num_queries):
    for n in range(8):
        edition_with_articles(regulation=RegulationFactory(code=f"R{n}"), articles=n + 1)
    with django_assert_max_num_queries(2):
        english.get(reverse("regulations:list"))


def test_the_article_history_shows_a_character_diff(english, law, django_assert_max_num_queries):
    url = reverse("regulations:article_history", args=["TST", 2])
    # regulation, editions, lineage rows, articles, key point
    with django_assert_max_num_queries(5):
        response = english.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<del>第2条的测试条文，涉及个人信息的处理</del>" in content or "<del>" in content
    assert "<ins>" in content
    assert "&lt;script&gt;" in content and "<script>不执行" not in content
    assert "Gist of article 2" in content


def test_the_history_of_an_unknown_article_is_404(client, law):
    assert client.get(reverse("regulations:article_history", args=["TST", 99])).status_code == 404


def test_search_highlights_chinese_matches(english, law, django_assert_max_num_queries):
    url = reverse("regulations:search") + "?q=个人信息&on=2023-06-01"
    with django_assert_max_num_queries(3):  # the regulations, the count, the page
        response = english.get(url)
    content = response.content.decode()
    assert "3 articles in force on 2023-06-01." in content
    assert "涉及<mark>个人信息</mark>的处理" in content
    assert "#art-1" in content


def test_search_escapes_the_text_and_the_query(english, law):
    url = reverse("regulations:search") + "?q=<script>&on=2024-06-01"
    content = english.get(url).content.decode()
    assert "<mark>&lt;script&gt;</mark>不执行" in content
    assert "<script>不执行" not in content


def test_search_without_a_query_shows_only_the_form(english):
    response = english.get(reverse("regulations:search"))
    assert response.status_code == 200
    assert "result-count" not in response.content.decode()


def test_the_navigation_links_to_the_library(english):
    content = english.get(reverse("regulations:list")).content.decode()
    assert f'href="{reverse("regulations:list")}"' in content
