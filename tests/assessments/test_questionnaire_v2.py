"""Questionnaire version 2 against the legal review, the shared texts and version 1 (issue 10).

Pure YAML and text checks: no database, no Django. Three groups:

- Acceptance 1: every correction of the legal review is in version 2, and each test also runs on
  the version-1 question the correction replaced and shows that it fails there (so the test can
  fail and discriminates between the two wordings).
- Acceptance 2 and 3: every citation, penalty and red-line basis of version 2 against the text of
  the edition in force on the file's ``in_force_on`` date; numbers in question wording name their
  source; the red-line policy and the basis of each red line.
- The upgrade map from version 1 to version 2.

Version-2 questions are found through ``upgrade.from`` (the version-1 code they descend from)
wherever a correction concerns a version-1 question, so a renumbering does not hide a regression.
"""

import datetime
import re
from pathlib import Path

import pytest
import yaml

from assessments.rules import SCOPING, derive_scoping, evaluate
from tests.support import shared_regulations_dir

CONTENT = Path(__file__).resolve().parents[2] / "assessments" / "content"


def load(version: int) -> dict:
    return yaml.safe_load((CONTENT / f"questionnaire-v{version}.yaml").read_text(encoding="utf-8"))


V1 = load(1)
V2 = load(2)


def questions(spec) -> list[dict]:
    return [question for section in spec["sections"] for question in section["questions"]]


def by_code(spec) -> dict[str, dict]:
    return {question["code"]: question for question in questions(spec)}


def module_of(spec) -> dict[str, str]:
    return {
        q["code"]: section["module"] for section in spec["sections"] for q in section["questions"]
    }


def scoping_questions(spec) -> list[dict]:
    return [q for s in spec["sections"] if s["module"] == SCOPING for q in s["questions"]]


def scored(spec) -> list[dict]:
    return [q for s in spec["sections"] if s["module"] != SCOPING for q in s["questions"]]


V1_BY_CODE = by_code(V1)
V2_BY_CODE = by_code(V2)
V2_QUESTIONS = questions(V2)
V2_SCORED = scored(V2)


def successor(v1_code: str) -> dict:
    """The version-2 question whose ``upgrade.from`` names ``v1_code`` (exactly one)."""
    found = [q for q in V2_QUESTIONS if q.get("upgrade", {}).get("from") == v1_code]
    assert len(found) == 1, f"{v1_code}: {len(found)} version-2 questions name it in upgrade.from"
    return found[0]


def both(v1_code: str):
    """pytest params: the version-2 successor (must pass) and the version-1 question (must fail)."""
    return [
        pytest.param(successor(v1_code), True, id=f"v2-from-{v1_code}"),
        pytest.param(V1_BY_CODE[v1_code], False, id=f"v1-{v1_code}"),
    ]


def ids(items):
    return [item["code"] for item in items]


def bilingual(value) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("zh"), str)
        and isinstance(value.get("en"), str)
        and value["zh"].strip() != ""
        and value["en"].strip() != ""
    )


# --------------------------------------------------------------------------- the shared texts

NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九")}
ARTICLE_LINE = re.compile(r"^第([一二三四五六七八九十百零]+)条 ")
ITEM_LINE = re.compile(r"^（[一二三四五六七八九十]+）")
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


class Article:
    """One article: paragraphs (款), each a lead-in line and its items (项), normalised."""

    def __init__(self, first_line: str):
        self.paragraphs: list[list[str]] = [[normalise(first_line)]]

    def add(self, line: str) -> None:
        if ITEM_LINE.match(line):
            self.paragraphs[-1].append(normalise(line))
        else:
            self.paragraphs.append([normalise(line)])

    @property
    def text(self) -> str:
        return "".join("".join(paragraph) for paragraph in self.paragraphs)

    def paragraph_of(self, phrase: str) -> int | None:
        """1-based paragraph holding the whole phrase, None if none does."""
        for number, paragraph in enumerate(self.paragraphs, 1):
            if normalise(phrase) in "".join(paragraph):
                return number
        return None

    def item_of(self, phrase: str) -> int | None:
        """1-based item (across the article) holding the phrase, None if in no single item."""
        items = [line for paragraph in self.paragraphs for line in paragraph[1:]]
        for number, item in enumerate(items, 1):
            if normalise(phrase) in item:
                return number
        return None


def parse_text(markdown: str) -> tuple[dict, dict[int, Article]]:
    _, front, rest = markdown.split("---\n", 2)
    meta = yaml.safe_load(front)
    body = rest.split("<!-- INFO END -->", 1)[1]
    articles: dict[int, Article] = {}
    current = None
    for line in body.splitlines():
        match = ARTICLE_LINE.match(line)
        if match:
            current = Article(line[match.end() :])
            articles[chinese_number(match.group(1))] = current
        elif line.startswith("#"):
            current = None
        elif current is not None and line.strip():
            current.add(line)
    return meta, articles


