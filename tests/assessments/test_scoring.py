"""The pure scoring function on plain dataclasses: no database, exact expectations."""

import dataclasses
import datetime as dt
import json
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    DEFAULT_RULESET,
    MODULES,
    TIERS,
    Answer,
    Citation,
    Question,
    Scope,
    Threshold,
    ruleset_for,
    score,
)

AS_OF = dt.date(2026, 3, 1)
TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}


def question(code, module="PIPL", weight=1, answer_type="level", **extra):
    return Question(code=code, module=module, answer_type=answer_type, weight=weight, **extra)


def at(level, evidence=True):
    return Answer(level=level, evidence=evidence)


def scope(grade="G1", raised=(), incidents=()):
    return Scope(grade, AS_OF, frozenset(raised), frozenset(incidents))


def deficit_module(deficit, module="PIPL", n=20):
    """n weight-1 questions missing `deficit` levels in total: C = 1 − deficit / (3n)."""
    questions, answers = [], {}
    for i in range(n):
        code = f"{module}-{i:02}"
        questions.append(question(code, module))
        answers[code] = at(3 - min(3, max(0, deficit - 3 * i)))
    return questions, answers


def level_of(q, answer, grade="G1"):
    """The level a single question scored, read back from its module's compliance."""
    compliance = score([q], {q.code: answer} if answer else {}, scope(grade)).modules[0].compliance
    return {1.0: 3, 0.6667: 2, 0.3333: 1, 0.0: 0}[compliance]


# --------------------------------------------------------------------------- matrix and bands

# Deficits over 20 weight-1 questions (60 thirds) that land exactly on each band's lower edge.
BAND_DEFICIT = {"low": 6, "medium": 15, "high": 30, "very_high": 31}
BAND_COMPLIANCE = {"low": 0.9, "medium": 0.75, "high": 0.5, "very_high": 0.4833}


@pytest.mark.parametrize(
    ("grade", "likelihood", "tier"),
    [
        ("G4", "low", "medium"),
        ("G4", "medium", "high"),
        ("G4", "high", "critical"),
        ("G4", "very_high", "critical"),
        ("G3", "low", "medium"),
        ("G3", "medium", "medium"),
        ("G3", "high", "high"),
        ("G3", "very_high", "critical"),
        ("G2", "low", "low"),
        ("G2", "medium", "medium"),
        ("G2", "high", "medium"),
        ("G2", "very_high", "high"),
        ("G1", "low", "low"),
        ("G1", "medium", "low"),
        ("G1", "high", "medium"),
        ("G1", "very_high", "medium"),
    ],
)
def test_every_matrix_cell_gives_its_tier(grade, likelihood, tier):
    questions, answers = deficit_module(BAND_DEFICIT[likelihood])
    result = score(questions, answers, scope(grade))
    pipl = result.module("PIPL")
    expected_impact = {"G1": "low", "G2": "medium", "G3": "high", "G4": "critical"}[grade]
    assert (pipl.impact, pipl.likelihood, pipl.compliance) == (
        expected_impact,
        likelihood,
        BAND_COMPLIANCE[likelihood],
    )
    assert (pipl.matrix_tier, pipl.tier, result.overall_tier) == (tier, tier, tier)


@pytest.mark.parametrize(
    ("deficit", "compliance", "likelihood"),
    [
        (0, 1.0, "low"),
        (6, 0.9, "low"),
        (7, 0.8833, "medium"),
        (15, 0.75, "medium"),
        (16, 0.7333, "high"),
        (30, 0.5, "high"),
        (31, 0.4833, "very_high"),
        (60, 0.0, "very_high"),
    ],
)
def test_likelihood_bands_include_their_lower_boundary(deficit, compliance, likelihood):
    questions, answers = deficit_module(deficit)
    pipl = score(questions, answers, scope()).module("PIPL")
    assert (pipl.compliance, pipl.likelihood) == (compliance, likelihood)


def test_a_boundary_reached_through_thirds_is_exact():
    # Four weight-5 questions, three at level 2: Σg = 3 × 5/3 = 5, C = 1 − 5/20 = 0.75 exactly.
    questions = [question(f"PIPL-{i}", weight=5) for i in range(4)]
    answers = {"PIPL-0": at(3), "PIPL-1": at(2), "PIPL-2": at(2), "PIPL-3": at(2)}
    pipl = score(questions, answers, scope()).module("PIPL")
    assert (pipl.compliance, pipl.likelihood) == (0.75, "medium")


# --------------------------------------------------------------------------- red lines


def with_red_line(level, grade="G1", deficit=0):
    questions, answers = deficit_module(deficit)
    questions.append(question("PIPL-RL", red_line=True))
    if level is not None:
        answers["PIPL-RL"] = at(level)
    return score(questions, answers, scope(grade))


