"""Models, services and selectors: editions in force, drafts, publishing, citing questions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from regulations import selectors, services
from regulations.models import Article, Edition
from tests.regulations.factories import (
    ArticleFactory,
    EditionFactory,
    RegulationFactory,
    edition_with_articles,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English (the portal's default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def two_editions():
    regulation = RegulationFactory(code="TST")
    old = edition_with_articles(regulation=regulation, effective_from=D(2020, 1, 1), articles=3)
    new = edition_with_articles(regulation=regulation, effective_from=D(2024, 1, 1), articles=4)
    services.editions_relink(regulation)
    old.refresh_from_db()
    return old, new


def test_the_previous_edition_ends_the_day_before_the_next(two_editions):
    old, new = two_editions
    assert old.effective_to == D(2023, 12, 31)
    assert selectors.edition_in_force("TST", D(2023, 12, 31)) == old
    assert selectors.edition_in_force("TST", D(2024, 1, 1)) == new
    assert selectors.edition_in_force("TST", D(2019, 12, 31)) is None


def test_drafts_are_never_in_force(two_editions):
    old, _ = two_editions
    EditionFactory(regulation=old.regulation, status="draft", effective_from=None)
    assert selectors.edition_in_force(old.regulation, D(2030, 1, 1)).status == "published"


def test_article_in_force_follows_the_date(two_editions):
    old, new = two_editions
    assert selectors.article_in_force("TST", 2, D(2021, 1, 1)).edition == old
    assert selectors.article_in_force("TST", 4, D(2025, 1, 1)).edition == new
    assert selectors.article_in_force("TST", 4, D(2021, 1, 1)) is None


def test_articles_in_force_takes_one_query(two_editions, django_assert_num_queries):
    other = edition_with_articles(regulation=RegulationFactory(code="OTH"), articles=2)
    with django_assert_num_queries(1):
        found = selectors.articles_in_force(
            [("TST", 1), ("TST", 4), ("OTH", 2), ("OTH", 9), ("NONE", 1)], D(2025, 1, 1)
        )
    assert set(found) == {("TST", 1), ("TST", 4), ("OTH", 2)}
    assert found[("OTH", 2)].edition == other
    assert found[("TST", 1)].edition.effective_from == D(2024, 1, 1)


def test_search_finds_chinese_substrings_in_force(two_editions):
    results = selectors.search_articles("个人信息", D(2025, 1, 1))
    assert [a.number for a in results] == [1, 2, 3, 4]
    assert all(a.edition.effective_from == D(2024, 1, 1) for a in results)
    assert selectors.search_articles("不存在的词", D(2025, 1, 1)) == []


def test_highlight_escapes_everything_then_marks():
    html = selectors.highlight("<b>个人信息</b> & 个人信息", "个人信息")
    assert html == "&lt;b&gt;<mark>个人信息</mark>&lt;/b&gt; &amp; <mark>个人信息</mark>"
    assert selectors.highlight("a&b", "amp") == "a&amp;b"


def test_one_article_number_per_edition():
    article = ArticleFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(edition=article.edition, number=1)


def test_one_published_edition_per_date():
    edition = EditionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFactory(regulation=edition.regulation, effective_from=edition.effective_from)
    EditionFactory(
        regulation=edition.regulation, effective_from=edition.effective_from, status="replaced"
    )


def test_a_draft_copies_the_published_edition(two_editions, regulations_admin):
    _, new = two_editions
    draft = services.edition_create_draft(from_edition=new, by=regulations_admin)
    assert (draft.status, draft.based_on, draft.created_by) == ("draft", new, regulations_admin)
    assert list(draft.articles.values_list("number", "text")) == list(
        new.articles.values_list("number", "text")
    )
    assert draft.chapters.count() == new.chapters.count()
    assert draft.articles.first().chapter.edition == draft


def test_only_one_draft_at_a_time(two_editions, regulations_admin):
    _, new = two_editions
    services.edition_create_draft(from_edition=new, by=regulations_admin)
    with pytest.raises(ValidationError, match="already has a draft"):
        services.edition_create_draft(from_edition=new, by=regulations_admin)


def test_publishing_a_draft_closes_the_previous_edition(two_editions, regulations_admin):
    _, new = two_editions
    draft = services.edition_create_draft(from_edition=new, by=regulations_admin)
    article = draft.articles.get(number=2)
    services.article_revise(
        article=article, text="修改后的条文：\n（一）第一项", by=regulations_admin
    )
    published = services.edition_publish(
        edition=draft, effective_from=D(2026, 3, 1), by=regulations_admin, change_note="修正"
    )
    new.refresh_from_db()
    assert new.effective_to == D(2026, 2, 28)
    assert (published.status, published.published_by) == ("published", regulations_admin)
    assert (
        selectors.article_in_force("TST", 2, D(2026, 3, 1)).text == "修改后的条文：\n（一）第一项"
    )
    assert selectors.article_in_force("TST", 2, D(2026, 2, 28)).edition == new
    article.refresh_from_db()
    assert article.paragraphs == [{"text": "修改后的条文：", "items": ["（一）第一项"]}]
    assert article.history.first().history_user == regulations_admin


def test_publishing_guards_the_state(two_editions, regulations_admin):
    old, new = two_editions
    with pytest.raises(ValidationError, match="Only a draft"):
        services.edition_publish(edition=new, effective_from=D(2026, 1, 1), by=regulations_admin)
    draft = services.edition_create_draft(from_edition=new, by=regulations_admin)
    with pytest.raises(ValidationError, match="already takes effect on 2024-01-01"):
        services.edition_publish(edition=draft, effective_from=D(2024, 1, 1), by=regulations_admin)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_empty_draft_cannot_be_published(regulations_admin):
    draft = EditionFactory(status="draft", effective_from=None)
    with pytest.raises(ValidationError, match="without articles"):
        services.edition_publish(edition=draft, effective_from=D(2026, 1, 1), by=regulations_admin)


def test_published_articles_cannot_be_revised(two_editions):
    _, new = two_editions
    with pytest.raises(ValidationError, match="read-only"):
        services.article_revise(article=new.articles.first(), text="新的文字")


def test_a_draft_published_between_editions_fits_in_the_chain(two_editions, regulations_admin):
    old, new = two_editions
    draft = services.edition_create_draft(from_edition=old, by=regulations_admin)
    services.edition_publish(edition=draft, effective_from=D(2022, 1, 1), by=regulations_admin)
    windows = list(
        Edition.objects.published()
        .filter(regulation=old.regulation)
        .order_by("effective_from")
        .values_list("effective_from", "effective_to")
    )
    assert windows == [
        (D(2020, 1, 1), D(2021, 12, 31)),
        (D(2022, 1, 1), D(2023, 12, 31)),
        (D(2024, 1, 1), None),
    ]


def test_edition_changes_lists_reworded_added_and_removed_articles(two_editions):
    old, new = two_editions
    Article.objects.filter(edition=old, number=1).update(text="x", fingerprint="x")
    changes = services.edition_changes(base=old, edition=new)
    assert [(c.number, c.old_text is None, c.new_text is None) for c in changes] == [
        (1, False, False),
        (4, True, False),
    ]


def test_format_numbers_compresses_ranges():
    assert services.format_numbers([8, 1, 2, 3, 5, 7]) == "1-3, 5, 7-8"


def test_article_history_diffs_consecutive_editions(two_editions):
    old, new = two_editions
    Article.objects.filter(edition=new, number=1).update(
        text="第1条的测试条文，涉及敏感个人信息的处理。"
    )
    versions = selectors.article_history(old.regulation, 1)
    assert [v.edition for v in versions] == [old, new]
    assert versions[0].diff is None
    assert versions[1].diff == "第1条的测试条文，涉及<ins>敏感</ins>个人信息的处理。"


def test_citing_questions_is_empty_without_citations():
    assert services.citing_questions("CSL", []) == []


def test_the_diff_marks_characters_and_escapes_them():
    from regulations.diffing import diff_html

    assert diff_html("处五万元罚款", "处十万元罚款") == "处<del>五</del><ins>十</ins>万元罚款"
    assert diff_html("a<b", "a<c") == "a&lt;<del>b</del><ins>c</ins>"


def test_the_diff_of_unrelated_texts_replaces_them_whole():
    from regulations.diffing import diff_html

    assert diff_html("国家实行等级保护制度。", "大众传播媒介应当宣传。") == (
        "<del>国家实行等级保护制度。</del><ins>大众传播媒介应当宣传。</ins>"
    )
