"""Search in pages of 20, within one regulation when asked, with a hint for a query without
Chinese characters and a notice naming the regulations whose text is not imported."""

import datetime

import pytest
from django.urls import reverse

from tests.regulations.factories import RegulationFactory, edition_with_articles

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def library():
    """TST: 45 articles, all mentioning 个人信息; OTH: 3; EMPTY: no text imported."""
    tst = RegulationFactory(code="TST", title_zh="测试法", title_en="Test Law")
    edition_with_articles(regulation=tst, effective_from=D(2020, 1, 1), articles=45)
    oth = RegulationFactory(code="OTH", title_zh="另一部法", title_en="Other Law")
    edition_with_articles(regulation=oth, effective_from=D(2020, 1, 1), articles=3)
    RegulationFactory(code="EMPTY", title_zh="未导入文本的规定")


def search(client, **query) -> str:
    response = client.get(reverse("regulations:search"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_results_come_twenty_a_page_with_links_that_keep_the_query(english, library):
    page = search(english, q="个人信息", on="2024-06-01")
    assert page.count('class="mb-3 search-result"') == 20
    assert "48 articles in force on 2024-06-01." in page and "Page 1 of 3." in page
    assert "page=3" in page and "reg=" in page and "q=%E4%B8%AA%E4%BA%BA" in page
    last = search(english, q="个人信息", on="2024-06-01", page=3)
    assert last.count('class="mb-3 search-result"') == 8


def test_a_regulation_filter_narrows_the_results(english, library):
    page = search(english, q="个人信息", on="2024-06-01", reg="OTH")
    assert "3 articles in force on 2024-06-01." in page
    assert '<option value="OTH" selected>' in page
    assert "测试法 第" not in page
    unknown = search(english, q="个人信息", on="2024-06-01", reg="NOPE")
    assert "48 articles" in unknown  # an unknown code is ignored, not an error


def test_a_query_without_chinese_characters_gets_a_hint(english, library):
    assert 'id="not-chinese-hint"' in search(english, q="personal information")
    assert 'id="not-chinese-hint"' not in search(english, q="个人信息")


def test_regulations_without_imported_text_are_named(english, library):
    page = search(english, q="个人信息", on="2024-06-01")
    notice = page.split('id="without-text"', 1)[1].split("</p>", 1)[0]
    assert "EMPTY" in notice and "TST" not in notice
    assert '<option value="EMPTY"' not in page


def test_the_search_page_takes_a_fixed_number_of_queries(
    english, library, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        english.get(reverse("regulations:search"), {"q": "个人信息", "page": "2"})
