"""A small, safe rule language and the scoping derivation built on it.

Rules are plain data (parsed YAML or JSON), never code. Nothing here calls ``eval``/``exec`` or
imports Django, so the same functions run in views, in the Celery worker and in plain tests.

Grammar::

    rule := true | false
          | {all: [rule, ...]} | {any: [rule, ...]} | {not: rule}
          | {fact: NAME, op: OP, value: V}

    OP   := eq | ne | lt | lte | gt | gte
          | in          the fact's value is one of the list V
          | contains    the fact is a list that contains V
          | intersects  the fact is a list sharing at least one element with the list V
          | present     the fact has been answered (V is ignored)

Missing facts: a fact that is absent from the mapping, or whose value is ``None``, is
*unanswered*. Every comparison on an unanswered fact is false -- including ``ne`` and including
``present`` -- so ``{not: {fact: X, op: eq, value: 1}}`` is true when X is unanswered. Write
``{all: [{fact: X, op: present}, {fact: X, op: ne, value: 1}]}`` when "answered and not 1" is
meant. Comparisons between incompatible types (a number against a string, a boolean against a
number) are false rather than errors; ``validate_rule`` catches most such mistakes up front.

``all: []`` is true and ``any: []`` is false, as in logic.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from numbers import Real
from types import MappingProxyType

MODULES: tuple[str, ...] = (
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
GRADES: tuple[str, ...] = ("G1", "G2", "G3", "G4")
SCOPING = "SCOPING"

ORDER_OPS = frozenset({"lt", "lte", "gt", "gte"})
LIST_OPS = frozenset({"in", "intersects"})
OPS = frozenset({"eq", "ne", "contains", "present"}) | ORDER_OPS | LIST_OPS
CONTEXT_FACTS = frozenset({"grade", "modules"})  # added by question_applies


class RuleError(ValueError):
    """A rule or a scoping specification is malformed."""


# --------------------------------------------------------------------------- evaluation


def _missing(value: object) -> bool:
    return value is None


def _scalar_equal(left: object, right: object) -> bool:
    # bool is an int in Python; True must not equal 1 in a compliance rule.
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return left == right


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _ordered(op: str, left: object, right: object) -> bool:
    comparable = (_is_number(left) and _is_number(right)) or (
        isinstance(left, str) and isinstance(right, str)
    )
    if not comparable:
        return False
    if op == "lt":
        return left < right  # type: ignore[operator]
    if op == "lte":
        return left <= right  # type: ignore[operator]
    if op == "gt":
        return left > right  # type: ignore[operator]
    return left >= right  # type: ignore[operator]


def _as_list(value: object) -> list | None:
    if isinstance(value, list | tuple | frozenset | set):
        return list(value)
    return None


def _compare(op: str, actual: object, expected: object) -> bool:
    if op == "present":
        return not _missing(actual)
    if _missing(actual):
        return False
    if op == "eq":
        return _scalar_equal(actual, expected)
    if op == "ne":
        return not _scalar_equal(actual, expected)
    if op in ORDER_OPS:
        return _ordered(op, actual, expected)
    if op == "in":
        options = _as_list(expected) or []
        return any(_scalar_equal(actual, option) for option in options)
    items = _as_list(actual)
    if items is None:
        return False
    if op == "contains":
        return any(_scalar_equal(item, expected) for item in items)
    if op == "intersects":
        options = _as_list(expected) or []
        return any(_scalar_equal(item, option) for item in items for option in options)
    raise RuleError(f"unknown op {op!r}")


def evaluate(rule: object, facts: Mapping[str, object]) -> bool:
    """Evaluate ``rule`` over ``facts``. Raises RuleError on a malformed rule."""
    if isinstance(rule, bool):
        return rule
    if not isinstance(rule, Mapping):
        raise RuleError(f"a rule must be true, false or a mapping, not {type(rule).__name__}")
    if "all" in rule:
        return all(evaluate(part, facts) for part in _parts(rule, "all"))
    if "any" in rule:
        return any(evaluate(part, facts) for part in _parts(rule, "any"))
    if "not" in rule:
        return not evaluate(rule["not"], facts)
    if "fact" in rule:
        return _compare(rule.get("op", ""), facts.get(rule["fact"]), rule.get("value"))
    raise RuleError(f"unrecognised rule keys {sorted(rule)}")


def _parts(rule: Mapping, key: str) -> list:
    parts = rule[key]
    if not isinstance(parts, list):
        raise RuleError(f"{key!r} needs a list of rules")
    return parts


# --------------------------------------------------------------------------- validation


def validate_rule(
    rule: object, known_facts: Collection[str] | None = None, path: str = "rule"
) -> list[str]:
    """Return the problems found in ``rule`` (empty when it is well formed).

    ``known_facts``, when given, is the set of fact names the rule may use.
    """
    if isinstance(rule, bool):
        return []
    if not isinstance(rule, Mapping):
        return [f"{path}: a rule must be true, false or a mapping, not {type(rule).__name__}"]
    combinators = [key for key in ("all", "any", "not") if key in rule]
    if combinators:
        return _validate_combinator(rule, combinators, known_facts, path)
    if "fact" in rule:
        return _validate_comparison(rule, known_facts, path)
    return [f"{path}: wrong shape, expected all/any/not/fact, got keys {sorted(rule)}"]


def _validate_combinator(rule, combinators, known_facts, path) -> list[str]:
    key = combinators[0]
    if len(rule) != 1:
        return [f"{path}: wrong shape, {key!r} must be the only key, got {sorted(rule)}"]
    if key == "not":
        return validate_rule(rule["not"], known_facts, f"{path}.not")
    parts = rule[key]
    if not isinstance(parts, list):
        return [f"{path}: {key!r} needs a list of rules, got {type(parts).__name__}"]
    errors: list[str] = []
    for index, part in enumerate(parts):
        errors += validate_rule(part, known_facts, f"{path}.{key}[{index}]")
    return errors


def _validate_comparison(rule, known_facts, path) -> list[str]:
    errors: list[str] = []
    extra = set(rule) - {"fact", "op", "value"}
    if extra:
        errors.append(f"{path}: wrong shape, unexpected keys {sorted(extra)}")
    name, op = rule.get("fact"), rule.get("op")
    if not isinstance(name, str) or not name:
        errors.append(f"{path}: fact name must be a non-empty string, got {name!r}")
    elif known_facts is not None and name not in known_facts:
        errors.append(f"{path}: unknown fact {name!r}")
    if op not in OPS:
        return errors + [f"{path}: unknown op {op!r} (expected one of {sorted(OPS)})"]
    if op != "present" and "value" not in rule:
        errors.append(f"{path}: op {op!r} needs a value")
        return errors
    return errors + _validate_value(op, rule.get("value"), path)


def _validate_value(op: str, value: object, path: str) -> list[str]:
    if op in LIST_OPS and not isinstance(value, list):
        return [f"{path}: op {op!r} needs a list value, got {type(value).__name__}"]
    if op in LIST_OPS and any(isinstance(item, list | dict) for item in value):  # type: ignore[union-attr]
        return [f"{path}: op {op!r} needs a list of scalars"]
    if op in ORDER_OPS and not (_is_number(value) or isinstance(value, str)):
        return [f"{path}: op {op!r} needs a number or a string, got {type(value).__name__}"]
    if op == "contains" and isinstance(value, list | dict):
        return [f"{path}: op 'contains' needs a scalar value, got {type(value).__name__}"]
    if op in ("eq", "ne") and isinstance(value, dict):
        return [f"{path}: op {op!r} cannot compare with a mapping"]
    return []


# --------------------------------------------------------------------------- scoping


@dataclass(frozen=True)
class Reason:
    """Why a grade or a module was triggered: a stable code and a bilingual sentence."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class ScopingOutcome:
    grade: str
    grade_reasons: tuple[Reason, ...]
    modules: tuple[str, ...]
    module_reasons: Mapping[str, tuple[Reason, ...]]
    facts: Mapping[str, object]
    raised_impact_modules: frozenset = field(default_factory=frozenset)
    incident_modules: frozenset = field(default_factory=frozenset)