def in_force(meta: dict, day: str) -> bool:
    until = meta.get("edition_until")
    return meta["edition_effective"] <= day and (until is None or day <= until)


@pytest.fixture(scope="module")
def texts():
    """regulation_code → articles of the edition in force on V2's in_force_on date."""
    folder = shared_regulations_dir()
    if folder is None:
        pytest.skip("the shared folder of official regulation texts is not available")
    day = str(V2["in_force_on"])
    editions: dict[str, list] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name == "README.md":
            continue
        meta, articles = parse_text(path.read_text(encoding="utf-8"))
        assert len(articles) == meta["article_count"], path.name
        if in_force(meta, day):
            editions.setdefault(meta["regulation_code"], []).append((meta, articles))
    assert all(len(found) == 1 for found in editions.values()), "one edition per regulation"
    return {code: found[0][1] for code, found in editions.items()}


@pytest.fixture(scope="module")
def titles():
    folder = shared_regulations_dir()
    if folder is None:
        pytest.skip("the shared folder of official regulation texts is not available")
    return {
        parse_text(path.read_text(encoding="utf-8"))[0]["title_zh"]
        for path in folder.glob("*.md")
        if path.name != "README.md"
    }


def test_the_cybersecurity_law_in_force_on_the_date_is_the_2026_edition(texts):
    assert str(V2["in_force_on"]) == "2026-01-01"
    assert "网络日志不少于六个月" in texts["CSL"][23].text
    assert len(texts["CSL"]) == 81


def test_the_reader_splits_paragraphs_and_items(texts):
    assert texts["ALGO"][9].paragraph_of("发现违法信息的，应当立即停止传输") == 2
    assert texts["ALGO"][9].paragraph_of("识别违法和不良信息的特征库") == 1
    assert texts["GENAI"][7].item_of("增强训练数据的真实性、准确性") == 4
    assert texts["GENAI"][4].item_of("提高生成内容的准确性和可靠性") == 5


# =========================================================================== Acceptance 1

# ---- CSL Art. 61: the CNY 2-10 million band only for 特别严重 consequences


def clauses(text: str) -> list[str]:
    return [part for part in re.split(r"[；。;]|(?<=[.;])\s", text) if part.strip()]


TOP_BAND_ZH = re.compile(r"一千万元|1000万")
TOP_BAND_EN = re.compile(r"10 million|2–10 million|2-10 million")


def csl61_bands_are_separate(penalty: dict) -> bool:
    zh_clauses, en_sentences = clauses(penalty["zh"]), re.split(r"(?<=[.;])\s+", penalty["en"])
    top_zh = [c for c in zh_clauses if TOP_BAND_ZH.search(c)]
    leak_zh = [c for c in zh_clauses if "大量数据泄露" in c]
    top_en = [s for s in en_sentences if TOP_BAND_EN.search(s)]
    leak_en = [s for s in en_sentences if "data leak" in s]
    return (
        all("特别严重" in c for c in top_zh)
        and all("五十万元以上二百万元以下" in c and not TOP_BAND_ZH.search(c) for c in leak_zh)
        and all("especially serious" in s for s in top_en)
        and all("500,000–2 million" in s and "10 million" not in s for s in leak_en)
        and bool(leak_zh) == bool(leak_en)
    )


@pytest.mark.parametrize(("question", "expected"), both("CSL-01") + both("CSL-07"))
def test_csl_61_bands_stated_separately_with_the_top_band_only_for_especially_serious(
    question, expected
):
    penalty = question["penalty"]
    assert (penalty["regulation"], penalty["article"]) == ("CSL", 61)
    both_bands = (
        "五十万元以上二百万元以下" in penalty["zh"] and "二百万元以上一千万元以下" in penalty["zh"]
    )
    assert (both_bands and csl61_bands_are_separate(penalty)) is expected


CSL61 = [
    q for q in V2_SCORED if (q["penalty"]["regulation"], q["penalty"]["article"]) == ("CSL", 61)
]


@pytest.mark.parametrize("question", CSL61, ids=ids(CSL61))
def test_every_csl_61_penalty_keeps_the_top_band_for_especially_serious_consequences(question):
    assert csl61_bands_are_separate(question["penalty"])


# ---- 较大 is not "major"; drills only for CIIOs


def bilingual_fields(question: dict):
    for key in ("text", "help"):
        yield question[key]
    for choice in question.get("choices", []):
        yield choice["label"]
    if "upgrade" in question and "reason" in question["upgrade"]:
        yield question["upgrade"]["reason"]


MAJOR_FOR_JIAODA = re.compile(r"(?<!relatively )(?<!relatively “)\bmajor\b", re.IGNORECASE)


def renders_jiaoda_as_major(question: dict) -> bool:
    return any(
        "较大" in field["zh"] and MAJOR_FOR_JIAODA.search(field["en"])
        for field in bilingual_fields(question)
    )


