"""The bundled questionnaire loads against the real regulation texts, citations and all."""

import io

import pytest
from django.core.management import call_command

from assessments.loading import questionnaire_problems
from assessments.management.commands.load_questionnaire import BUNDLED, read_spec
from assessments.models import Question, QuestionnaireVersion
from assessments.rules import MODULES

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec():
    return read_spec(BUNDLED)


@pytest.fixture
def official_texts(shared_dir):
    call_command("load_catalogue", verbosity=0)
    call_command("import_regulation", str(shared_dir), stdout=io.StringIO())
    return shared_dir


def test_every_citation_resolves_in_the_editions_in_force(official_texts, spec):
    assert questionnaire_problems(spec) == []


def test_a_phrase_missing_from_the_article_is_reported(official_texts, spec):
    question = spec["sections"][1]["questions"][0]
    question["citations"][0]["phrase"] = "这句话不在条文里"
    problems = questionnaire_problems(spec)
    assert len(problems) == 1
    assert problems[0].startswith(f"{question['code']}: citation")
    assert "is not in the article in force" in problems[0]


def test_an_article_beyond_the_edition_is_reported(official_texts, spec):
    question = spec["sections"][1]["questions"][0]
    question["citations"][0]["article"] = 82  # the CSL in force has 81 articles
    problems = questionnaire_problems(spec)
    assert any("no such article in the edition in force" in p for p in problems), problems


def test_citations_resolve_against_the_2016_text_before_2026(official_texts, spec):
    """On 2025-06-01 the 79-article Cybersecurity Law is in force: new numbering fails there."""
    from datetime import date

    problems = questionnaire_problems(spec, on=date(2025, 6, 1))
    assert problems and all(" CSL " in p or "CSL 第" in p for p in problems)


def test_the_bundled_file_loads_without_official_texts(spec):
    call_command("load_catalogue", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    statuses = dict(QuestionnaireVersion.objects.values_list("number", "status"))
    assert statuses == {1: "retired", 2: "published"}
    version = QuestionnaireVersion.objects.get(number=2)
    scored = Question.objects.filter(version=version, weight__isnull=False)
    assert scored.count() >= 150
    assert scored.filter(red_line=True).count() >= 30
    for module in MODULES:
        assert scored.filter(section__module=module).count() >= 8, module
