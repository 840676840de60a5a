"""The rule language and the scoping derivation (pure: no database, no Django)."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from assessments.rules import (
    MODULES,
    RuleError,
    derive_scoping,
    evaluate,
    question_applies,
    validate_rule,
)

QUESTIONNAIRE = (
    Path(__file__).resolve().parents[2] / "assessments" / "content" / "questionnaire-v1.yaml"
)


@pytest.fixture(scope="module")
def spec():
    return yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))


def fact(name, op, value=None):
    return {"fact": name, "op": op, "value": value}


# --------------------------------------------------------------------------- evaluator

FACTS = {"n": 5, "s": "b", "flag": True, "tags": ["x", "y"], "zero": 0}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (fact("n", "eq", 5), True),
        (fact("n", "eq", 6), False),
        (fact("n", "ne", 6), True),
        (fact("n", "ne", 5), False),
        (fact("n", "lt", 6), True),
        (fact("n", "lt", 5), False),
        (fact("n", "lte", 5), True),
        (fact("n", "lte", 4), False),
        (fact("n", "gt", 4), True),
        (fact("n", "gt", 5), False),
        (fact("n", "gte", 5), True),
        (fact("n", "gte", 6), False),
        (fact("s", "in", ["a", "b"]), True),
        (fact("s", "in", ["a", "c"]), False),
        (fact("tags", "contains", "x"), True),
        (fact("tags", "contains", "z"), False),
        (fact("tags", "intersects", ["z", "y"]), True),
        (fact("tags", "intersects", ["z"]), False),
        (fact("tags", "intersects", []), False),
        (fact("zero", "present"), True),
        (fact("flag", "eq", True), True),
        (fact("flag", "eq", 1), False),
        (fact("n", "eq", True), False),
        (fact("s", "lt", 3), False),
        (fact("s", "contains", "b"), False),
    ],
)
def test_each_op_compares_as_documented(rule, expected):
    assert evaluate(rule, FACTS) is expected


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "lte", "gt", "gte", "in", "contains"])
def test_a_missing_fact_makes_every_comparison_false(op):
    value = ["a"] if op == "in" else 1
    assert evaluate(fact("absent", op, value), FACTS) is False
    assert evaluate(fact("none", op, value), {"none": None}) is False


def test_a_missing_fact_is_not_present_and_intersects_nothing():
    assert evaluate(fact("absent", "present"), FACTS) is False
    assert evaluate(fact("absent", "intersects", ["a"]), FACTS) is False


def test_not_of_a_missing_comparison_is_true():
    assert evaluate({"not": fact("absent", "eq", 1)}, FACTS) is True


def test_combinators_nest():
    rule = {
        "all": [
            {"any": [fact("n", "gt", 10), fact("s", "eq", "b")]},
            {"not": fact("tags", "contains", "z")},
            True,
        ]
    }
    assert evaluate(rule, FACTS) is True
    assert evaluate({"all": [rule, False]}, FACTS) is False


def test_literals_and_empty_combinators():
    assert evaluate(True, {}) is True
    assert evaluate(False, {}) is False
    assert evaluate({"all": []}, {}) is True
    assert evaluate({"any": []}, {}) is False


@pytest.mark.parametrize("rule", ["yes", 1, None, {"unknown": 1}, {"all": {"fact": "n"}}])
def test_evaluating_a_malformed_rule_raises(rule):
    with pytest.raises(RuleError):
        evaluate(rule, FACTS)


# --------------------------------------------------------------------------- validation

KNOWN = {"n", "s", "tags"}


def test_a_well_formed_rule_has_no_errors():
    rule = {"any": [{"not": fact("n", "gte", 3)}, fact("tags", "intersects", ["a"])]}
    assert validate_rule(rule, KNOWN) == []
    assert validate_rule({"fact": "s", "op": "present"}, KNOWN) == []


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        (fact("n", "approx", 1), "unknown op 'approx'"),
        (fact("nope", "eq", 1), "unknown fact 'nope'"),
        (fact("s", "in", "abc"), "'in' needs a list"),
        (fact("tags", "intersects", 3), "'intersects' needs a list"),
        (fact("tags", "intersects", [["a"]]), "list of scalars"),
        (fact("tags", "contains", ["a"]), "'contains' needs a scalar"),
        (fact("n", "lt", [1]), "'lt' needs a number or a string"),
        (fact("n", "eq", {"a": 1}), "cannot compare with a mapping"),
        ({"fact": "n", "op": "eq"}, "needs a value"),
        ({"fact": "n", "op": "eq", "value": 1, "extra": 2}, "unexpected keys"),
        ({"all": fact("n", "eq", 1)}, "'all' needs a list"),
        ({"all": [], "any": []}, "must be the only key"),
        ({"when": 1}, "wrong shape"),
        ("true", "must be true, false or a mapping"),
        ({"fact": "", "op": "eq", "value": 1}, "non-empty string"),
    ],
)
def test_validation_names_the_problem(rule, fragment):
    errors = validate_rule(rule, KNOWN)
    assert any(fragment in error for error in errors), errors


def test_validation_reports_the_path_of_a_nested_error():
    errors = validate_rule({"all": [True, {"not": fact("zz", "eq", 1)}]}, KNOWN)
    assert errors == ["rule.all[1].not: unknown fact 'zz'"]


def test_validation_without_known_facts_accepts_any_name():
    assert validate_rule(fact("anything", "eq", 1), None) == []


# --------------------------------------------------------------------------- properties

leaves = st.one_of(
    st.booleans(),
    st.builds(
        lambda name, op, value: {"fact": name, "op": op, "value": value},
        st.sampled_from(["a", "b", "missing"]),
        st.sampled_from(["eq", "ne", "lt", "gte", "present"]),
        st.integers(-3, 3),
    ),
)
rules = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(children, max_size=3)),
        st.builds(lambda parts: {"any": parts}, st.lists(children, max_size=3)),
        st.builds(lambda part: {"not": part}, children),
    ),
    max_leaves=8,
)
fact_sets = st.fixed_dictionaries({"a": st.integers(-3, 3), "b": st.none() | st.integers(-3, 3)})


@given(rules, fact_sets)
def test_double_negation_is_identity(rule, facts):
    assert evaluate({"not": {"not": rule}}, facts) == evaluate(rule, facts)


@given(rules, fact_sets)
def test_generated_rules_validate(rule, facts):
    assert validate_rule(rule, {"a", "b", "missing"}) == []


@given(st.lists(rules, max_size=4), fact_sets)
def test_all_and_any_agree_with_python(parts, facts):
    values = [evaluate(part, facts) for part in parts]
    assert evaluate({"all": parts}, facts) == all(values)
    assert evaluate({"any": parts}, facts) == any(values)


# --------------------------------------------------------------------------- scoping

BASELINE = {
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


def scoping(spec, **changes):
    return derive_scoping(spec, {**BASELINE, **changes})


def test_the_baseline_is_grade_g1_with_the_general_modules(spec):
    outcome = scoping(spec)
    assert outcome.grade == "G1"
    assert outcome.grade_reasons == ()
    assert outcome.modules == ("CSL", "DSL", "PIPL")
    assert outcome.facts["export_route"] == "none"
    assert outcome.facts["genai_track"] == "none"
    assert outcome.facts["pi_band"] == "under_100k"
    assert outcome.raised_impact_modules == frozenset()
    assert outcome.incident_modules == frozenset()


GRADE_TRIGGERS = [
    ("G4", "G4-ciio", {"S02": "designated"}),
    ("G4", "G4-ciio", {"S02": "pending"}),
    ("G4", "G4-core-data", {"S04": "core"}),
    ("G4", "G4-mlps4", {"S03": "level4"}),
    ("G4", "G4-mlps4", {"S03": "level5"}),
    ("G4", "G4-large-platform", {"S15": True}),
    ("G3", "G3-important-data", {"S04": "important"}),
    ("G3", "G3-pi-10m", {"S05": 10_000_001}),
    ("G3", "G3-mlps3", {"S03": "level3"}),
    ("G3", "G3-export-assessment", {"S18": True}),
    ("G3", "G3-algo-filing", {"S10": ["ranking"], "S11": ["comments"]}),
    ("G3", "G3-deepsynth-filing", {"S12": ["technical_supporter"], "S11": ["forum"]}),
    ("G3", "G3-genai-filing", {"S13": "fine_tuned", "S11": ["short_video"]}),
    ("G2", "G2-pi-1m", {"S05": 1_000_000}),
    ("G2", "G2-sensitive-pi", {"S06": ["health"]}),
    ("G2", "G2-automated-decisions", {"S08": ["credit_scoring"]}),
    ("G2", "G2-export-scc", {"S09": 100_000}),
    ("G2", "G2-mlps2", {"S03": "level2"}),
    ("G2", "G2-genai-registration", {"S13": "api_only"}),
    ("G2", "G2-labelling-role", {"S14": ["app_distribution"]}),
    ("G2", "G2-algorithm", {"S10": ["search_filter"]}),
    ("G2", "G2-deep-synthesis", {"S12": ["service_provider"]}),
]


@pytest.mark.parametrize(("grade", "code", "changes"), GRADE_TRIGGERS)
def test_each_trigger_sets_its_grade_and_reason(spec, grade, code, changes):
    outcome = scoping(spec, **changes)
    assert outcome.grade == grade
    assert code in [reason.code for reason in outcome.grade_reasons]
    reason = next(reason for reason in outcome.grade_reasons if reason.code == code)
    assert reason.zh and reason.en


def test_every_grade_entry_in_the_file_is_covered_by_the_table(spec):
    assert {entry["code"] for entry in spec["grades"]} == {code for _, code, _ in GRADE_TRIGGERS}


@pytest.mark.parametrize(
    ("changes", "grade"),
    [
        ({"S05": 9_999_999}, "G2"),
        ({"S05": 10_000_000}, "G2"),
        ({"S05": 999_999}, "G1"),
        ({"S10": ["ranking"]}, "G2"),
        ({"S11": ["forum"]}, "G1"),
        ({"S13": "self_developed"}, "G1"),
        ({"S04": "identifying"}, "G1"),
    ],
)
def test_near_misses_do_not_trigger_the_higher_grade(spec, changes, grade):
    assert scoping(spec, **changes).grade == grade


def test_the_highest_grade_wins_and_all_reasons_are_kept(spec):
    outcome = scoping(spec, S03="level2", S04="important", S15=True, S06=["location"])
    assert outcome.grade == "G4"
    codes = [reason.code for reason in outcome.grade_reasons]
    assert set(codes) == {"G4-large-platform", "G3-important-data", "G2-mlps2", "G2-sensitive-pi"}
    assert codes[0] == "G4-large-platform"


MODULE_TRIGGERS = [
    ("PIPL", {"S01": "abroad_targeting", "S05": 0}),
    ("ALGO", {"S10": ["personalised_push"]}),
    ("ALGO", {"S10": ["dispatch"]}),
    ("DEEPSYNTH", {"S12": ["service_provider"]}),
    ("DEEPSYNTH", {"S12": ["technical_supporter"]}),
    ("DEEPSYNTH", {"S13": "api_only"}),
    ("GENAI", {"S13": "self_developed"}),
    ("GENAI", {"S13": "fine_tuned"}),
    ("GENAI", {"S13": "api_only"}),
    ("LABEL", {"S14": ["dissemination_platform"]}),
    ("LABEL", {"S12": ["service_provider"]}),
    ("LABEL", {"S13": "api_only"}),
]


@pytest.mark.parametrize(("module", "changes"), MODULE_TRIGGERS)
def test_each_module_trigger_activates_the_module_with_a_reason(spec, module, changes):
    before = scoping(spec)
    outcome = scoping(spec, **changes)
    assert module not in before.modules or module == "PIPL"
    assert module in outcome.modules
    assert outcome.module_reasons[module]
    assert all(reason.code == module and reason.zh for reason in outcome.module_reasons[module])


@pytest.mark.parametrize(
    ("changes", "active"),
    [
        ({"S05": 0}, ("CSL", "DSL")),
        ({"S01": "abroad_targeting"}, ("PIPL",)),
        ({"S01": "neither", "S10": ["ranking"], "S13": "api_only"}, ()),
        ({"S12": ["technical_supporter"]}, ("CSL", "DSL", "PIPL", "DEEPSYNTH")),
        (
            {"S13": "api_only", "S10": ["generation"]},
            ("CSL", "DSL", "PIPL", "ALGO", "DEEPSYNTH", "GENAI", "LABEL"),
        ),
    ],
)
def test_modules_come_out_in_canonical_order(spec, changes, active):
    assert scoping(spec, **changes).modules == active


@pytest.mark.parametrize(
    ("changes", "route"),
    [
        ({"S09": 0}, "none"),
        ({"S09": 1}, "exempt"),
        ({"S09": 99_999}, "exempt"),
        ({"S09": 100_000}, "scc_or_cert"),
        ({"S09": 999_999}, "scc_or_cert"),
        ({"S09": 1_000_000}, "assessment"),
        ({"S17": 1}, "scc_or_cert"),
        ({"S17": 9_999}, "scc_or_cert"),
        ({"S17": 10_000}, "assessment"),
        ({"S18": True}, "assessment"),
        ({"S02": "designated", "S09": 1}, "assessment"),
        ({"S02": "designated"}, "none"),
        ({"S19": ["cross_border_hr"]}, "exempt"),
        ({"S19": ["contract_necessity"], "S09": 200_000}, "scc_or_cert"),
    ],
)
def test_export_route_boundaries(spec, changes, route):
    assert scoping(spec, **changes).facts["export_route"] == route


@pytest.mark.parametrize(
    ("people", "band"),
    [
        (0, "none"),
        (99_999, "under_100k"),
        (100_000, "100k_to_1m"),
        (1_000_000, "1m_to_10m"),
        (10_000_000, "1m_to_10m"),
        (10_000_001, "over_10m"),
    ],
)
def test_pi_band(spec, people, band):
    assert scoping(spec, S05=people).facts["pi_band"] == band


@pytest.mark.parametrize(
    ("changes", "track"),
    [
        ({"S13": "self_developed"}, "filing"),
        ({"S13": "fine_tuned"}, "filing"),
        ({"S13": "api_only"}, "registration"),
        ({"S13": "none"}, "none"),
    ],
)
def test_genai_track(spec, changes, track):
    assert scoping(spec, **changes).facts["genai_track"] == track


def test_minors_and_large_sensitive_volumes_raise_impact_of_active_modules(spec):
    outcome = scoping(spec, S06=["minors_under_14"], S16=500_000, S10=["ranking"])
    assert outcome.facts["minors"] is True
    assert outcome.facts["sensitive_large"] is True
    assert outcome.raised_impact_modules == frozenset({"PIPL", "DSL", "ALGO"})


def test_sensitive_volume_just_below_the_threshold_raises_nothing(spec):
    outcome = scoping(spec, S06=["health"], S16=499_999)
    assert outcome.raised_impact_modules == frozenset()


def test_incident_modules_are_copied_from_the_tagged_answer(spec):
    outcome = scoping(spec, S07=["interview"], S20=["PIPL", "ALGO"], S10=["ranking"])
    assert outcome.facts["incident_modules"] == ["PIPL", "ALGO"]
    assert outcome.incident_modules == frozenset({"PIPL", "ALGO"})


def test_incident_tags_without_an_event_are_ignored(spec):
    outcome = scoping(spec, S07=["none"], S20=["PIPL"])
    assert outcome.facts["incident_modules"] == []
    assert outcome.incident_modules == frozenset()


def test_incidents_in_inactive_modules_are_dropped(spec):
    assert scoping(spec, S07=["pi_leak"], S20=["GENAI", "CSL"]).incident_modules == {"CSL"}


def test_outcome_facts_are_read_only(spec):
    outcome = scoping(spec)
    with pytest.raises(TypeError):
        outcome.facts["grade"] = "G4"  # type: ignore[index]


def test_a_derived_fact_without_a_default_raises(spec):
    broken = {"derived": [{"fact": "x", "cases": [{"when": False, "value": 1}]}]}
    with pytest.raises(RuleError):
        derive_scoping(broken, {})


def test_modules_constant_is_the_canonical_order():
    assert MODULES == (
        "CSL",
        "DSL",
        "NDS",
        "PIPL",
        "XBORDER",
        "MINORS",
        "ALGO",
        "DEEPSYNTH",
        "GENAI",
        "LABEL",
    )


# --------------------------------------------------------------------------- applicability


def test_a_question_of_an_inactive_module_does_not_apply(spec):
    assert question_applies({"code": "GENAI-01"}, scoping(spec)) is False
    assert question_applies({"code": "GENAI-01"}, scoping(spec, S13="api_only")) is True


def test_applies_when_sees_derived_facts_grade_and_modules(spec):
    question = {
        "code": "PIPL-99",
        "applies_when": {
            "all": [
                {"fact": "grade", "op": "in", "value": ["G3", "G4"]},
                {"fact": "modules", "op": "contains", "value": "ALGO"},
                {"fact": "public_opinion", "op": "eq", "value": True},
            ]
        },
    }
    assert question_applies(question, scoping(spec, S10=["ranking"], S11=["forum"])) is True
    assert question_applies(question, scoping(spec, S10=["ranking"])) is False
    assert question_applies(question, scoping(spec, S11=["forum"])) is False


def test_scoping_questions_apply_by_their_own_rule(spec):
    question = {"code": "S16", "applies_when": {"fact": "sensitive_pi", "op": "eq", "value": True}}
    assert question_applies(question, scoping(spec)) is False
    assert question_applies(question, scoping(spec, S06=["biometric"])) is True


def test_an_explicit_module_key_wins_over_the_code_prefix(spec):
    assert question_applies({"code": "X-1", "module": "LABEL"}, scoping(spec)) is False
    assert question_applies({"code": "X-1", "module": "CSL"}, scoping(spec)) is True


def test_a_list_of_questions_applies_as_each_question_does(spec):
    """questions_apply gathers the facts once for the list: the answers are question_applies'
    for every kind of question (inactive module, no rule, true and false rules, a rule on the
    facts, a scoping question)."""
    from assessments.rules import applicability_facts, evaluate, question_module, questions_apply

    questions = [
        {"code": "GENAI-01"},
        {"code": "PIPL-01"},
        {"code": "PIPL-02", "applies_when": False},
        {"code": "PIPL-03", "applies_when": True},
        {"code": "PIPL-04", "applies_when": {"fact": "grade", "op": "in", "value": ["G3"]}},
        {"code": "PIPL-05", "applies_when": {"fact": "modules", "op": "contains", "value": "ALGO"}},
        {"code": "S16", "applies_when": {"fact": "sensitive_pi", "op": "eq", "value": True}},
        {"code": "S01"},
    ]
    seen = set()
    for outcome in (
        scoping(spec),
        scoping(spec, S10=["ranking"], S11=["forum"]),
        scoping(spec, S13="api_only"),
    ):
        facts = applicability_facts(outcome)
        expected = [
            (question_module(q) == "SCOPING" or question_module(q) in outcome.modules)
            and evaluate(q.get("applies_when", True), facts)
            for q in questions
        ]
        assert questions_apply(questions, outcome) == expected
        assert [question_applies(q, outcome) for q in questions] == expected
        seen.add(tuple(expected))
    assert len(seen) == 3 and all(True in e and False in e for e in seen)  # not trivial
    assert questions_apply([], scoping(spec)) == []