@pytest.mark.parametrize(("question", "expected"), both("CSL-07") + both("S07"))
def test_jiaoda_is_not_translated_major(question, expected):
    assert any("较大" in field["zh"] for field in bilingual_fields(question)) or expected
    assert renders_jiaoda_as_major(question) is not expected


@pytest.mark.parametrize("question", V2_QUESTIONS, ids=ids(V2_QUESTIONS))
def test_no_version_2_field_renders_jiaoda_as_major(question):
    assert not renders_jiaoda_as_major(question)


def asked_only_of_ciios(question: dict) -> bool:
    rule = question.get("applies_when", True)
    ciio = {"fact": "ciio", "op": "eq", "value": True}
    return rule == ciio or (isinstance(rule, dict) and ciio in rule.get("all", []))


def drill_questions(spec) -> list[dict]:
    """Drills of the Cybersecurity Law incident plan (NDSMR Art. 30 drills are not meant)."""
    return [q for q in scored(spec) if "演练" in q["text"]["zh"] and cites(q, "CSL")]


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_drills_are_asked_only_of_ciios(spec, expected):
    drills = drill_questions(spec)
    assert drills, "some question asks about drills"
    assert all(asked_only_of_ciios(q) for q in drills) is expected


def test_the_drill_question_cites_csl_36():
    for question in drill_questions(V2):
        assert ("CSL", 36) in {(c["regulation"], c["article"]) for c in question["citations"]}


# ---- filings submitted on time and under review score full


def on_time_under_review_scores_full(question: dict) -> bool:
    pending = [
        choice
        for choice in question.get("choices", [])
        if "审核中" in choice["label"]["zh"] and re.search("期限内|按时", choice["label"]["zh"])
    ]
    return bool(pending) and all(choice["level"] == 3 for choice in pending)


@pytest.mark.parametrize(
    ("question", "expected"), both("ALGO-01") + both("DEEPSYNTH-01") + both("GENAI-01")
)
def test_a_filing_submitted_on_time_and_under_review_scores_level_3(question, expected):
    assert on_time_under_review_scores_full(question) is expected


@pytest.mark.parametrize("v1_code", ["ALGO-01", "DEEPSYNTH-01", "GENAI-01"])
def test_a_late_or_missing_filing_does_not_score_full(v1_code):
    levels = {c["value"]: c["level"] for c in successor(v1_code)["choices"]}
    late = [c for c in successor(v1_code)["choices"] if "逾期" in c["label"]["zh"]]
    assert late and all(c["level"] < 3 for c in late)
    assert min(levels.values()) == 0


# ---- GENAI Art. 17: assessment and filing only with public-opinion attributes, as red lines

GENAI_FACTS = {
    "genai_public": True,
    "genai_track": "filing",
    "api_model_user": False,
    "in_scope": True,
    "S13": "self_developed",
    "S19": "self_developed",
}


def asked_only_with_public_opinion(question: dict) -> bool:
    rule = question.get("applies_when", True)
    return not evaluate(rule, {**GENAI_FACTS, "public_opinion": False}) and evaluate(
        rule, {**GENAI_FACTS, "public_opinion": True}
    )


@pytest.mark.parametrize(("question", "expected"), both("GENAI-01") + both("GENAI-03"))
def test_genai_17_assessment_and_filing_are_asked_only_with_public_opinion(question, expected):
    assert asked_only_with_public_opinion(question) is expected


@pytest.mark.parametrize("v1_code", ["GENAI-01", "GENAI-03"])
def test_genai_17_assessment_and_filing_are_red_lines_on_art_17(v1_code):
    question = successor(v1_code)
    assert question["red_line"] is True
    basis = question["red_line_basis"]
    assert (basis["regulation"], basis["article"], basis["kind"]) == ("GENAI", 17, "filing_gate")


def model_name_display_questions(spec) -> list[dict]:
    return [q for q in scored(spec) if "模型名称" in q["text"]["zh"]]


def display_is_practice_not_red_line(question: dict) -> bool:
    return (
        question["red_line"] is False
        and "监管实践" in question["help"]["zh"]
        and "regulator practice" in question["help"]["en"]
    )


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_model_name_display_is_not_a_red_line_and_is_called_regulator_practice(spec, expected):
    found = model_name_display_questions(spec)
    assert found
    assert all(display_is_practice_not_red_line(q) for q in found) is expected


# ---- GENAI base model of a called model


def lawful_source_citation(question: dict, texts) -> bool:
    return any(
        c["regulation"] == "GENAI"
        and c["article"] == 7
        and c["phrase"]
        and texts["GENAI"][7].item_of(c["phrase"]) == 1
        for c in question["citations"]
    )


def names_tc260_standard(question: dict) -> bool:
    return any(
        "TC260" in s["name"]["zh"] and "TC260" in s["name"]["en"]
        for s in question.get("standards", [])
    )