def derive_scoping(spec: Mapping, answers: Mapping[str, object]) -> ScopingOutcome:
    """Apply the scoping part of a questionnaire spec to the scoping answers.

    Derived facts are computed in order (a later one may use an earlier one). The grade is the
    highest triggered (就高从严), G1 when nothing triggers, and carries every triggered reason.
    A module is active when any of its entries holds. Impact raises are limited to active
    modules; likelihood raises come from the ``likelihood_raise`` entries (``modules`` and/or
    ``modules_from`` a list-valued fact) and are reported as ``incident_modules``.
    """
    facts = derive_facts(spec, answers)
    grade, grade_reasons = _grade(spec.get("grades", []), facts)
    modules, module_reasons = _modules(spec.get("modules", {}), facts)
    raised = _raised(spec.get("impact_raise", []), facts) & frozenset(modules)
    incidents = _raised(spec.get("likelihood_raise", []), facts) & frozenset(modules)
    return ScopingOutcome(
        grade=grade,
        grade_reasons=grade_reasons,
        modules=modules,
        module_reasons=MappingProxyType(module_reasons),
        facts=MappingProxyType(facts),
        raised_impact_modules=raised,
        incident_modules=incidents,
    )


def derive_facts(spec: Mapping, answers: Mapping[str, object]) -> dict[str, object]:
    """The scoping answers plus every derived fact, computed in the spec's order."""
    facts: dict[str, object] = dict(answers)
    for derived in spec.get("derived", []):
        facts[derived["fact"]] = _derived_value(derived, facts)
    return facts


