"""An edition published with a future effective date is upcoming, never in force."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regulations import selectors, services
from regulations.models import Article
from tests.regulations.factories import RegulationFactory, edition_with_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming():
    """TST in force since 2020 with 3 articles; an amended edition of 4 articles published
    today that takes effect in 30 days."""
    today = timezone.localdate()
    regulation = RegulationFactory(code="TST", title_zh="测试法")
    current = edition_with_articles(
        regulation=regulation, effective_from=datetime.date(2020, 1, 1), articles=3
    )
    future = edition_with_articles(
        regulation=regulation, effective_from=today + datetime.timedelta(days=30), articles=4
    )
    Article.objects.filter(edition=future, number=1).update(
        text="将来施行的第一条。", paragraphs=[{"text": "将来施行的第一条。", "items": []}]
    )
    services.editions_relink(regulation)
    return current, future


def test_the_upcoming_edition_is_never_in_force_today(upcoming):
    current, future = upcoming
    today = timezone.localdate()
    assert selectors.edition_in_force("TST", today) == current
    assert selectors.article_in_force("TST", 1, today).edition == current
    assert selectors.article_in_force("TST", 4, today) is None
    assert selectors.articles_in_force([("TST", 1)], today)[("TST", 1)].edition == current
    assert not future.is_in_force_on(today)
    assert "将来施行" not in " ".join(a.text for a in selectors.search_articles("第一条", today))


def test_the_pages_show_it_as_upcoming_and_count_the_text_in_force(upcoming, client):
    current, future = upcoming
    client.cookies["django_language"] = "en"
    date = future.effective_from.isoformat()
    page = client.get(reverse("regulations:detail", args=["TST"])).content.decode()
    assert f"An amended edition takes effect on {date}. It is not in force yet." in page
    assert "3 articles" in page and "4 articles" not in page
    assert "将来施行" not in page
    listing = client.get(reverse("regulations:list")).content.decode()
    assert ">3<" in listing.replace(" ", "") or "3 articles" in listing
    ahead = client.get(reverse("regulations:detail", args=["TST"]) + f"?on={date}")
    content = ahead.content.decode()
    assert "You are reading the upcoming text" in content
    assert "将来施行" in content


def test_in_chinese_it_says_when_it_takes_effect(upcoming, client):
    current, future = upcoming
    page = client.get(reverse("regulations:detail", args=["TST"])).content.decode()
    assert "将于" in page and "施行" in page