def test_a_red_line_at_zero_forces_critical_even_for_g1():
    result = with_red_line(0)
    pipl = result.module("PIPL")
    assert (pipl.matrix_tier, pipl.tier, result.overall_tier) == ("low", "critical", "critical")
    assert [o.to_dict() for o in pipl.overrides] == [
        {
            "question": "PIPL-RL",
            "level": 0,
            "rule": "red_line_level_0_floor_critical",
            "floor": "critical",
            "matrix_tier": "low",
        }
    ]
    assert [(hit.question, hit.level) for hit in result.red_lines] == [("PIPL-RL", 0)]


def test_a_red_line_left_unanswered_counts_as_zero():
    result = with_red_line(None)
    assert result.overall_tier == "critical"
    assert result.module("PIPL").drivers[0].answer == "unanswered"


def test_a_red_line_at_one_sets_a_floor_of_high():
    pipl = with_red_line(1).module("PIPL")
    assert (pipl.matrix_tier, pipl.tier) == ("low", "high")
    assert [o.rule for o in pipl.overrides] == ["red_line_level_1_floor_high"]


def test_a_red_line_at_one_does_not_lower_a_critical_matrix_tier():
    pipl = with_red_line(1, grade="G4", deficit=40).module("PIPL")
    assert (pipl.likelihood, pipl.matrix_tier, pipl.tier) == ("very_high", "critical", "critical")
    assert pipl.overrides == ()
    assert [(hit.question, hit.floor) for hit in pipl.red_lines] == [("PIPL-RL", "high")]


@pytest.mark.parametrize("level", [2, 3])
def test_a_red_line_at_two_or_three_changes_nothing(level):
    result = with_red_line(level)
    assert (result.overall_tier, result.red_lines, result.module("PIPL").overrides) == (
        "low",
        (),
        (),
    )


def test_a_zero_weight_red_line_still_forces_critical():
    questions = [question("PIPL-1", weight=5), question("PIPL-RL", weight=0, red_line=True)]
    answers = {"PIPL-1": at(3), "PIPL-RL": at(0)}
    pipl = score(questions, answers, scope()).module("PIPL")
    assert (pipl.compliance, pipl.tier) == (1.0, "critical")


def test_an_na_red_line_is_no_hit_but_is_listed_first_for_the_reviewer():
    questions = [
        question("PIPL-A"),
        question("PIPL-Z", red_line=True),
        question("PIPL-B"),
    ]
    answers = {
        "PIPL-A": Answer(na_reason="no such processing"),
        "PIPL-Z": Answer(na_reason=" no minors "),
        "PIPL-B": at(3),
    }
    pipl = score(questions, answers, scope()).module("PIPL")
    assert (pipl.tier, pipl.red_lines) == ("low", ())
    assert [e.to_dict() for e in pipl.na] == [
        {"question": "PIPL-Z", "red_line": True, "reason": "no minors", "accepted": True},
        {"question": "PIPL-A", "red_line": False, "reason": "no such processing", "accepted": True},
    ]


# --------------------------------------------------------------------------- evidence


@pytest.mark.parametrize(
    ("grade", "weight", "evidence", "level"),
    [
        ("G1", 5, False, 3),
        ("G2", 5, False, 2),
        ("G2", 3, False, 3),
        ("G3", 5, False, 2),
        ("G3", 3, False, 2),
        ("G3", 2, False, 3),
        ("G4", 1, False, 2),
        ("G4", 5, False, 2),
        ("G4", 1, True, 3),
        ("G3", 5, True, 3),
    ],
)
def test_missing_required_evidence_caps_the_level_at_two(grade, weight, evidence, level):
    q = question("PIPL-1", weight=weight)
    assert level_of(q, at(3, evidence=evidence), grade) == level


@pytest.mark.parametrize("raw", [0, 1, 2])
def test_the_evidence_cap_never_raises_a_level(raw):
    assert level_of(question("PIPL-1"), at(raw, evidence=False), "G4") == raw


@pytest.mark.parametrize(
    ("q", "answer"),
    [
        (question("PIPL-1", answer_type="yesno"), Answer(value=True)),
        (
            question("PIPL-1", answer_type="number", thresholds=(Threshold(3, min=95),)),
            Answer(value=99),
        ),
        (
            question("PIPL-1", answer_type="date", thresholds=(Threshold(3, max_age_days=30),)),
            Answer(value=AS_OF),
        ),
        (question("PIPL-1", answer_type="choice", choice_levels=(("ok", 3),)), Answer(value="ok")),
        (
            question("PIPL-1", answer_type="multi", choice_levels=(("ok", 3),)),
            Answer(value=("ok",)),
        ),
    ],
)
def test_the_evidence_cap_applies_to_computed_answers(q, answer):
    assert level_of(q, answer, "G4") == 2
    assert level_of(q, dataclasses.replace(answer, evidence=True), "G4") == 3


def test_a_capped_driver_says_so():
    questions = [question("PIPL-1", weight=3)]
    driver = score(questions, {"PIPL-1": at(3, evidence=False)}, scope("G3")).modules[0].drivers[0]
    assert (driver.level, driver.gap, driver.evidence_capped) == (2, 1.0, True)