def _derived_value(derived: Mapping, facts: Mapping[str, object]) -> object:
    for case in derived["cases"]:
        if evaluate(case.get("when", True), facts):
            return _resolve(case["value"], facts)
    raise RuleError(f"derived fact {derived['fact']!r} has no matching case and no default")


def _resolve(value: object, facts: Mapping[str, object]) -> object:
    if isinstance(value, Mapping):
        return facts.get(value["fact"])
    return value


def _reason(entry: Mapping, code: str) -> Reason:
    reason = entry.get("reason", {})
    return Reason(code=entry.get("code", code), zh=reason.get("zh", ""), en=reason.get("en", ""))


def _grade(entries: list, facts: Mapping[str, object]) -> tuple[str, tuple[Reason, ...]]:
    triggered = [entry for entry in entries if evaluate(entry["when"], facts)]
    if not triggered:
        return "G1", ()
    grade = max((entry["grade"] for entry in triggered), key=GRADES.index)
    ranked = sorted(triggered, key=lambda entry: -GRADES.index(entry["grade"]))
    return grade, tuple(_reason(entry, entry["grade"]) for entry in ranked)


def _modules(table: Mapping, facts: Mapping[str, object]):
    reasons: dict[str, tuple[Reason, ...]] = {}
    for module in MODULES:
        held = [entry for entry in table.get(module, []) if evaluate(entry["when"], facts)]
        if held:
            reasons[module] = tuple(_reason(entry, module) for entry in held)
    return tuple(module for module in MODULES if module in reasons), reasons


def _raised(entries: list, facts: Mapping[str, object]) -> frozenset:
    raised: set[str] = set()
    for entry in entries:
        if not evaluate(entry["when"], facts):
            continue
        raised.update(entry.get("modules", []))
        if "modules_from" in entry:
            raised.update(_as_list(facts.get(entry["modules_from"])) or [])
    return frozenset(raised) & frozenset(MODULES)


def applicability_facts(outcome: ScopingOutcome) -> dict[str, object]:
    """The facts an ``applies_when`` rule sees: scoping facts plus grade and modules."""
    return {**outcome.facts, "grade": outcome.grade, "modules": list(outcome.modules)}


def question_module(question: Mapping) -> str:
    """A question's module: its ``module`` key, else the prefix of its code (S01 → SCOPING)."""
    if question.get("module"):
        return question["module"]
    code = str(question.get("code", ""))
    return code.split("-", 1)[0] if "-" in code else SCOPING


