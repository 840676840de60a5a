"""export_regulation: JSON of the edition in force on a day."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regulations import services
from tests.regulations.factories import (
    ChapterFactory,
    RegulationFactory,
    SectionFactory,
    edition_with_articles,
)

pytestmark = pytest.mark.django_db


def export(*args):
    out = StringIO()
    call_command("export_regulation", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def regulation():
    regulation = RegulationFactory(code="TST", title_zh="测试法", title_en="Test Law")
    edition_with_articles(
        regulation=regulation, effective_from=datetime.date(2020, 1, 1), articles=2
    )
    new = edition_with_articles(
        regulation=regulation, effective_from=datetime.date(2024, 1, 1), articles=3, chapters=2
    )
    section = SectionFactory(chapter=new.chapters.get(number=2))
    new.articles.filter(number=3).update(section=section)
    services.editions_relink(regulation)
    return regulation


def test_it_exports_the_edition_in_force_that_day(regulation):
    document = export("TST", "--on", "2023-12-31")
    assert document["code"] == "TST"
    assert (document["title_zh"], document["title_en"]) == ("测试法", "Test Law")
    assert (document["effective_from"], document["effective_to"]) == ("2020-01-01", "2023-12-31")
    assert [a["number"] for a in document["articles"]] == [1, 2]


def test_articles_carry_chapter_and_section_numbers(regulation):
    document = export("tst", "--on", "2024-01-01")
    assert [(a["number"], a["chapter"], a["section"]) for a in document["articles"]] == [
        (1, 1, None),
        (2, 1, None),
        (3, 2, 1),
    ]
    assert document["articles"][0]["text"].startswith("第1条的测试条文")


def test_unknown_codes_and_empty_dates_are_errors(regulation):
    with pytest.raises(CommandError, match="no regulation with the code"):
        export("NOPE")
    with pytest.raises(CommandError, match="no edition of TST is in force on 2019-01-01"):
        export("TST", "--on", "2019-01-01")


def test_it_defaults_to_today(regulation):
    assert export("TST")["effective_from"] == "2024-01-01"


def test_a_chapter_factory_is_usable_alone():
    assert ChapterFactory().edition.status == "published"