# --------------------------------------------------------------------------- N/A and unanswered


def test_na_leaves_the_denominator():
    questions = [
        question("PIPL-1", weight=5),
        question("PIPL-2", weight=3),
        question("PIPL-3", weight=2),
    ]
    answers = {"PIPL-1": at(3), "PIPL-2": at(1), "PIPL-3": Answer(na_reason="no export")}
    result = score(questions, answers, scope())
    # Σw = 5 + 3 = 8, Σg = 3 × 2/3 = 2, C = 1 − 2/8.
    assert (result.module("PIPL").compliance, result.index) == (0.75, 75.0)


def test_the_same_question_unanswered_stays_in_the_denominator():
    questions = [
        question("PIPL-1", weight=5),
        question("PIPL-2", weight=3),
        question("PIPL-3", weight=2),
    ]
    answers = {"PIPL-1": at(3), "PIPL-2": at(1), "PIPL-3": Answer(na_reason="   ")}
    result = score(questions, answers, scope())
    # A blank reason is no justification: PIPL-3 is unanswered. Σg = 2 + 2, C = 1 − 4/10.
    assert (result.module("PIPL").compliance, result.index) == (0.6, 60.0)
    assert result.module("PIPL").na == ()


def test_a_module_with_only_na_answers_has_no_compliance():
    questions = [question("CSL-1", "CSL"), question("CSL-2", "CSL")]
    answers = {code: Answer(na_reason="not operated in China") for code in ("CSL-1", "CSL-2")}
    result = score(questions, answers, scope("G4"))
    csl = result.module("CSL")
    assert (csl.compliance, csl.likelihood, csl.impact, csl.tier) == (
        None,
        "low",
        "critical",
        "medium",
    )
    assert (csl.flags, csl.drivers, result.index) == (("no_scored_questions",), (), None)


def test_a_module_of_zero_weight_questions_has_no_compliance():
    result = score([question("CSL-1", "CSL", weight=0)], {"CSL-1": at(0)}, scope("G2"))
    assert (result.module("CSL").compliance, result.module("CSL").tier, result.index) == (
        None,
        "low",
        None,
    )


def test_na_on_a_question_that_forbids_it_counts_as_level_zero():
    questions = [question("PIPL-1", weight=3, na_allowed=False, red_line=True)]
    result = score(questions, {"PIPL-1": Answer(na_reason="we think not")}, scope())
    pipl = result.module("PIPL")
    assert (pipl.compliance, pipl.tier, result.index) == (0.0, "critical", 0.0)
    assert (pipl.drivers[0].answer, pipl.drivers[0].level) == ("n/a (not allowed)", 0)
    assert [e.accepted for e in pipl.na] == [False]


@pytest.mark.parametrize(
    ("q", "answers"),
    [
        (question("PIPL-1"), {}),
        (question("PIPL-1"), {"PIPL-1": Answer(evidence=True)}),
        (question("PIPL-1", answer_type="yesno"), {"PIPL-1": Answer(level=3)}),
        (
            question("PIPL-1", answer_type="number", thresholds=(Threshold(3),)),
            {"PIPL-1": Answer(value=None, evidence=True)},
        ),
    ],
)
def test_an_unanswered_question_counts_as_level_zero(q, answers):
    driver = score([q], answers, scope()).modules[0].drivers[0]
    assert (driver.answer, driver.level, driver.gap) == ("unanswered", 0, 1.0)


def test_an_all_unanswered_submission_scores_zero():
    questions, _ = deficit_module(0)
    result = score(questions, {}, scope("G3"))
    pipl = result.module("PIPL")
    assert (pipl.compliance, pipl.likelihood, pipl.tier, result.index) == (
        0.0,
        "very_high",
        "critical",
        0.0,
    )


def test_answers_to_questions_not_passed_are_ignored():
    result = score([question("PIPL-1")], {"PIPL-1": at(3), "GAI-9": at(0)}, scope())
    assert (result.index, [m.module for m in result.modules]) == (100.0, ["PIPL"])


def test_no_questions_gives_low_without_an_index():
    result = score([], {}, scope("G4"))
    assert (result.overall_tier, result.index, result.modules, result.red_lines) == (
        "low",
        None,
        (),
        (),
    )


# --------------------------------------------------------------------------- several modules


def test_a_shared_control_drives_both_modules_but_counts_once_in_the_index():
    questions = [
        question("DS-08", "DEEPSYNTH", weight=5, red_line=True, also_modules=("LABEL",)),
        question("DS-01", "DEEPSYNTH", weight=5),
        question("LBL-03", "LABEL", weight=5),
    ]
    answers = {"DS-08": at(0), "DS-01": at(3), "LBL-03": at(3)}
    result = score(questions, answers, scope())
    deepsynth, label = result.module("DEEPSYNTH"), result.module("LABEL")
    assert (deepsynth.compliance, deepsynth.tier) == (0.5, "critical")
    assert (label.compliance, label.tier) == (0.5, "critical")
    # Distinct questions: Σw = 15, Σ(w − g) = 0 + 5 + 5 = 10 → 66.7 (double counting gives 50.0).
    assert result.index == 66.7
    assert [h.to_dict() for h in result.red_lines] == [
        {
            "question": "DS-08",
            "module": "DEEPSYNTH",
            "modules": ["DEEPSYNTH", "LABEL"],
            "level": 0,
            "floor": "critical",
        }
    ]
    assert [(d.question.code, d.to_dict()["module"]) for d in label.drivers] == [
        ("DS-08", "DEEPSYNTH")
    ]