def asked_only_of_api_model_users(question: dict) -> bool:
    rule = question.get("applies_when", True)
    own = {
        **GENAI_FACTS,
        "public_opinion": True,
        "api_model_user": False,
        "S13": "fine_tuned",
        "S19": "fine_tuned",
    }
    called = {
        **own,
        "api_model_user": True,
        "genai_track": "registration",
        "S13": "api_only",
        "S19": "api_only",
    }
    return not evaluate(rule, own) and evaluate(rule, called)


@pytest.mark.parametrize(("question", "expected"), both("GENAI-02"))
def test_the_called_base_model_question(texts, question, expected):
    checks = [
        question["red_line"] is False and "red_line_basis" not in question,
        lawful_source_citation(question, texts),
        names_tc260_standard(question),
        asked_only_of_api_model_users(question),
    ]
    assert checks[1], "cites the lawful-source item GENAI Art. 7(1) in both versions"
    assert all(checks) is expected, checks


# ---- TC260 thresholds


def tc260_threshold_questions(spec) -> list[dict]:
    """Questions that quote a TC260-003 figure: they name TC260 and ask for or quote a number."""
    return [
        q
        for q in scored(spec)
        if ("TC260" in q["text"]["zh"] + q["help"]["zh"])
        and (q["type"] == "number" or re.search(r"\d+%", q["text"]["zh"]))
    ]


V2_TC260 = tc260_threshold_questions(V2)
V1_TC260 = tc260_threshold_questions(V1)


def tc260_question_is_sound(question: dict, texts) -> bool:
    names = " ".join(s["name"]["zh"] for s in question.get("standards", []))
    percent = question.get("unit", {}).get("zh") == "%"
    cited_to_wrong_items = any(
        c["regulation"] == "GENAI"
        and c["phrase"]
        and (
            (c["article"] == 7 and texts["GENAI"][7].item_of(c["phrase"]) == 4)
            or (c["article"] == 4 and texts["GENAI"][4].item_of(c["phrase"]) == 5)
        )
        for c in question["citations"]
    )
    return (
        question["red_line"] is False
        and (not percent or question.get("range") == {"min": 0, "max": 100})
        and "TC260-003" in names
        and "GB/T 45654" in names
        and not cited_to_wrong_items
    )


def test_the_tc260_threshold_questions_are_found_in_both_versions():
    assert len(V2_TC260) >= 7 and len(V1_TC260) >= 5
    assert {q["upgrade"]["from"] for q in V2_TC260 if "upgrade" in q} >= {
        "GENAI-04",
        "GENAI-05",
        "GENAI-06",
        "GENAI-10",
        "GENAI-11",
        "GENAI-12",
    }


@pytest.mark.parametrize("question", V2_TC260, ids=ids(V2_TC260))
def test_tc260_thresholds_are_standards_not_red_lines_or_law(texts, question):
    assert tc260_question_is_sound(question, texts)


@pytest.mark.parametrize("question", V1_TC260, ids=[f"v1-{q['code']}" for q in V1_TC260])
def test_the_v1_tc260_questions_fail_that_check(texts, question):
    assert not tc260_question_is_sound(question, texts)


def test_tc260_percentages_have_a_range_of_0_to_100():
    percent = [q for q in V2_SCORED if q.get("unit", {}).get("zh") == "%"]
    assert percent and all(q.get("range") == {"min": 0, "max": 100} for q in percent)
    assert all("range" not in q for q in scored(V1) if q.get("unit", {}).get("zh") == "%")


# ---- DSL Art. 21 is the state's duty; important data identified under the NDSMR


def cites(question: dict, regulation: str, article: int | None = None) -> bool:
    return any(
        c["regulation"] == regulation and (article is None or c["article"] == article)
        for c in question["citations"]
    )


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_no_question_cites_dsl_21_as_the_organisations_duty(spec, expected):
    assert (not any(cites(q, "DSL", 21) for q in scored(spec))) is expected


@pytest.mark.parametrize(("question", "expected"), both("DSL-02"))
def test_important_data_identification_cites_the_ndsmr(question, expected):
    assert cites(question, "NDSMR", 29) is expected


def test_the_removed_dsl_01_says_why():
    removed = {entry["code"]: entry for entry in V2["removed"]}
    assert "DSL-01" in removed and "第二十一条" in removed["DSL-01"]["reason"]["zh"]


# ---- the sources of the yearly risk assessment, the 1 million officer and audit intervals

SOURCES = [("DSL-06", "NDSMR", 33), ("PIPL-04", "PIAUDIT", 12), ("PIPL-06", "PIAUDIT", 4)]


@pytest.mark.parametrize(
    ("question", "regulation", "article", "expected"),
    [
        pytest.param(successor(code), reg, art, True, id=f"v2-from-{code}")
        for code, reg, art in SOURCES
    ]
    + [
        pytest.param(V1_BY_CODE[code], reg, art, False, id=f"v1-{code}")
        for code, reg, art in SOURCES
    ],
)
def test_intervals_and_thresholds_cite_the_implementing_text(
    texts, question, regulation, article, expected
):
    matching = [
        c for c in question["citations"] if (c["regulation"], c["article"]) == (regulation, article)
    ]
    assert bool(matching) is expected
    for citation in matching:
        assert normalise(citation["phrase"]) in texts[regulation][article].text


