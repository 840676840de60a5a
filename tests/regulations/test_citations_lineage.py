"""A question's citation names the article in the edition it was written against; in another
edition it is resolved through the lineage, in both directions."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from regulations import selectors

D = datetime.date


@pytest.fixture
def csl(db, shared_dir):
    for name in ("cybersecurity-law-2016.md", "cybersecurity-law.md"):
        call_command("import_regulation", str(shared_dir / name), stdout=StringIO())


def test_a_2016_citation_is_read_today_under_its_new_number(csl):
    resolved = selectors.resolve_citation("CSL", 21, D(2020, 1, 1), D(2026, 6, 1))
    assert resolved.numbers == [23]
    assert resolved.written_in.effective_from == D(2017, 6, 1)
    assert resolved.edition.effective_from == D(2026, 1, 1)
    assert resolved.renumbered and not resolved.changed
    assert "等级保护制度" in resolved.articles[0].text


def test_todays_citation_read_on_a_2020_date_is_the_article_as_it_then_stood(csl):
    resolved = selectors.resolve_citation("CSL", 23, D(2026, 1, 1), D(2020, 1, 1))
    assert resolved.numbers == [21]
    assert resolved.edition.effective_from == D(2017, 6, 1)
    # Not the 2016 Art. 23, which is about equipment certification.
    assert "等级保护制度" in resolved.articles[0].text


def test_a_merged_article_resolves_to_the_article_it_was_merged_into(csl):
    resolved = selectors.resolve_citation("CSL", 66, D(2020, 1, 1), D(2026, 6, 1))
    assert resolved.numbers == [71]
    assert resolved.changed and "merged" in resolved.kinds
    back = selectors.resolve_citation("CSL", 71, D(2026, 1, 1), D(2020, 1, 1))
    assert back.numbers == [64, 66, 70]


def test_a_citation_without_an_edition_is_read_by_number(csl):
    assert selectors.resolve_citation("CSL", 23, None, D(2020, 1, 1)).numbers == [23]


def test_the_article_popup_resolves_through_the_lineage(csl, client):
    client.cookies["django_language"] = "en"
    url = reverse("assessments:article", args=["CSL", 21])
    content = client.get(url + "?written=2020-01-01&on=2026-06-01").content.decode()
    assert "CSL Art. 23" in content
    assert "Cited as Art. 21 of the edition in force from 2017-06-01." in content
    assert "等级保护制度" in content
    back = client.get(
        reverse("assessments:article", args=["CSL", 23]) + "?written=2026-01-01&on=2020-01-01"
    ).content.decode()
    assert "CSL Art. 21" in back and "等级保护制度" in back
    assert client.get(url + "?written=yesterday").status_code == 400