def test_also_modules_naming_the_home_module_or_repeats_count_once():
    q = question("DS-08", "DEEPSYNTH", also_modules=("LABEL", "DEEPSYNTH", "LABEL"))
    assert q.modules == ("DEEPSYNTH", "LABEL")


def test_modules_come_out_in_the_fixed_order_whatever_the_input_order():
    codes = [
        "LABEL",
        "MINORS",
        "CSL",
        "GENAI",
        "PIPL",
        "ALGO",
        "NDS",
        "DSL",
        "XBORDER",
        "DEEPSYNTH",
    ]
    questions = [question(f"{m}-1", m) for m in codes]
    result = score(questions, {}, scope())
    assert [m.module for m in result.modules] == list(MODULES)


# --------------------------------------------------------------------------- modifiers


@pytest.mark.parametrize(
    ("band", "raised_to"),
    [("low", "medium"), ("medium", "high"), ("high", "very_high"), ("very_high", "very_high")],
)
def test_an_incident_raises_likelihood_one_step_capped(band, raised_to):
    questions, answers = deficit_module(BAND_DEFICIT[band])
    result = score(questions, answers, scope("G2", incidents={"PIPL"}))
    pipl = result.module("PIPL")
    assert (pipl.likelihood, pipl.flags) == (raised_to, ("incident",))


def test_an_incident_elsewhere_does_not_touch_the_module():
    questions, answers = deficit_module(0)
    result = score(questions, answers, scope("G2", incidents={"CSL"}))
    assert (result.module("PIPL").likelihood, result.module("PIPL").flags) == ("low", ())


def test_an_incident_raises_an_unscored_module_too():
    result = score(
        [question("CSL-1", "CSL")], {"CSL-1": Answer(na_reason="x")}, scope("G3", incidents={"CSL"})
    )
    assert (result.module("CSL").likelihood, result.module("CSL").tier) == ("medium", "medium")


@pytest.mark.parametrize(
    ("grade", "impact", "tier"),
    [
        ("G1", "medium", "low"),
        ("G2", "high", "medium"),
        ("G3", "critical", "medium"),
        ("G4", "critical", "medium"),
    ],
)
def test_a_raised_impact_module_goes_one_step_up_capped(grade, impact, tier):
    questions, answers = deficit_module(0)
    pipl = score(questions, answers, scope(grade, raised={"PIPL"})).module("PIPL")
    assert (pipl.impact, pipl.tier, pipl.flags) == (impact, tier, ("raised_impact",))


def test_raised_impact_can_change_the_tier():
    questions, answers = deficit_module(BAND_DEFICIT["very_high"])
    plain = score(questions, answers, scope("G2")).module("PIPL").tier
    raised = score(questions, answers, scope("G2", raised={"PIPL"})).module("PIPL").tier
    assert (plain, raised) == ("high", "critical")


# --------------------------------------------------------------------------- conversions


@pytest.mark.parametrize(("value", "level"), [(True, 3), (False, 0)])
def test_yes_no_maps_yes_to_three_and_no_to_zero(value, level):
    assert level_of(question("PIPL-1", answer_type="yesno"), Answer(value=value)) == level


REFUSAL_RATE = question(
    "GAI-10",
    "GENAI",
    answer_type="number",
    thresholds=(Threshold(3, min=95), Threshold(1, min=90), Threshold(0)),
)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (100, 3),
        (95, 3),
        (95.0, 3),
        (Decimal("94.99"), 1),
        (94.999, 1),
        (90, 1),
        (Decimal("90.0"), 1),
        (89.99, 0),
        (0, 0),
        (Fraction(285, 3), 3),
    ],
)
def test_number_answers_take_the_first_threshold_they_reach(value, level):
    assert level_of(REFUSAL_RATE, Answer(value=value)) == level


def test_a_number_below_every_threshold_is_level_zero():
    q = question("GAI-10", "GENAI", answer_type="number", thresholds=(Threshold(3, min=95),))
    assert level_of(q, Answer(value=50)) == 0


ASSESSED_WITHIN = question(
    "DSL-06",
    "DSL",
    answer_type="date",
    thresholds=(Threshold(3, max_age_days=365), Threshold(1, max_age_days=730), Threshold(0)),
)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (AS_OF, 3),
        (AS_OF - dt.timedelta(days=365), 3),
        (AS_OF - dt.timedelta(days=366), 1),
        ((AS_OF - dt.timedelta(days=730)).isoformat(), 1),
        ((AS_OF - dt.timedelta(days=731)).isoformat(), 0),
        (AS_OF + dt.timedelta(days=400), 3),
        (dt.datetime(2025, 3, 1, 23, 59), 3),
        ("2024-03-01", 1),
    ],
)
def test_date_answers_are_aged_against_the_scope_date(value, level):
    assert level_of(ASSESSED_WITHIN, Answer(value=value)) == level