# ---- ALGO: Art. 31 exactly when every cited ALGO article is in its list

ART_31_LIST = {"7", "8", "9(1)", "10", "14", "16", "17", "22", "24", "26"}


def test_the_art_31_list_is_the_one_in_the_text(texts):
    head = texts["ALGO"][31].text.split("违反本规定", 1)[1].split("规定，", 1)[0]
    listed = re.findall(r"第([一二三四五六七八九十]+)条(第([一二三四五六七八九十]+)款)?", head)
    found = {str(chinese_number(a)) + (f"({chinese_number(p)})" if p else "") for a, _, p in listed}
    assert found == ART_31_LIST


def algo_refs(question: dict, texts) -> set[str]:
    refs = set()
    for c in question["citations"]:
        if c["regulation"] != "ALGO":
            continue
        if c["article"] == 9:
            refs.add(f"9({texts['ALGO'][9].paragraph_of(c['phrase'])})")
        else:
            refs.add(str(c["article"]))
    return refs


V2_ALGO = [q for q in V2_SCORED if module_of(V2)[q["code"]] == "ALGO"]


@pytest.mark.parametrize("question", V2_ALGO, ids=ids(V2_ALGO))
def test_algo_penalty_is_art_31_exactly_when_every_cited_algo_article_is_in_its_list(
    texts, question
):
    refs = algo_refs(question, texts)
    assert refs, "an ALGO question cites an ALGO article"
    penalty = (question["penalty"]["regulation"], question["penalty"]["article"])
    assert (penalty == ("ALGO", 31)) is (refs <= ART_31_LIST), refs


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_art_9_para_2_breaches_are_penalised_under_art_32(texts, spec, expected):
    para_2 = [q for q in scored(spec) if "9(2)" in algo_refs(q, texts)]
    assert bool(para_2) is expected
    assert all(q["penalty"]["article"] == 32 for q in para_2)


# ---- DEEPSYNTH separate consent: the provider prompts


@pytest.mark.parametrize(("question", "expected"), both("DEEPSYNTH-04"))
def test_the_separate_consent_question_is_the_providers_prompt(question, expected):
    english = question["text"]["en"]
    checks = [
        question["penalty"]["regulation"] == "DEEPSYNTH",
        re.search(r"prompt (your )?users to inform .+ and to obtain", english) is not None,
    ]
    assert all(checks) is expected, checks


# ---- scoping

V1_BASELINE = {
    "S01": "domestic",
    "S02": "not_designated",
    "S03": "level1",
    "S04": "none",
    "S05": 5_000,
    "S06": ["none"],
    "S07": ["none"],
    "S08": ["none"],
    "S09": 0,
    "S10": ["none"],
    "S11": ["none"],
    "S12": ["none"],
    "S13": "none",
    "S14": ["none"],
    "S15": False,
    "S16": 0,
    "S17": 0,
    "S18": False,
    "S19": ["none"],
    "S20": [],
    "S21": ["none"],
    "S22": ["none"],
}
V2_BASELINE = {
    "S01": "domestic",
    "S02": "not_designated",
    "S03": "ungraded",
    "S04": "none",
    "S05": 5_000,
    "S06": ["none"],
    "S08": ["none"],
    "S09": ["none"],
    "S10": False,
    "S11": ["none"],
    "S15": ["none"],
    "S16": ["none"],
    "S17": ["none"],
    "S18": ["none"],
    "S19": "none",
    "S21": ["none"],
    "S22": ["none"],
}


def scoping_question_from(spec, v1_code: str) -> dict:
    if spec is V1:
        return V1_BY_CODE[v1_code]
    return successor(v1_code)


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_an_api_unfiled_answer_exists_and_switches_genai_deepsynth_label_on(spec, expected):
    question = scoping_question_from(spec, "S13")
    values = [choice["value"] for choice in question["choices"]]
    assert ("api_unfiled" in values) is expected
    if expected:
        outcome = derive_scoping(V2, {**V2_BASELINE, question["code"]: "api_unfiled"})
        assert {"GENAI", "DEEPSYNTH", "LABEL"} <= set(outcome.modules)
        baseline = derive_scoping(V2, V2_BASELINE)
        assert not {"GENAI", "DEEPSYNTH", "LABEL"} & set(baseline.modules)


@pytest.mark.parametrize(
    ("spec", "answers", "expected"),
    [
        (
            V2,
            {
                **V2_BASELINE,
                "S02": "pending",
                "S11": ["personal_information"],
                "S12": 5_000,
                "S13": 0,
                "S14": ["none"],
            },
            True,
        ),
        (V1, {**V1_BASELINE, "S02": "pending", "S09": 5_000}, False),
    ],
    ids=["v2", "v1"],
)
def test_the_cross_border_route_uses_designated_ciios_only(spec, answers, expected):
    outcome = derive_scoping(spec, answers)
    assert (outcome.facts["export_route"] != "assessment") is expected
    assert outcome.grade == "G4"  # the grade still counts a designation in progress


