"""The scoping of questionnaire version 2 (issue 10): the 17 scenarios of the scoping review.

Each scenario starts from the same baseline answers and changes only the answers it lists; the
rules of the version-2 file decide the grade, the active modules and the derived facts through
``assessments.rules.derive_scoping`` (pure: no database, no Django).
"""

from pathlib import Path

import pytest
import yaml

from assessments.rules import derive_scoping, question_applies

QUESTIONNAIRE = (
    Path(__file__).resolve().parents[2] / "assessments" / "content" / "questionnaire-v2.yaml"
)
SPEC = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))

BASELINE = {
    "S01": "domestic",
    "S02": "not_designated",
    "S03": "ungraded",
    "S04": "none",
    "S05": 0,
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
GENERAL = ("CSL", "DSL", "NDS", "PIPL")
EXPORTING = (*GENERAL, "XBORDER")
GENAI_MODULES = (*GENERAL, "DEEPSYNTH", "GENAI", "LABEL")
PI_EXPORT = {"S11": ["personal_information"], "S13": 0, "S14": ["none"]}


def scoping(**changes):
    return derive_scoping(SPEC, {**BASELINE, **changes})


def codes(outcome) -> list[str]:
    return [reason.code for reason in outcome.grade_reasons]


# number, answers, grade, grade reasons, modules, key facts
SCENARIOS = [
    (1, {"S05": 200}, "G1", [], GENERAL, {"pi_band": "under_100k", "export_route": "none"}),
    (2, {"S01": "neither", "S05": 5_000}, "G1", [], (), {"in_scope": False}),
    (
        3,
        {"S02": "pending", "S05": 50_000},
        "G4",
        ["G4-ciio"],
        GENERAL,
        {"ciio": False, "ciio_candidate": True},
    ),
    (
        4,
        {"S02": "designated", "S05": 50_000, **PI_EXPORT, "S12": 5_000},
        "G4",
        ["G4-ciio", "G3-export-assessment"],
        EXPORTING,
        {"ciio": True, "export_route": "assessment", "pia_required": True},
    ),
    (
        5,
        {"S02": "pending", "S05": 50_000, **PI_EXPORT, "S12": 5_000},
        "G4",
        ["G4-ciio"],
        EXPORTING,
        {"ciio": False, "export_route": "exempt"},
    ),
    (
        6,
        {"S05": 500_000, **PI_EXPORT, "S12": 200_000},
        "G2",
        ["G2-export-scc"],
        EXPORTING,
        {"export_route": "scc_or_cert", "pi_band": "100k_to_1m"},
    ),
    (
        7,
        {"S05": 3_000_000, **PI_EXPORT, "S12": 1_200_000},
        "G3",
        ["G3-export-assessment", "G2-pi-1m"],
        EXPORTING,
        {"export_route": "assessment", "pi_band": "1m_to_10m"},
    ),
    (
        8,
        {"S04": "important", "S11": ["important_data"]},
        "G3",
        ["G3-important-data", "G3-export-assessment"],
        ("CSL", "DSL", "NDS", "XBORDER"),
        {"exports_important": True, "export_route": "assessment", "pia_required": False},
    ),
    (
        9,
        {"S05": 20_000, "S19": "api_unfiled"},
        "G2",
        ["G2-genai-api-unfiled"],
        GENAI_MODULES,
        {
            "genai_track": "api_unfiled",
            "genai_public": True,
            "api_model_user": True,
            "ds_provider": True,
            "label_provider": True,
        },
    ),
    (
        10,
        {"S05": 20_000, "S19": "api_unfiled", "S16": ["comments"]},
        "G3",
        ["G3-genai-filing", "G2-genai-api-unfiled"],
        GENAI_MODULES,
        {"public_opinion": True, "real_name_services": True},
    ),
    (
        11,
        {
            "S01": "abroad_targeting",
            "S05": 300_000,
            "S17": ["personalised_push"],
            "S08": ["personalised_recommendation"],
        },
        "G2",
        ["G2-automated-decisions", "G2-algorithm"],
        ("NDS", "PIPL", "ALGO"),
        {"in_scope": True, "automated_decisions": True, "pia_required": True},
    ),
    (
        12,
        {"S05": 800_000, "S09": ["serves_minors"], "S15": ["instant_messaging"]},
        "G1",
        [],
        (*GENERAL, "MINORS"),
        {"minors": True, "real_name_services": True},
    ),
    (
        13,
        {"S05": 60_000_000, "S10": True, "S16": ["short_video"], "S17": ["personalised_push"]},
        "G4",
        ["G4-large-platform", "G3-pi-10m", "G3-algo-filing", "G2-pi-1m", "G2-algorithm"],
        (*GENERAL, "ALGO"),
        {"large_platform": True, "pi_band": "over_10m", "public_opinion": True},
    ),
    (14, {"S05": 10_000_000}, "G3", ["G3-pi-10m", "G2-pi-1m"], GENERAL, {"pi_band": "1m_to_10m"}),
    (
        15,
        {"S05": 50_000, **PI_EXPORT, "S12": 0, "S14": ["contract_necessity"]},
        "G1",
        [],
        EXPORTING,
        {"exports_pi": True, "export_route": "exempt", "pia_required": True},
    ),
    (
        16,
        {"S05": 100_000, "S06": ["health"], "S07": 20_000, **PI_EXPORT, "S12": 0, "S13": 10_000},
        "G3",
        ["G3-export-assessment", "G2-sensitive-pi"],
        EXPORTING,
        {"export_route": "assessment", "sensitive_large": False},
    ),
    # the review's "incident_modules=[PIPL]" is the outcome's (active modules only); the fact
    # of the same name keeps the areas answered in S23 (see the test below)
    (
        17,
        {"S05": 1_000, "S22": ["pi_leak"], "S23": ["PIPL", "XBORDER"]},
        "G1",
        [],
        GENERAL,
        {"incident_modules": ["PIPL", "XBORDER"]},
    ),
]


@pytest.mark.parametrize(
    ("number", "answers", "grade", "reasons", "modules", "facts"),
    SCENARIOS,
    ids=[f"scenario-{row[0]}" for row in SCENARIOS],
)
def test_scenario(number, answers, grade, reasons, modules, facts):
    outcome = scoping(**answers)
    assert outcome.grade == grade
    assert sorted(codes(outcome)) == sorted(reasons)
    assert outcome.modules == modules
    for name, value in facts.items():
        actual = outcome.facts[name]
        if isinstance(value, list):
            assert sorted(actual) == sorted(value), name
        else:
            assert actual == value, name


def test_every_grade_reason_is_bilingual_and_the_highest_comes_first():
    outcome = scoping(**SCENARIOS[12][1])
    assert outcome.grade_reasons[0].code == "G4-large-platform"
    assert all(reason.zh and reason.en for reason in outcome.grade_reasons)


def test_the_baseline_is_g1_with_csl_dsl_and_nds_only():
    outcome = scoping()
    assert (outcome.grade, outcome.modules) == ("G1", ("CSL", "DSL", "NDS"))


def test_scenario_12_raises_impact_for_pipl_and_minors():
    outcome = scoping(**SCENARIOS[11][1])
    assert outcome.raised_impact_modules == frozenset({"PIPL", "MINORS"})


def test_scenario_17_raises_likelihood_only_for_active_modules():
    outcome = scoping(**SCENARIOS[16][1])
    assert outcome.incident_modules == frozenset({"PIPL"})
    assert sorted(outcome.facts["incident_modules"]) == ["PIPL", "XBORDER"]
    assert scoping(S05=1_000, S22=["none"], S23=["PIPL"]).incident_modules == frozenset()
    assert "XBORDER" not in outcome.modules


def test_the_algo_reason_for_scenario_11_is_the_interpretation_entry():
    outcome = scoping(**SCENARIOS[10][1])
    (reason,) = outcome.module_reasons["ALGO"]
    assert "interpretation" in reason.en and "解释" in reason.zh


# --------------------------------------------------------------------------- further checks


def test_biometric_at_scale_is_sensitive_large_and_raises_only_active_modules():
    outcome = scoping(S05=600_000, S06=["biometric"], S07=600_000)
    facts = outcome.facts
    assert (facts["biometric"], facts["sensitive_pi"], facts["sensitive_large"]) == (
        True,
        True,
        True,
    )
    assert "G2-sensitive-pi" in codes(outcome)
    assert outcome.raised_impact_modules == frozenset({"PIPL", "DSL", "NDS"})
    exporting = scoping(S05=600_000, S06=["biometric"], S07=600_000, **PI_EXPORT, S12=0)
    assert exporting.raised_impact_modules == frozenset({"PIPL", "DSL", "NDS", "XBORDER"})


def test_a_stale_export_count_does_not_make_a_route():
    outcome = scoping(S05=3_000_000, S11=["none"], S12=2_000_000, S13=50_000)
    assert outcome.facts["export_route"] == "none"
    assert outcome.facts["exports_pi"] is False
    assert "XBORDER" not in outcome.modules


def test_editing_functions_are_asked_of_genai_services_too():
    outcome = scoping(S05=1_000, S19="fine_tuned", S20=["biometric_editing"])
    assert outcome.facts["editing_functions"] == ["biometric_editing"]


def test_a_stale_editing_answer_is_ignored_without_deep_synthesis_or_genai():
    outcome = scoping(S20=["biometric_editing"])
    assert outcome.facts["editing_functions"] == []


def test_s20_applies_to_deep_synthesis_and_genai_services_only():
    s20 = next(q for s in SPEC["sections"] for q in s["questions"] if q["code"] == "S20")
    assert question_applies(s20, scoping(S19="fine_tuned"))
    assert question_applies(s20, scoping(S18=["service_provider"]))
    assert not question_applies(s20, scoping())


def test_generation_algorithms_alone_activate_label_with_algo():
    outcome = scoping(S17=["generation"])
    assert outcome.facts["label_provider"] is True
    assert {"ALGO", "LABEL"} <= set(outcome.modules)


def test_the_registration_track_is_g2_even_with_public_opinion_features():
    outcome = scoping(S19="api_only")
    facts = outcome.facts
    assert (facts["genai_track"], facts["api_model_user"]) == ("registration", True)
    assert outcome.grade == "G2" and "G2-genai-registration" in codes(outcome)
    with_features = scoping(S19="api_only", S16=["comments"])
    assert with_features.grade == "G2"
    assert "G3-genai-filing" not in codes(with_features)


def test_an_own_model_genai_service_is_g2_with_the_genai_modules():
    outcome = scoping(S05=1_000, S19="fine_tuned")
    assert outcome.grade == "G2"
    assert codes(outcome) == ["G2-genai-own-model"]
    assert outcome.modules == GENAI_MODULES


@pytest.mark.parametrize(
    ("answer", "level", "grade"),
    [("level3", "level3", "G3"), (None, "ungraded", "G1"), ("level2", "level2", "G2")],
)
def test_the_mlps_level(answer, level, grade):
    answers = (
        {**BASELINE, "S03": answer}
        if answer
        else {key: value for key, value in BASELINE.items() if key != "S03"}
    )
    outcome = derive_scoping(SPEC, answers)
    assert outcome.facts["mlps_level"] == level
    assert outcome.grade == grade


# --------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("changes", "route"),
    [
        ({"S12": 99_999}, "exempt"),
        ({"S12": 100_000}, "scc_or_cert"),
        ({"S12": 999_999}, "scc_or_cert"),
        ({"S12": 1_000_000}, "assessment"),
        ({"S12": 0, "S13": 1}, "scc_or_cert"),
        ({"S12": 0, "S13": 9_999}, "scc_or_cert"),
        ({"S12": 0, "S13": 10_000}, "assessment"),
        ({"S12": 0, "S02": "designated"}, "exempt"),
        ({"S12": 1, "S02": "designated"}, "assessment"),
    ],
)
def test_export_route_boundaries(changes, route):
    answers = {**PI_EXPORT, "S12": 0, **changes}
    assert scoping(S05=2_000_000, **answers).facts["export_route"] == route