def test_a_future_date_has_age_zero():
    q = question("ALGO-01", "ALGO", answer_type="date", thresholds=(Threshold(3, max_age_days=0),))
    assert level_of(q, Answer(value="2027-01-01")) == 3


FILING = question(
    "ALGO-01",
    "ALGO",
    answer_type="choice",
    choice_levels=(("filed", 3), ("late", 1), ("none", 0)),
)


@pytest.mark.parametrize(("value", "level"), [("filed", 3), ("late", 1), ("none", 0)])
def test_choice_answers_take_the_listed_level(value, level):
    assert level_of(FILING, Answer(value=value)) == level


CONTROLS = question(
    "LBL-01",
    "LABEL",
    answer_type="multi",
    choice_levels=(("text", 3), ("audio", 1), ("nothing", 0)),
)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (("text",), 3),
        (("text", "audio"), 1),
        (("nothing", "text"), 0),
        (["audio"], 1),
        (frozenset({"text", "audio"}), 1),
        (("text", "other"), 3),
        (("other",), 3),
        ((), 3),
    ],
)
def test_multi_answers_take_the_lowest_listed_level(value, level):
    assert level_of(CONTROLS, Answer(value=value)) == level


@pytest.mark.parametrize(
    ("q", "value", "answer"),
    [
        (CONTROLS, frozenset({"text", "audio", "nothing"}), "audio, nothing, text"),
        (REFUSAL_RATE, Decimal("94.5"), "94.5"),
        (ASSESSED_WITHIN, "2020-01-02", "2020-01-02"),
        (FILING, "late", "late"),
        (question("PIPL-1", answer_type="yesno"), False, "no"),
    ],
)
def test_drivers_describe_the_answer_plainly(q, value, answer):
    driver = score([q], {q.code: Answer(value=value)}, scope()).modules[0].drivers[0]
    assert driver.answer == answer


def test_an_empty_selection_is_described_as_such():
    result = score([CONTROLS], {"LBL-01": Answer(value=())}, scope("G4"))
    driver = result.modules[0].drivers[0]
    assert (driver.answer, driver.level, driver.evidence_capped) == ("none selected", 2, True)


@pytest.mark.parametrize(
    ("q", "answer"),
    [
        (question("PIPL-1"), Answer(level=4)),
        (question("PIPL-1"), Answer(level=-1)),
        (question("PIPL-1"), Answer(level=True)),
        (question("PIPL-1", answer_type="yesno"), Answer(value="yes")),
        (REFUSAL_RATE, Answer(value="95")),
        (REFUSAL_RATE, Answer(value=True)),
        (REFUSAL_RATE, Answer(value=float("nan"))),
        (ASSESSED_WITHIN, Answer(value="01/03/2026")),
        (ASSESSED_WITHIN, Answer(value=20260301)),
        (FILING, Answer(value="maybe")),
        (CONTROLS, Answer(value="text")),
        (CONTROLS, Answer(value=(1, 2))),
    ],
)
def test_malformed_answers_are_rejected(q, answer):
    with pytest.raises(ValueError):
        score([q], {q.code: answer}, scope())


@pytest.mark.parametrize(
    "build",
    [
        lambda: question("X-1", module="HR"),
        lambda: question("X-1", also_modules=("HR",)),
        lambda: question("X-1", answer_type="essay"),
        lambda: question("X-1", weight=-1),
        lambda: question("X-1", weight=1.5),
        lambda: question("X-1", answer_type="number"),
        lambda: question("X-1", answer_type="choice"),
        lambda: question("X-1", answer_type="multi", choice_levels=(("a", 4),)),
        lambda: Threshold(5, min=1),
        lambda: Scope("G5", AS_OF),
        lambda: Scope("G1", AS_OF, frozenset({"HR"})),
        lambda: dataclasses.replace(DEFAULT_RULESET, treatments=DEFAULT_RULESET.treatments[:3]),
        lambda: dataclasses.replace(DEFAULT_RULESET, matrix=DEFAULT_RULESET.matrix[:3]),
        lambda: score([question("X-1"), question("X-1")], {}, scope()),
        lambda: ruleset_for("1999.1"),
    ],
)
def test_malformed_definitions_are_rejected(build):
    with pytest.raises(ValueError):
        build()


# --------------------------------------------------------------------------- drivers