def test_a_designated_ciio_exporting_any_personal_information_needs_the_assessment():
    answers = {
        **V2_BASELINE,
        "S02": "designated",
        "S11": ["personal_information"],
        "S12": 5_000,
        "S13": 0,
        "S14": ["none"],
    }
    assert derive_scoping(V2, answers).facts["export_route"] == "assessment"


def real_name_question(spec) -> dict | None:
    for question in scoping_questions(spec):
        help_zh = question["help"]["zh"]
        if "网络安全法》第二十六条" in help_zh and "Art. 26" in question["help"]["en"]:
            return question
    return None


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_a_real_name_services_question_exists_under_csl_26(spec, expected):
    question = real_name_question(spec)
    assert (question is not None) is expected
    if expected:
        values = {choice["value"] for choice in question["choices"]}
        assert {
            "network_access",
            "domain_registration",
            "info_publishing",
            "instant_messaging",
        } <= values
        answers = {**V2_BASELINE, question["code"]: ["domain_registration"]}
        assert derive_scoping(V2, answers).facts["real_name_services"] is True
        assert derive_scoping(V2, V2_BASELINE).facts["real_name_services"] is False


def abroad_algo_reasons(spec) -> list[dict]:
    return [
        entry["reason"]
        for entry in spec["modules"]["ALGO"]
        if "abroad_targeting" in str(entry["when"])
    ]


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_the_algo_reason_for_services_abroad_says_it_is_an_interpretation(spec, expected):
    reasons = abroad_algo_reasons(spec)
    said = bool(reasons) and all(
        "解释" in reason["zh"] and "interpretation" in reason["en"] for reason in reasons
    )
    assert said is expected


def test_the_abroad_algo_entry_activates_algo_for_a_service_from_abroad():
    answers = {**V2_BASELINE, "S01": "abroad_targeting", "S17": ["ranking"]}
    assert "ALGO" in derive_scoping(V2, answers).modules


FOLLOW_UP = re.compile(r"^接(S\d{2})(、S\d{2})*：")
FOLLOW_UP_EN = re.compile(r"^Following (S\d{2})( and S\d{2})*: ")


def scoping_order_and_follow_ups(spec) -> list[str]:
    problems = []
    codes = [q["code"] for q in scoping_questions(spec)]
    if codes != [f"S{n:02d}" for n in range(1, len(codes) + 1)]:
        problems.append(f"codes out of order: {codes}")
    for question in scoping_questions(spec):
        if "applies_when" not in question:
            continue
        zh, en = FOLLOW_UP.match(question["text"]["zh"]), FOLLOW_UP_EN.match(question["text"]["en"])
        if not (zh and en):
            problems.append(f"{question['code']} does not announce itself as a follow-up")
            continue
        parents = re.findall(r"S\d{2}", zh.group(0))
        if any(parent >= question["code"] for parent in parents):
            problems.append(f"{question['code']} follows a later question {parents}")
    return problems


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_scoping_codes_are_in_order_and_follow_ups_announce_themselves(spec, expected):
    assert (scoping_order_and_follow_ups(spec) == []) is expected


SCORE_TALK = re.compile(
    r"提高一级|提高.级|从严|视为|就高|得分|计分|分数|等级提高|风险可能性|影响程度"
    r"|raised|treated as|stricter|score|likelihood|impact level|obligation grade|\bG[1-4]\b",
    re.IGNORECASE,
)


def score_talk(spec) -> list[str]:
    return [
        f"{q['code']}: {match.group(0)}"
        for q in scoping_questions(spec)
        for text in (q["help"]["zh"], q["help"]["en"])
        for match in [SCORE_TALK.search(text)]
        if match
    ]


@pytest.mark.parametrize(("spec", "expected"), [(V2, True), (V1, False)], ids=["v2", "v1"])
def test_no_scoping_help_says_how_an_answer_moves_the_score(spec, expected):
    assert (score_talk(spec) == []) is expected, score_talk(spec)


# =========================================================================== Acceptance 2

CITATIONS = [(q["code"], c) for q in V2_SCORED for c in q["citations"]]


@pytest.mark.parametrize(("code", "citation"), CITATIONS, ids=[code for code, _ in CITATIONS])
def test_citation_phrase_is_in_the_article_in_force(texts, code, citation):
    regulation, article = citation["regulation"], citation["article"]
    assert isinstance(article, int)
    assert regulation in texts, f"no text in force for {regulation}"
    assert article in texts[regulation], f"{regulation} has no article {article}"
    phrase = normalise(citation["phrase"])
    assert phrase, "the phrase is not empty (DEEPSYNTH and LABEL included)"
    assert phrase in texts[regulation][article].text


def test_deepsynth_and_label_citations_are_checked_too():
    cited = {citation["regulation"] for _, citation in CITATIONS}
    assert {"DEEPSYNTH", "LABEL", "NDSMR", "PIAUDIT", "MINORS"} <= cited


