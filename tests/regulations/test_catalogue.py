"""The bundled catalogue: twelve regulations, known editions, key points for every citation."""

import datetime
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from regulations import selectors
from regulations.models import Edition, KeyPoint, Regulation
from tests.support import REPO_ROOT

pytestmark = pytest.mark.django_db

CODES = {
    "CSL",
    "DSL",
    "NDSMR",
    "PIPL",
    "PIAUDIT",
    "DATAEXPORT",
    "PICERT",
    "MINORS",
    "ALGO",
    "DEEPSYNTH",
    "GENAI",
    "LABEL",
}
EXPECTED_ARTICLES = {
    "CSL": 81,
    "DSL": 55,
    "PIPL": 74,
    "ALGO": 35,
    "DEEPSYNTH": 25,
    "GENAI": 24,
    "LABEL": 14,
    "NDSMR": 64,
    "DATAEXPORT": 20,
    "PIAUDIT": 20,
    "PICERT": 19,
    "MINORS": 60,
}


def load():
    out = StringIO()
    call_command("load_catalogue", stdout=out)
    return out.getvalue()


def cited_articles() -> set[tuple[str, int]]:
    """Every (regulation, article) in the bundled questionnaires' citations, penalties and
    red-line bases."""
    found: set[tuple[str, int]] = set()

    def walk(node):
        if isinstance(node, dict):
            for citation in node.get("citations") or []:
                found.add((citation["regulation"], int(citation["article"])))
            for key in ("penalty", "red_line_basis"):
                entry = node.get(key)
                if isinstance(entry, dict) and "regulation" in entry:
                    found.add((entry["regulation"], int(entry["article"])))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((REPO_ROOT / "assessments" / "content").glob("questionnaire-v*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def test_it_loads_the_twelve_regulations_with_metadata():
    assert load().startswith("catalogue: 12 regulations")
    regulations = {r.code: r for r in Regulation.objects.all()}
    assert set(regulations) == CODES
    for code, count in EXPECTED_ARTICLES.items():
        regulation = regulations[code]
        assert regulation.article_count == count
        assert regulation.title_zh and regulation.title_en and regulation.issuer_zh
        assert regulation.doc_number and regulation.promulgated and regulation.effective
    assert regulations["LABEL"].kind == Regulation.Kind.NORMATIVE_DOCUMENT
    assert regulations["ALGO"].kind == Regulation.Kind.DEPARTMENTAL_RULE
    assert regulations["NDSMR"].kind == Regulation.Kind.ADMINISTRATIVE_REGULATION
    assert regulations["MINORS"].kind == Regulation.Kind.ADMINISTRATIVE_REGULATION


def test_the_cybersecurity_law_has_both_known_editions():
    load()
    editions = Edition.objects.filter(regulation__code="CSL").order_by("effective_from")
    assert [(e.effective_from, e.effective_to, e.expected_article_count) for e in editions] == [
        (datetime.date(2017, 6, 1), datetime.date(2025, 12, 31), 79),
        (datetime.date(2026, 1, 1), None, 81),
    ]
    assert (
        selectors.edition_in_force("CSL", datetime.date(2025, 12, 31)).expected_article_count == 79
    )


def test_every_cited_article_has_a_bilingual_key_point():
    load()
    stored = set(KeyPoint.objects.values_list("regulation__code", "article_number"))
    missing = cited_articles() - stored
    assert not missing, sorted(missing)
    assert len(cited_articles()) >= 170
    assert not KeyPoint.objects.filter(zh="").exists()
    assert not KeyPoint.objects.filter(en="").exists()


def test_loading_twice_changes_nothing():
    load()
    before = (
        list(Regulation.objects.values()),
        list(Edition.objects.values()),
        list(KeyPoint.objects.values()),
    )
    history = Regulation.history.count() + KeyPoint.history.count() + Edition.history.count()
    load()
    after = (
        list(Regulation.objects.values()),
        list(Edition.objects.values()),
        list(KeyPoint.objects.values()),
    )
    assert after == before
    assert (
        Regulation.history.count() + KeyPoint.history.count() + Edition.history.count() == history
    )


def test_loading_after_an_import_keeps_the_imported_text(shared_dir):
    call_command("import_regulation", str(shared_dir / "pipl.md"), stdout=StringIO())
    load()
    edition = Edition.objects.get(regulation__code="PIPL")
    assert edition.articles.count() == 74
    assert Regulation.objects.get(code="PIPL").title_en == (
        "Personal Information Protection Law of the People's Republic of China"
    )