def test_drivers_list_red_lines_first_then_the_largest_gaps():
    spec = [
        # code, weight, level, red line           gap in thirds
        ("R-C", 1, 0, True),  # 3, red line at 0
        ("R-A", 1, 0, True),  # 3, red line at 0
        ("R-B", 1, 1, True),  # 2, red line at 1
        ("R-D", 5, 2, True),  # 5, red line at 2: an ordinary gap
        ("Q-BIG", 5, 0, False),  # 15
        ("Q-W2", 2, 0, False),  # 6, weight 2
        ("Q-Z", 3, 1, False),  # 6, weight 3
        ("Q-W3", 3, 1, False),  # 6, weight 3
        ("Q-ONE", 1, 0, False),  # 3: sixth largest, left out
        ("Q-FULL", 5, 3, False),  # 0: never a driver
    ]
    questions = [question(code, weight=w, red_line=red) for code, w, _, red in spec]
    answers = {code: at(level) for code, _, level, _ in spec}
    pipl = score(questions, answers, scope()).module("PIPL")
    assert [(d.question.code, d.gap) for d in pipl.drivers] == [
        ("R-A", 1.0),
        ("R-C", 1.0),
        ("R-B", 0.6667),
        ("Q-BIG", 5.0),
        ("Q-W3", 2.0),
        ("Q-Z", 2.0),
        ("Q-W2", 2.0),
        ("R-D", 1.6667),
    ]
    assert {(d.treatment.code, d.treatment.deadline_days) for d in pipl.drivers} == {
        ("immediate", 7)
    }


def test_a_perfect_module_has_no_drivers():
    questions, answers = deficit_module(0)
    assert score(questions, answers, scope()).module("PIPL").drivers == ()


def test_the_number_of_gap_drivers_is_a_ruleset_parameter():
    questions, answers = deficit_module(BAND_DEFICIT["high"])
    ruleset = dataclasses.replace(DEFAULT_RULESET, top_drivers=2, version="test.2")
    result = score(questions, answers, scope(), ruleset)
    assert [d.question.code for d in result.module("PIPL").drivers] == ["PIPL-00", "PIPL-01"]
    assert result.ruleset_version == "test.2"


@pytest.mark.parametrize(
    ("grade", "band", "tier", "treatment", "zh", "deadline"),
    [
        ("G1", "high", "medium", "planned", "纳入计划", 90),
        ("G1", "low", "low", "accept_monitor", "接受/持续监测", None),
        ("G2", "very_high", "high", "set_period", "限期处置", 30),
        ("G4", "high", "critical", "immediate", "立即处置", 7),
    ],
)
def test_driver_treatment_follows_the_module_tier(grade, band, tier, treatment, zh, deadline):
    questions, answers = deficit_module(BAND_DEFICIT[band])
    pipl = score(questions, answers, scope(grade)).module("PIPL")
    driver = pipl.drivers[0].to_dict()
    assert (pipl.tier, driver["treatment"], driver["treatment_zh"], driver["deadline_days"]) == (
        tier,
        treatment,
        zh,
        deadline,
    )


def test_a_driver_carries_everything_the_report_needs():
    q = question(
        "PIPL-04",
        weight=5,
        answer_type="yesno",
        red_line=True,
        citations=(Citation("PIPL", 52, "个人信息保护负责人"), Citation("PIPL", 66)),
        text_zh="是否指定并报送个人信息保护负责人？",
        text_en="Is a PI protection officer appointed and reported?",
        remediation_zh="指定并报送。",
        remediation_en="Appoint and report.",
        penalty_zh="第66条",
        penalty_en="Art. 66",
    )
    driver = score([q], {"PIPL-04": Answer(value=False)}, scope("G3")).modules[0].drivers[0]
    assert driver.to_dict() == {
        "question": "PIPL-04",
        "module": "PIPL",
        "answer": "no",
        "level": 0,
        "gap": 5.0,
        "red_line": True,
        "evidence_capped": False,
        "citations": [
            {"regulation": "PIPL", "article": 52, "phrase": "个人信息保护负责人"},
            {"regulation": "PIPL", "article": 66, "phrase": ""},
        ],
        "text_zh": "是否指定并报送个人信息保护负责人？",
        "text_en": "Is a PI protection officer appointed and reported?",
        "penalty_zh": "第66条",
        "penalty_en": "Art. 66",
        "remediation_zh": "指定并报送。",
        "remediation_en": "Appoint and report.",
        "treatment": "immediate",
        "treatment_zh": "立即处置",
        "treatment_en": "immediate",
        "deadline_days": 7,
    }


# --------------------------------------------------------------------------- worked example