PENALTIES = [(q["code"], q["penalty"]) for q in V2_SCORED]


@pytest.mark.parametrize(("code", "penalty"), PENALTIES, ids=[code for code, _ in PENALTIES])
def test_every_penalty_article_exists_in_its_text(texts, code, penalty):
    assert penalty["regulation"] in texts
    assert penalty["article"] in texts[penalty["regulation"]]
    assert bilingual({"zh": penalty.get("zh"), "en": penalty.get("en")})


def test_every_scored_question_has_a_penalty():
    assert all("penalty" in q for q in V2_SCORED)


# ---- numbers name their source

EXEMPT_NUMBERS = [
    r"(?<![A-Za-z0-9])S\d{2}(?!\d)",  # scoping question codes
    r"(?<![A-Za-z])(CSL|DSL|NDS|PIPL|XBORDER|MINORS|ALGO|DEEPSYNTH|GENAI|LABEL)-\d{2}(?!\d)",
    r"(?<![A-Za-z0-9])G[1-4](?!\d)",  # grade names
    r"第[一二三四五]级|level ?\d|Level ?\d|level-\d",  # MLPS levels
    r"(?<!\d)(19|20)\d{2}(?!\d)",  # years
]
ZH_SOURCE = re.compile(r"《[^》]+》")
EN_SOURCE = re.compile(
    r"\bArts?\.|TC260|GB/T|\bGB \d|\bLaw\b|Measures|Provisions|Regulations|\bPIPL\b"
)


def unsourced_numbers(text: str, source: re.Pattern) -> bool:
    stripped = text
    for pattern in EXEMPT_NUMBERS:
        stripped = re.sub(pattern, "", stripped)
    return bool(re.search(r"\d", stripped)) and not source.search(text)


NUMBER_FIELDS = [
    (f"{q['code']}.{key}.{lang}", q[key][lang], lang)
    for q in V2_QUESTIONS
    for key in ("text", "help")
    for lang in ("zh", "en")
]


@pytest.mark.parametrize(
    ("where", "text", "lang"), NUMBER_FIELDS, ids=[where for where, _, _ in NUMBER_FIELDS]
)
def test_no_text_or_help_names_a_number_without_its_source(where, text, lang):
    assert not unsourced_numbers(text, ZH_SOURCE if lang == "zh" else EN_SOURCE), text


def test_the_number_check_catches_an_unsourced_figure():
    assert unsourced_numbers("应在30个工作日内报送。", ZH_SOURCE)
    assert not unsourced_numbers("应在30个工作日内报送（《某办法》第五条）。", ZH_SOURCE)
    assert not unsourced_numbers("见S04；G2；第三级；2025年。", ZH_SOURCE)
    assert unsourced_numbers("Report within 30 working days.", EN_SOURCE)


# =========================================================================== Acceptance 3

KIND_WORDS = {
    "direct_fine": ("罚款",),
    "suspension": ("暂停", "停止", "关闭", "下架", "吊销"),
    "filing_gate": ("备案", "评估", "申报", "认证", "登记"),
    "core_prohibition": ("不得", "禁止"),
}
KIND_NAMES = {
    "direct_fine": ("直接罚款", "direct fine"),
    "suspension": ("暂停", "suspension"),
    "filing_gate": ("前置程序", "filing gate"),
    "core_prohibition": ("核心禁止", "core prohibition"),
}


def test_the_red_line_policy_is_written_in_the_file_and_names_the_four_kinds():
    policy = V2["red_line_policy"]
    assert bilingual(policy)
    for zh, en in KIND_NAMES.values():
        assert zh in policy["zh"] and en in policy["en"]
    assert "red_line_policy" not in V1


RED_LINES = [q for q in V2_SCORED if q["red_line"]]


@pytest.mark.parametrize("question", RED_LINES, ids=ids(RED_LINES))
def test_each_red_line_has_a_basis_of_a_policy_kind_found_in_its_article(texts, question):
    basis = question["red_line_basis"]
    assert set(basis) == {"kind", "regulation", "article", "phrase"}
    assert basis["kind"] in KIND_WORDS
    phrase = normalise(basis["phrase"])
    assert phrase and phrase in texts[basis["regulation"]][basis["article"]].text
    assert any(word in phrase for word in KIND_WORDS[basis["kind"]])


@pytest.mark.parametrize("question", RED_LINES, ids=ids(RED_LINES))
def test_a_fine_or_suspension_basis_is_the_questions_penalty_article(question):
    basis = question["red_line_basis"]
    if basis["kind"] in {"direct_fine", "suspension"}:
        assert (basis["regulation"], basis["article"]) == (
            question["penalty"]["regulation"],
            question["penalty"]["article"],
        )


def test_no_question_that_is_not_a_red_line_carries_a_basis():
    assert [q["code"] for q in V2_SCORED if not q["red_line"] and "red_line_basis" in q] == []
    assert all("red_line_basis" not in q for q in scoping_questions(V2))


