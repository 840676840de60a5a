"""Structure of questionnaire v1 and its citations checked against the official texts."""

import re
from pathlib import Path

import pytest
import yaml

from assessments.rules import GRADES, SCOPING, known_facts, validate_spec
from tests.support import shared_regulations_dir

QUESTIONNAIRE = (
    Path(__file__).resolve().parents[2] / "assessments" / "content" / "questionnaire-v1.yaml"
)
# Version 1 covers the first seven modules; NDS, XBORDER and MINORS came with version 2.
MODULES = ("CSL", "DSL", "PIPL", "ALGO", "DEEPSYNTH", "GENAI", "LABEL")
SECTION_ORDER = (SCOPING, *MODULES)
ANSWER_TYPES = {"level", "yesno", "number", "date", "choice", "multi"}
SCOPING_TYPES = {"yesno", "number", "date", "choice", "multi"}
WEIGHTS = {1, 2, 3, 5}
TEXT_FILES = {
    "CSL": "cybersecurity-law.md",
    "DSL": "data-security-law.md",
    "PIPL": "pipl.md",
    "ALGO": "algorithm-recommendation.md",
    "GENAI": "generative-ai.md",
}
ARTICLE_COUNTS = {"CSL": 81, "DSL": 55, "PIPL": 74, "ALGO": 35, "GENAI": 24}
UNTEXTED_COUNTS = {"DEEPSYNTH": 25, "LABEL": 14}


def load():
    return yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))


SPEC = load()
SCORED = [
    (section["module"], question)
    for section in SPEC["sections"]
    if section["module"] != SCOPING
    for question in section["questions"]
]
SCOPING_QUESTIONS = [
    question
    for section in SPEC["sections"]
    if section["module"] == SCOPING
    for question in section["questions"]
]
ALL_QUESTIONS = SCOPING_QUESTIONS + [question for _, question in SCORED]
CITATIONS = [
    (question["code"], citation) for _, question in SCORED for citation in question["citations"]
]


def ids(items):
    return [item[1]["code"] if isinstance(item, tuple) else item["code"] for item in items]


def bilingual(value) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("zh"), str)
        and isinstance(value.get("en"), str)
        and value["zh"].strip() != ""
        and value["en"].strip() != ""
    )


# --------------------------------------------------------------------------- structure


def test_header():
    assert SPEC["code"] == "AIDC-SELF"
    assert SPEC["version"] == 1
    assert bilingual(SPEC["title"]) and bilingual(SPEC["description"])


def test_sections_come_in_module_order_with_bilingual_titles():
    assert tuple(section["module"] for section in SPEC["sections"]) == SECTION_ORDER
    for section in SPEC["sections"]:
        assert bilingual(section["title"]) and bilingual(section["intro"]), section["module"]


def test_codes_are_unique_and_follow_the_pattern_of_their_section():
    codes = [question["code"] for question in ALL_QUESTIONS]
    assert len(codes) == len(set(codes))
    for question in SCOPING_QUESTIONS:
        assert re.fullmatch(r"S\d{2}", question["code"]), question["code"]
    for module, question in SCORED:
        assert re.fullmatch(rf"{module}-\d{{2}}", question["code"]), question["code"]


def test_scoping_has_about_fifteen_questions():
    assert 15 <= len(SCOPING_QUESTIONS) <= 25


def test_the_bank_is_large_enough():
    assert len(SCORED) >= 80
    for module in MODULES:
        count = sum(1 for owner, _ in SCORED if owner == module)
        assert count >= 8, module
    assert sum(1 for _, question in SCORED if question["red_line"]) >= 15


@pytest.mark.parametrize("question", ALL_QUESTIONS, ids=ids(ALL_QUESTIONS))
def test_every_question_is_bilingual_with_help(question):
    assert bilingual(question["text"])
    assert bilingual(question["help"])
    assert question["type"] in ANSWER_TYPES
    for choice in question.get("choices", []):
        assert isinstance(choice["value"], str), choice
        assert bilingual(choice["label"])
    if question["type"] in {"choice", "multi"}:
        values = [choice["value"] for choice in question["choices"]]
        assert values and len(values) == len(set(values))
    else:
        assert "choices" not in question
    if "unit" in question:
        assert bilingual(question["unit"])


@pytest.mark.parametrize("question", SCOPING_QUESTIONS, ids=ids(SCOPING_QUESTIONS))
def test_scoping_questions_are_not_scored(question):
    assert question["type"] in SCOPING_TYPES
    for key in ("weight", "red_line", "thresholds", "citations", "evidence_from"):
        assert key not in question, key
    for choice in question.get("choices", []):
        assert "level" not in choice


@pytest.mark.parametrize(("module", "question"), SCORED, ids=ids(SCORED))
def test_scored_questions_are_complete(module, question):
    assert question["weight"] in WEIGHTS
    assert isinstance(question["red_line"], bool)
    assert isinstance(question["na_allowed"], bool)
    assert question["evidence_from"] in {*GRADES[1:], None}
    assert bilingual(question["remediation"])
    assert question["citations"], "at least one citation"
    assert set(question.get("also_modules", [])) <= set(MODULES) - {module}
    if "penalty" in question:
        penalty = question["penalty"]
        assert bilingual({"zh": penalty.get("zh"), "en": penalty.get("en")})
        assert isinstance(penalty["article"], int)