def worked_example():
    """Methodology §11.13, ALGO and PIPL of the e-commerce app at G3.

    ALGO (ALGO-10 N/A):          w  level  3g       PIPL:          w  level  3g
      ALGO-01 filed on time       5   3     0          PIPL-01     5   3     0
      ALGO-02 display             2   3     0          PIPL-04 RL  5   0    15
      ALGO-03 changes             2   3     0          PIPL-06     3   3     0
      ALGO-07 disclosure          3   3     0        Σw = 13, 3Σg = 15
      ALGO-09 RL pricing          5   3     0        C = 1 − 15/39 = 0.6154 → high
      ALGO-04/05/06 no evidence  3×3  3→2  3×3       matrix high×high = high,
      ALGO-08 RL tags             5   1    10        red line at 0 → critical
      ALGO-11, ALGO-12            3×2  1    6×2
    Σw = 37, 3Σg = 9 + 10 + 12 = 31 (Σg = 10.33), C = 1 − 31/111 = 80/111 = 0.7207 → high;
    matrix high×high = high, red line ALGO-08 at 1 keeps the floor: no override.
    Index over both: Σw = 50, 3Σg = 46, I = 100 × (150 − 46)/150 = 69.33 → 69.3.
    """
    rows = [
        ("ALGO-01", 5, 3, False),
        ("ALGO-02", 2, 3, False),
        ("ALGO-03", 2, 3, False),
        ("ALGO-07", 3, 3, False),
        ("ALGO-09", 5, 3, True),
        ("ALGO-04", 3, 3, False),
        ("ALGO-05", 3, 3, False),
        ("ALGO-06", 3, 3, False),
        ("ALGO-08", 5, 1, True),
        ("ALGO-11", 3, 1, False),
        ("ALGO-12", 3, 1, False),
        ("ALGO-10", 3, None, False),
        ("PIPL-01", 5, 3, False),
        ("PIPL-04", 5, 0, True),
        ("PIPL-06", 3, 3, False),
    ]
    questions = [
        question(code, code.split("-")[0], weight=w, red_line=red) for code, w, _, red in rows
    ]
    answers = {
        code: at(level, evidence=code not in {"ALGO-04", "ALGO-05", "ALGO-06"})
        for code, _, level, _ in rows
    }
    answers["ALGO-10"] = Answer(na_reason="no dispatching of workers")
    return questions, answers, scope("G3")


def test_the_worked_example():
    result = score(*worked_example())
    algo, pipl = result.module("ALGO"), result.module("PIPL")
    assert (algo.compliance, algo.likelihood, algo.impact, algo.matrix_tier, algo.tier) == (
        0.7207,
        "high",
        "high",
        "high",
        "high",
    )
    assert algo.overrides == ()
    assert [(d.question.code, d.level, d.gap, d.evidence_capped) for d in algo.drivers] == [
        ("ALGO-08", 1, 3.3333, False),
        ("ALGO-11", 1, 2.0, False),
        ("ALGO-12", 1, 2.0, False),
        ("ALGO-04", 2, 1.0, True),
        ("ALGO-05", 2, 1.0, True),
        ("ALGO-06", 2, 1.0, True),
    ]
    assert {d.treatment.code for d in algo.drivers} == {"set_period"}
    assert (pipl.compliance, pipl.matrix_tier, pipl.tier) == (0.6154, "high", "critical")
    assert [o.rule for o in pipl.overrides] == ["red_line_level_0_floor_critical"]
    assert (result.overall_tier, result.index, result.grade) == ("critical", 69.3, "G3")
    assert [(h.question, h.level) for h in result.red_lines] == [("PIPL-04", 0), ("ALGO-08", 1)]


def test_the_result_serialises_with_exactly_the_agreed_keys():
    data = score(*worked_example()).to_dict()
    assert list(data) == [
        "overall_tier",
        "index",
        "modules",
        "grade",
        "ruleset_version",
        "red_lines",
    ]
    assert list(data["modules"]) == ["PIPL", "ALGO"]
    assert set(data["modules"]["ALGO"]) == {
        "tier",
        "likelihood",
        "impact",
        "compliance",
        "red_lines",
        "drivers",
        "matrix_tier",
        "overrides",
        "na",
        "flags",
    }
    assert (data["ruleset_version"], data["modules"]["ALGO"]["na"]) == (
        "2026.1",
        [
            {
                "question": "ALGO-10",
                "red_line": False,
                "reason": "no dispatching of workers",
                "accepted": True,
            }
        ],
    )
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


# --------------------------------------------------------------------------- ruleset


def test_likelihood_bands_given_as_floats_are_stored_exactly():
    ruleset = dataclasses.replace(
        DEFAULT_RULESET, likelihood_bands=((0.9, "low"), ("0.75", "medium"), (0.5, "high"))
    )
    assert ruleset.likelihood_bands == DEFAULT_RULESET.likelihood_bands
    assert ruleset.likelihood_bands[0][0] == Fraction(9, 10)
    assert ruleset == DEFAULT_RULESET and hash(ruleset) == hash(DEFAULT_RULESET)


def test_a_stored_version_finds_its_ruleset():
    assert ruleset_for(DEFAULT_RULESET.version) is DEFAULT_RULESET


# --------------------------------------------------------------------------- determinism


def test_shuffled_input_gives_an_identical_result():
    questions, answers, the_scope = worked_example()
    expected = json.dumps(score(questions, answers, the_scope).to_dict(), ensure_ascii=False)
    shuffler = random.Random(20260301)
    for _ in range(20):
        shuffled = questions[:]
        shuffler.shuffle(shuffled)
        keys = list(answers)
        shuffler.shuffle(keys)
        result = score(shuffled, {k: answers[k] for k in keys}, the_scope)
        assert json.dumps(result.to_dict(), ensure_ascii=False) == expected