STANDARDS = [(q["code"], s) for q in V2_QUESTIONS for s in q.get("standards", [])]


@pytest.mark.parametrize(("code", "standard"), STANDARDS, ids=[code for code, _ in STANDARDS])
def test_a_standard_is_never_also_a_citation(texts, titles, code, standard):
    assert bilingual(standard["name"]) and bilingual(standard["note"])
    name = standard["name"]["zh"]
    assert re.search(r"TC260|GB(/T)? \d", name), name
    assert not any(title in name for title in titles)
    cited = {c["regulation"] for c in V2_BY_CODE[code].get("citations", [])}
    assert not any(re.search(r"TC260|GB", regulation) for regulation in cited)
    assert cited <= set(texts)


REFERENCES = [(q["code"], r) for q in V2_QUESTIONS for r in q.get("references", [])]


@pytest.mark.parametrize(("code", "reference"), REFERENCES, ids=[code for code, _ in REFERENCES])
def test_references_have_a_name_and_an_iso_date(code, reference):
    assert bilingual(reference["name"])
    date = reference["date"]
    text = date.isoformat() if isinstance(date, datetime.date) else str(date)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)
    datetime.date.fromisoformat(text)


@pytest.mark.parametrize(("code", "reference"), REFERENCES, ids=[code for code, _ in REFERENCES])
def test_a_reference_is_not_a_text_we_hold(titles, code, reference):
    assert reference["name"]["zh"].split("（")[0] not in titles


def test_references_name_one_text_with_one_date():
    dates: dict[str, set] = {}
    for _, reference in REFERENCES:
        name = reference["name"]["zh"].split("（")[0]
        dates.setdefault(name, set()).add(str(reference["date"]))
    assert {name: found for name, found in dates.items() if len(found) > 1} == {}


def test_references_name_one_text_with_one_english_name():
    names: dict[str, set] = {}
    for _, reference in REFERENCES:
        english = re.sub(r"\s*\(.*\)$", "", reference["name"]["en"])
        names.setdefault(reference["name"]["zh"].split("（")[0], set()).add(english)
    assert {name: found for name, found in names.items() if len(found) > 1} == {}


# =========================================================================== the upgrade map


def test_the_header_names_the_upgrade():
    assert V2["code"] == V1["code"] and V2["version"] == 2 and V2["upgrade_from"] == 1


def test_every_v1_question_has_exactly_one_successor_or_is_removed_with_a_reason():
    removed = {entry["code"]: entry for entry in V2.get("removed", [])}
    assert all(bilingual(entry["reason"]) for entry in removed.values())
    origins = [q["upgrade"]["from"] for q in V2_QUESTIONS if "upgrade" in q]
    problems = []
    for code in V1_BY_CODE:
        count = origins.count(code)
        if code in removed and count:
            problems.append(f"{code}: removed and also mapped")
        elif code not in removed and count != 1:
            problems.append(f"{code}: {count} successors")
    assert problems == []
    assert set(origins) <= set(V1_BY_CODE)
    assert set(removed) <= set(V1_BY_CODE)


UPGRADES = [q for q in V2_QUESTIONS if "upgrade" in q]


def choice_values(question: dict) -> list[str] | None:
    return sorted(c["value"] for c in question["choices"]) if "choices" in question else None


@pytest.mark.parametrize("question", UPGRADES, ids=ids(UPGRADES))
def test_carry_true_only_where_type_and_choices_are_unchanged(question):
    upgrade = question["upgrade"]
    assert set(upgrade) <= {"from", "carry", "reason"}
    old = V1_BY_CODE[upgrade["from"]]
    same = old["type"] == question["type"] and choice_values(old) == choice_values(question)
    if upgrade["carry"] is True:
        assert same and "reason" not in upgrade
    else:
        assert upgrade["carry"] is False
        assert bilingual(upgrade.get("reason"))


def unsourced_fields(question: dict) -> list[str]:
    return [
        f"{key}.{lang}"
        for key in ("text", "help")
        for lang in ("zh", "en")
        if unsourced_numbers(question[key][lang], ZH_SOURCE if lang == "zh" else EN_SOURCE)
    ]


V1_UNSOURCED = [q for q in questions(V1) if unsourced_fields(q)]


def test_version_1_had_unsourced_numbers_that_the_check_finds():
    assert {"PIPL-04", "DSL-06", "CSL-07", "S05"} <= {q["code"] for q in V1_UNSOURCED}


@pytest.mark.parametrize(
    "old",
    [q for q in V1_UNSOURCED if q["code"] not in {e["code"] for e in V2["removed"]}],
    ids=lambda q: q["code"],
)
def test_each_v1_question_with_an_unsourced_number_is_sourced_in_version_2(old):
    assert unsourced_fields(successor(old["code"])) == []


def test_every_rule_in_version_2_validates():
    from assessments.rules import validate_spec

    assert validate_spec(V2) == []