@pytest.mark.parametrize(("module", "question"), SCORED, ids=ids(SCORED))
def test_answer_rules_are_well_formed(module, question):
    kind = question["type"]
    if kind == "number":
        assert_thresholds(question["thresholds"], "min")
    elif kind == "date":
        assert_thresholds(question["thresholds"], "max_age_days")
    else:
        assert "thresholds" not in question
    if kind in {"choice", "multi"}:
        levels = [choice["level"] for choice in question["choices"]]
        assert all(level in {0, 1, 2, 3} for level in levels)
        assert 3 in levels and 0 in levels


def assert_thresholds(thresholds, bound):
    assert thresholds and all(entry["level"] in {0, 1, 2, 3} for entry in thresholds)
    assert bound not in thresholds[-1], "the last entry must have no bound"
    bounded = thresholds[:-1]
    assert all(set(entry) == {bound, "level"} for entry in bounded)
    values = [entry[bound] for entry in bounded]
    levels = [entry["level"] for entry in thresholds]
    # min: from the highest bound down; max_age_days: from the shortest age up.
    expected = sorted(values, reverse=(bound == "min"))
    assert values == expected and len(set(values)) == len(values)
    assert levels == sorted(levels, reverse=True)


def test_every_rule_in_the_file_validates():
    assert validate_spec(SPEC) == []


def test_rules_only_use_scoping_codes_and_derived_facts():
    facts = known_facts(SPEC)
    assert {question["code"] for question in SCOPING_QUESTIONS} <= facts
    assert {"public_opinion", "export_route", "genai_track", "pi_band"} <= facts
    assert {"minors", "sensitive_large", "incident_modules"} <= facts


def test_grade_and_module_entries_carry_reasons():
    for entry in SPEC["grades"]:
        assert entry["grade"] in GRADES[1:]
        assert bilingual(entry["reason"]), entry["code"]
    assert set(SPEC["modules"]) == set(MODULES)
    for entries in SPEC["modules"].values():
        assert entries and all(bilingual(entry["reason"]) for entry in entries)
    for entry in SPEC["impact_raise"] + SPEC["likelihood_raise"]:
        assert bilingual(entry["reason"])


def test_evidence_defaults_follow_the_weight_unless_stated_otherwise():
    expected = {5: "G2", 3: "G3", 2: "G4", 1: "G4"}
    mismatched = [
        question["code"]
        for _, question in SCORED
        if question["evidence_from"] != expected[question["weight"]]
    ]
    assert mismatched == []


# --------------------------------------------------------------------------- citations

NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九")}
ARTICLE_LINE = re.compile(r"^第([一二三四五六七八九十百零]+)条 ")
PUNCTUATION = str.maketrans({":": "：", ";": "；", ",": "，", "(": "（", ")": "）"})


def chinese_number(text: str) -> int:
    total = 0
    for unit, size in (("百", 100), ("十", 10)):
        if unit in text:
            head, text = text.split(unit, 1)
            total += (NUMERALS[head] if head else 1) * size
    return total + (NUMERALS[text] if text else 0)


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(PUNCTUATION)


def extract_articles(markdown: str) -> dict[int, str]:
    """Article number → normalised text; a minimal reader kept private to this test."""
    body = markdown.split("<!-- INFO END -->", 1)[1]
    articles: dict[int, list[str]] = {}
    current = None
    for line in body.splitlines():
        match = ARTICLE_LINE.match(line)
        if match:
            current = chinese_number(match.group(1))
            articles[current] = [line[match.end() :]]
        elif line.startswith("#"):
            current = None
        elif current is not None:
            articles[current].append(line)
    return {number: normalise("".join(lines)) for number, lines in articles.items()}


@pytest.fixture(scope="module")
def official_texts():
    folder = shared_regulations_dir()
    if folder is None:
        pytest.skip("the shared folder of official regulation texts is not available")
    return {
        code: extract_articles((folder / name).read_text(encoding="utf-8"))
        for code, name in TEXT_FILES.items()
    }


def test_the_extractor_finds_every_article(official_texts):
    for code, count in ARTICLE_COUNTS.items():
        assert sorted(official_texts[code]) == list(range(1, count + 1)), code


def test_the_cybersecurity_law_is_the_amended_edition(official_texts):
    assert "网络日志不少于六个月" in official_texts["CSL"][23]


@pytest.mark.parametrize(("code", "citation"), CITATIONS, ids=[code for code, _ in CITATIONS])
def test_citation_phrase_is_in_the_official_article(official_texts, code, citation):
    regulation, article = citation["regulation"], citation["article"]
    assert isinstance(article, int)
    if regulation in UNTEXTED_COUNTS:
        assert 1 <= article <= UNTEXTED_COUNTS[regulation]
        assert citation["phrase"] == ""
        return
    assert regulation in official_texts, f"unknown regulation {regulation}"
    assert article in official_texts[regulation], f"{regulation} has no article {article}"
    phrase = normalise(citation["phrase"])
    assert 4 <= len(phrase) <= 20, phrase
    assert phrase in official_texts[regulation][article]


PENALTIES = [
    (question["code"], question["penalty"]) for _, question in SCORED if "penalty" in question
]


@pytest.mark.parametrize(("code", "penalty"), PENALTIES, ids=[code for code, _ in PENALTIES])
def test_penalty_articles_exist(official_texts, code, penalty):
    regulation, article = penalty["regulation"], penalty["article"]
    if regulation in UNTEXTED_COUNTS:
        assert 1 <= article <= UNTEXTED_COUNTS[regulation]
    else:
        assert article in official_texts[regulation]