THRESHOLDS = (Threshold(3, min=95), Threshold(1, min=90), Threshold(0))
AGES = (Threshold(3, max_age_days=365), Threshold(1, max_age_days=730))
CHOICES = (("a", 3), ("b", 2), ("c", 1), ("d", 0))


ANSWER_STRATEGIES = {
    "level": st.builds(Answer, level=st.sampled_from((None, 0, 1, 2, 3))),
    "yesno": st.builds(Answer, value=st.sampled_from((None, True, False))),
    "number": st.builds(Answer, value=st.one_of(st.none(), st.integers(0, 100))),
    "date": st.builds(Answer, value=st.dates(dt.date(2023, 1, 1), dt.date(2027, 1, 1))),
    "choice": st.builds(Answer, value=st.sampled_from(("a", "b", "c", "d"))),
    "multi": st.builds(Answer, value=st.lists(st.sampled_from("abcdx"), max_size=3).map(tuple)),
}
QUESTION_SPECS = st.tuples(
    st.sampled_from(tuple(ANSWER_STRATEGIES)),
    st.sampled_from(MODULES),
    st.sampled_from((0, 1, 2, 3, 5)),  # weight
    st.booleans(),  # red line
    st.booleans(),  # N/A allowed
    st.lists(st.sampled_from(MODULES), max_size=2).map(tuple),  # also_modules
    st.sampled_from(("answer", "answer", "na", "missing")),
    st.booleans(),  # evidence
)
SCOPES = st.builds(
    Scope,
    st.sampled_from(("G1", "G2", "G3", "G4")),
    st.just(AS_OF),
    st.frozensets(st.sampled_from(MODULES)),
    st.frozensets(st.sampled_from(MODULES)),
)


@st.composite
def submissions(draw):
    questions, answers = [], {}
    specs = draw(st.lists(QUESTION_SPECS, max_size=30))
    for i, (answer_type, module, weight, red, na_ok, also, kind, evidence) in enumerate(specs):
        q = Question(
            code=f"Q-{i:02}",
            module=module,
            answer_type=answer_type,
            weight=weight,
            red_line=red,
            na_allowed=na_ok,
            also_modules=also,
            thresholds={"number": THRESHOLDS, "date": AGES}.get(answer_type, ()),
            choice_levels=CHOICES if answer_type in ("choice", "multi") else (),
        )
        questions.append(q)
        if kind == "na":
            answers[q.code] = Answer(na_reason="n/a")
        elif kind == "answer":
            answer = draw(ANSWER_STRATEGIES[answer_type])
            answers[q.code] = dataclasses.replace(answer, evidence=evidence)
    return questions, answers, draw(SCOPES)


@settings(max_examples=300, deadline=None)
@given(submissions(), st.randoms(use_true_random=False))
def test_scoring_is_deterministic_and_keeps_its_invariants(submission, rnd):
    questions, answers, the_scope = submission
    result = score(questions, answers, the_scope)
    shuffled = questions[:]
    rnd.shuffle(shuffled)
    reordered = dict(reversed(list(answers.items())))
    assert score(shuffled, reordered, the_scope).to_dict() == result.to_dict()

    assert result.index is None or 0 <= result.index <= 100
    worst = max((m.tier for m in result.modules), key=TIER_RANK.__getitem__, default="low")
    assert result.overall_tier == worst
    tiers = {m.module: m.tier for m in result.modules}
    for m in result.modules:
        assert TIER_RANK[m.tier] >= TIER_RANK[m.matrix_tier]
        assert m.compliance is None or 0 <= m.compliance <= 1
        codes = [d.question.code for d in m.drivers]
        assert len(codes) == len(set(codes)) <= len(m.red_lines) + DEFAULT_RULESET.top_drivers
    unanswered_red_lines = {q.code for q in questions if q.red_line and q.code not in answers}
    zero_hits = {h.question for h in result.red_lines if h.level == 0}
    assert unanswered_red_lines <= zero_hits
    for hit in result.red_lines:
        if hit.level == 0:
            assert {tiers[m] for m in hit.modules} == {"critical"}
    assert json.loads(json.dumps(result.to_dict())) == result.to_dict()


def test_every_question_outcome_is_listed_with_its_level_and_gap():
    questions = [question("PIPL-01", weight=5), question("PIPL-02", weight=3), question("PIPL-03")]
    answers = {"PIPL-01": at(1), "PIPL-02": Answer(na_reason="不涉及"), "PIPL-03": at(3)}
    outcomes = score(questions, answers, scope()).questions
    assert [(o.code, o.level, o.gap) for o in outcomes] == [
        ("PIPL-01", 1, 3.3333),
        ("PIPL-02", None, 0.0),
        ("PIPL-03", 3, 0.0),
    ]
    assert "questions" not in score(questions, answers, scope()).to_dict()