@pytest.mark.parametrize(
    ("people", "band", "g3"),
    [
        (0, "none", False),
        (99_999, "under_100k", False),
        (100_000, "100k_to_1m", False),
        (1_000_000, "1m_to_10m", False),
        (9_999_999, "1m_to_10m", False),
        (10_000_000, "1m_to_10m", True),
        (10_000_001, "over_10m", True),
    ],
)
def test_pi_band_and_the_10_million_trigger(people, band, g3):
    outcome = scoping(S05=people)
    assert outcome.facts["pi_band"] == band
    assert ("G3-pi-10m" in codes(outcome)) is g3


# --------------------------------------------------------------------------- NDSMR Art. 28


def art_28_questions():
    """Questions on NDSMR Arts. 28, 30 or 32 that apply to a processor of more than 10 million
    people holding no important data: those duties reach them only through Art. 28."""
    above = scoping(S05=10_000_001)
    return [
        q
        for section in SPEC["sections"]
        for q in section["questions"]
        if any(
            c["regulation"] == "NDSMR" and c["article"] in (28, 30, 32)
            for c in q.get("citations", [])
        )
        and question_applies(q, above)
    ]


def test_the_art_28_questions_are_found():
    assert {"NDS-02", "NDS-03", "NDS-08"} <= {q["code"] for q in art_28_questions()}


@pytest.mark.parametrize("question", art_28_questions(), ids=lambda q: q["code"])
def test_ndsmr_28_duties_start_at_exactly_10_million_people(question):
    """NDSMR Art. 28: 处理1000万人以上 -- 以上 includes the number itself."""
    assert question_applies(question, scoping(S05=10_000_000))
    assert not question_applies(question, scoping(S05=9_999_999))