def question_applies(question: Mapping, outcome: ScopingOutcome) -> bool:
    """True when the question's module is active and its ``applies_when`` rule holds."""
    return questions_apply([question], outcome)[0]


def questions_apply(questions: Iterable[Mapping], outcome: ScopingOutcome) -> list[bool]:
    """`question_applies` for each of `questions`, the facts gathered once (and only when a
    question of an active module has a rule: most have none)."""
    facts: dict[str, object] | None = None
    held = []
    for question in questions:
        module = question_module(question)
        rule = question.get("applies_when", True)
        if module != SCOPING and module not in outcome.modules:
            held.append(False)
        elif isinstance(rule, bool):
            held.append(rule)
        else:
            if facts is None:
                facts = applicability_facts(outcome)
            held.append(evaluate(rule, facts))
    return held


# --------------------------------------------------------------------------- spec checks


def known_facts(spec: Mapping) -> set[str]:
    """Scoping question codes plus derived fact names (what scoping rules may use)."""
    names = {derived["fact"] for derived in spec.get("derived", [])}
    for section in spec.get("sections", []):
        if section.get("module") == SCOPING:
            names.update(question["code"] for question in section.get("questions", []))
    return names


def validate_spec(spec: Mapping) -> list[str]:
    """Every problem in the scoping rules and the questions' applies_when rules."""
    facts = known_facts(spec)
    errors: list[str] = []
    for index, derived in enumerate(spec.get("derived", [])):
        errors += _validate_derived(derived, facts, f"derived[{index}]")
    for index, entry in enumerate(spec.get("grades", [])):
        if entry.get("grade") not in GRADES[1:]:
            errors.append(f"grades[{index}]: grade must be G2, G3 or G4")
        errors += validate_rule(entry.get("when"), facts, f"grades[{index}].when")
    for module, entries in spec.get("modules", {}).items():
        if module not in MODULES:
            errors.append(f"modules: unknown module {module!r}")
        for index, entry in enumerate(entries):
            errors += validate_rule(entry.get("when"), facts, f"modules.{module}[{index}].when")
    for key in ("impact_raise", "likelihood_raise"):
        errors += _validate_raises(spec.get(key, []), facts, key)
    return errors + _validate_applies(spec, facts | CONTEXT_FACTS)


def _validate_derived(derived: Mapping, facts: set[str], path: str) -> list[str]:
    cases = derived.get("cases")
    if not isinstance(cases, list) or not cases:
        return [f"{path}: needs a non-empty list of cases"]
    errors: list[str] = []
    if "when" in cases[-1]:
        errors.append(f"{path}: the last case must be a default (no 'when')")
    for index, case in enumerate(cases):
        errors += validate_rule(case.get("when", True), facts, f"{path}.cases[{index}].when")
        value = case.get("value")
        if isinstance(value, Mapping) and (set(value) != {"fact"} or value["fact"] not in facts):
            errors.append(f"{path}.cases[{index}].value: copy must be {{fact: KNOWN_NAME}}")
    return errors


def _validate_raises(entries: list, facts: set[str], path: str) -> list[str]:
    errors: list[str] = []
    for index, entry in enumerate(entries):
        errors += validate_rule(entry.get("when"), facts, f"{path}[{index}].when")
        unknown = set(entry.get("modules", [])) - set(MODULES)
        if unknown:
            errors.append(f"{path}[{index}]: unknown modules {sorted(unknown)}")
        if "modules_from" in entry and entry["modules_from"] not in facts:
            errors.append(f"{path}[{index}]: unknown fact {entry['modules_from']!r}")
    return errors


def _validate_applies(spec: Mapping, facts: set[str]) -> list[str]:
    errors: list[str] = []
    for section in spec.get("sections", []):
        for question in section.get("questions", []):
            if "applies_when" in question:
                path = f"{question.get('code')}.applies_when"
                errors += validate_rule(question["applies_when"], facts, path)
    return errors
