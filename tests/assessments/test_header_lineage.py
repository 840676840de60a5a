"""A question's header shows each cited article under its number in the edition in force
today, resolved through the lineage from the edition the citation was written against, with
the written number beside it when they differ; the cached header follows the law and the day."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import fragments
from assessments.loading import questionnaire_load
from assessments.models import Citation
from assessments.scoring_inputs import forget_cached_questions
from regulations import public_cache
from tests.assessments.factories import ensure_test_regulation, small_spec, start_assessment

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def csl(shared_dir):
    for name in ("cybersecurity-law-2016.md", "cybersecurity-law.md"):
        call_command("import_regulation", str(shared_dir / name), stdout=StringIO())


@pytest.fixture
def written_in_2020(csl, organisation, org_owner):
    """CSL-01 cites the 2016 Art. 21 (graded protection) and Art. 79 (in force date), checked
    against the text in force on 1 January 2020."""
    forget_cached_questions()
    ensure_test_regulation()
    spec = small_spec()
    spec["sections"][1]["questions"][0]["citations"] = [
        {"regulation": "CSL", "article": 21, "phrase": "网络安全等级保护制度"},
        {"regulation": "TST", "article": 1, "phrase": ""},
    ]
    questionnaire_load(spec, on=D(2020, 1, 1))
    return start_assessment(organisation, org_owner, S01="domestic", S02=10)


def header_of(client, user, assessment, code="CSL-01") -> str:
    client.force_login(user)
    page = client.get(reverse("assessments:section", args=[assessment.pk, "CSL"]))
    return page.content.decode().split(f'id="cite-{code}"', 1)[0].rsplit("<header", 1)[1]


def test_the_header_shows_todays_number_and_the_written_one(client, org_owner, written_in_2020):
    cited = Citation.objects.get(regulation_code="CSL", article_number=21)
    assert cited.edition_effective == D(2017, 6, 1)
    client.cookies["django_language"] = "en"
    head = header_of(client, org_owner, written_in_2020)
    assert "CSL Art. 23" in head
    assert "(written as Art. 21 of the edition of 2017-06-01)" in head
    assert "TST Art. 1" in head and "written as Art. 1" not in head  # no text: as written


def test_the_cached_header_follows_a_lineage_correction_and_the_day(
    client, org_owner, written_in_2020
):
    client.cookies["django_language"] = "en"
    assert "CSL Art. 23" in header_of(client, org_owner, written_in_2020)
    from regulations.models import ArticleLink

    # A correction written in bulk (no signal): the stamp is bumped explicitly, as the
    # lineage services do.
    link = ArticleLink.objects.get(
        old_number=21, lineage__from_edition__effective_from=D(2017, 6, 1)
    )
    ArticleLink.objects.filter(pk=link.pk).update(new_number=24)
    assert "CSL Art. 23" in header_of(client, org_owner, written_in_2020)  # still cached
    public_cache.bump()
    head = header_of(client, org_owner, written_in_2020)
    assert "CSL Art. 24" in head and "written as Art. 21" in head
    version = written_in_2020.version
    key = fragments.headers_key(version, 1, "en", D(2026, 1, 1))
    assert key != fragments.headers_key(version, 1, "en", D(2026, 1, 2))
