"""Risk-tier scoring (methodology §11): frozen dataclasses in, a `Result` out.

Pure: no Django import, no clock, no I/O. Every parameter of the method lives in a `Ruleset`
so that re-scoring a submission with its own ruleset reproduces the stored result exactly.
Arithmetic is done in integers (a gap in thirds, `3 × g = w × (3 − level)`, is an integer for
integer weights), so results do not depend on float summation order.

Codes are ASCII; display labels (低/中/高/重大 …) belong to the presentation layer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

TIERS = ("low", "medium", "high", "critical")
IMPACTS = ("low", "medium", "high", "critical")
LIKELIHOODS = ("low", "medium", "high", "very_high")
GRADES = ("G1", "G2", "G3", "G4")
MODULES = (
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
ANSWER_TYPES = ("level", "yesno", "number", "date", "choice", "multi")
LEVELS = (0, 1, 2, 3)
MAX_LEVEL = LEVELS[-1]

UNANSWERED = "unanswered"
NA_NOT_ALLOWED = "n/a (not allowed)"
FLAG_NO_SCORED_QUESTIONS = "no_scored_questions"
FLAG_INCIDENT = "incident"
FLAG_RAISED_IMPACT = "raised_impact"

_TIER_RANK = {tier: rank for rank, tier in enumerate(TIERS)}


# --------------------------------------------------------------------------- helpers


def _round_half_up(numerator: int, denominator: int, decimals: int) -> float:
    """numerator / denominator (both ≥ 0, denominator > 0) rounded half-up, exactly."""
    scale = 10**decimals
    return ((2 * numerator * scale + denominator) // (2 * denominator)) / scale


def _step_up(order: tuple[str, ...], value: str, steps: int) -> str:
    return order[min(order.index(value) + steps, len(order) - 1)]


def _is_level(level: object) -> bool:
    return isinstance(level, int) and not isinstance(level, bool) and level in LEVELS


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


# --------------------------------------------------------------------------- ruleset


@dataclass(frozen=True)
class Treatment:
    """What to do about a driver in a module of a given tier (GB/T 39335 treatment options)."""

    tier: str
    code: str
    deadline_days: int | None
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class Ruleset:
    """Every parameter of the method, as data. Build variants with `dataclasses.replace`.

    likelihood_bands: (minimum compliance, likelihood) from the best band down; a compliance
    below every band gets `likelihood_below_bands`. Minimums may be given as float, str or
    Fraction; they are stored as exact fractions (0.9 means exactly 9/10).
    matrix: (impact, tiers for each likelihood in LIKELIHOODS order), one row per impact.
    grade_evidence_min_weight: evidence is required for questions of at least this weight;
    None means the grade never requires evidence.
    red_line_floors: (level, tier): a red-line question at that level lifts its module to at
    least that tier.
    """

    version: str
    likelihood_bands: tuple[tuple[Fraction, str], ...]
    likelihood_below_bands: str
    matrix: tuple[tuple[str, tuple[str, ...]], ...]
    grade_impact: tuple[tuple[str, str], ...]
    grade_evidence_min_weight: tuple[tuple[str, int | None], ...]
    evidence_cap_level: int
    red_line_floors: tuple[tuple[int, str], ...]
    incident_likelihood_steps: int
    raised_impact_steps: int
    unscored_likelihood: str
    top_drivers: int
    treatments: tuple[Treatment, ...]
    compliance_decimals: int
    gap_decimals: int
    index_decimals: int
    _tier_of: dict[tuple[str, str], str] = field(init=False, repr=False, compare=False)
    _floors: dict[int, str] = field(init=False, repr=False, compare=False)
    _impact_of: dict[str, str] = field(init=False, repr=False, compare=False)
    _evidence_min: dict[str, int | None] = field(init=False, repr=False, compare=False)
    _treatment_of: dict[str, Treatment] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bands = tuple((Fraction(str(minimum)), name) for minimum, name in self.likelihood_bands)
        object.__setattr__(self, "likelihood_bands", bands)
        self._validate()
        tier_of = {
            (impact, likelihood): tier
            for impact, row in self.matrix
            for likelihood, tier in zip(LIKELIHOODS, row, strict=True)
        }
        object.__setattr__(self, "_tier_of", tier_of)
        object.__setattr__(self, "_floors", dict(self.red_line_floors))
        object.__setattr__(self, "_impact_of", dict(self.grade_impact))
        object.__setattr__(self, "_evidence_min", dict(self.grade_evidence_min_weight))
        object.__setattr__(self, "_treatment_of", {t.tier: t for t in self.treatments})

    def _validate(self) -> None:
        _require(
            [name for _, name in self.likelihood_bands] + [self.likelihood_below_bands]
            == list(LIKELIHOODS),
            "likelihood bands must name every likelihood once, best first",
        )
        _require(sorted(i for i, _ in self.matrix) == sorted(IMPACTS), "matrix needs all impacts")
        _require(
            all(len(row) == len(LIKELIHOODS) and set(row) <= set(TIERS) for _, row in self.matrix),
            "each matrix row needs one known tier per likelihood",
        )
        _require(dict(self.grade_impact).keys() == set(GRADES), "grade_impact needs all grades")
        _require(
            dict(self.grade_evidence_min_weight).keys() == set(GRADES),
            "grade_evidence_min_weight needs all grades",
        )
        _require(set(dict(self.grade_impact).values()) <= set(IMPACTS), "unknown impact")
        _require(
            all(lv in LEVELS and t in TIERS for lv, t in self.red_line_floors),
            "red-line floors map a level to a tier",
        )
        _require(sorted(t.tier for t in self.treatments) == sorted(TIERS), "one treatment a tier")
        _require(self.unscored_likelihood in LIKELIHOODS, "unknown unscored_likelihood")
        _require(self.evidence_cap_level in LEVELS, "evidence_cap_level must be a level")
        _require(self.top_drivers >= 0, "top_drivers must not be negative")

    def tier_for(self, impact: str, likelihood: str) -> str:
        """The matrix cell for an impact and a likelihood."""
        return self._tier_of[(impact, likelihood)]

    def impact_for(self, grade: str, raised: bool) -> str:
        """The starting impact of the grade, raised (capped at the top) when asked."""
        impact = self._impact_of[grade]
        return _step_up(IMPACTS, impact, self.raised_impact_steps if raised else 0)

    def evidence_required(self, grade: str, weight: int) -> bool:
        """Whether a question of this weight needs evidence for full marks at this grade."""
        minimum = self._evidence_min[grade]
        return minimum is not None and weight >= minimum

    def likelihood_for(self, weight_total: int, gap_thirds: int) -> str:
        """Band of the compliance C = 1 − gap_thirds / (3 × weight_total), compared exactly."""
        scaled_total = MAX_LEVEL * weight_total
        achieved = scaled_total - gap_thirds
        for minimum, likelihood in self.likelihood_bands:
            if achieved * minimum.denominator >= minimum.numerator * scaled_total:
                return likelihood
        return self.likelihood_below_bands

    def floor_for(self, level: int) -> str | None:
        """The tier floor a red-line question at this level imposes, if any."""
        return self._floors.get(level)

    def treatment_for(self, tier: str) -> Treatment:
        return self._treatment_of[tier]


DEFAULT_RULESET = Ruleset(
    version="2026.1",
    likelihood_bands=(
        (Fraction("0.90"), "low"),
        (Fraction("0.75"), "medium"),
        (Fraction("0.50"), "high"),
    ),
    likelihood_below_bands="very_high",
    matrix=(  # GB/T 39335 §4.6 with 严重 renamed 重大 (methodology §11.6)
        ("critical", ("medium", "high", "critical", "critical")),
        ("high", ("medium", "medium", "high", "critical")),
        ("medium", ("low", "medium", "medium", "high")),
        ("low", ("low", "low", "medium", "medium")),
    ),
    grade_impact=(("G1", "low"), ("G2", "medium"), ("G3", "high"), ("G4", "critical")),
    grade_evidence_min_weight=(("G1", None), ("G2", 5), ("G3", 3), ("G4", 0)),
    evidence_cap_level=2,
    red_line_floors=((0, "critical"), (1, "high")),
    incident_likelihood_steps=1,
    raised_impact_steps=1,
    unscored_likelihood="low",
    top_drivers=5,
    treatments=(
        Treatment("critical", "immediate", 7, "立即处置", "immediate"),
        Treatment("high", "set_period", 30, "限期处置", "within a set period"),
        Treatment("medium", "planned", 90, "纳入计划", "planned"),
        Treatment("low", "accept_monitor", None, "接受/持续监测", "accept and monitor"),
    ),
    compliance_decimals=4,
    gap_decimals=4,
    index_decimals=1,
)

RULESETS: Mapping[str, Ruleset] = {DEFAULT_RULESET.version: DEFAULT_RULESET}


def ruleset_for(version: str) -> Ruleset:
    """The ruleset a stored result was scored with, to re-score it exactly."""
    try:
        return RULESETS[version]
    except KeyError:
        raise ValueError(f"unknown ruleset version {version!r}") from None


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Citation:
    regulation: str
    article: int
    phrase: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"regulation": self.regulation, "article": self.article, "phrase": self.phrase}


@dataclass(frozen=True)
class Threshold:
    """One rung of a computed answer: the first matching threshold gives the level.

    Number questions match when `min` is None or value ≥ min; date questions match when
    `max_age_days` is None or the date's age in days (against `Scope.as_of`) ≤ max_age_days.
    """

    level: int
    min: float | Decimal | None = None
    max_age_days: int | None = None

    def __post_init__(self) -> None:
        _require(_is_level(self.level), f"threshold level {self.level!r} is not 0–3")


@dataclass(frozen=True)
class Question:
    code: str
    module: str
    answer_type: str
    weight: int
    red_line: bool = False
    na_allowed: bool = True
    also_modules: tuple[str, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    choice_levels: tuple[tuple[str, int], ...] = ()
    citations: tuple[Citation, ...] = ()
    text_zh: str = ""
    text_en: str = ""
    remediation_zh: str = ""
    remediation_en: str = ""
    penalty_zh: str = ""
    penalty_en: str = ""
    # Derived, not arguments: the home module then each extra module once; the choice levels.
    modules: tuple[str, ...] = field(init=False, repr=False, compare=False)
    level_of_choice: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("also_modules", "thresholds", "choice_levels", "citations"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        extra = [m for m in dict.fromkeys(self.also_modules) if m != self.module]
        object.__setattr__(self, "modules", (self.module, *extra))
        object.__setattr__(self, "level_of_choice", dict(self.choice_levels))
        _require(self.answer_type in ANSWER_TYPES, f"{self.code}: unknown answer type")
        _require(set(self.modules) <= set(MODULES), f"{self.code}: unknown module")
        _require(
            isinstance(self.weight, int) and not isinstance(self.weight, bool) and self.weight >= 0,
            f"{self.code}: weight must be a non-negative integer",
        )
        _require(
            all(_is_level(level) for _, level in self.choice_levels),
            f"{self.code}: choice levels must be 0–3",
        )
        if self.answer_type in ("number", "date"):
            _require(bool(self.thresholds), f"{self.code}: {self.answer_type} needs thresholds")
        if self.answer_type in ("choice", "multi"):
            _require(bool(self.choice_levels), f"{self.code}: {self.answer_type} needs levels")


@dataclass(frozen=True)
class Answer:
    """`level` for "level" questions; `value` for the computed types. N/A when na_reason."""

    level: int | None = None
    value: object = None
    na_reason: str = ""
    evidence: bool = False

    @property
    def is_na(self) -> bool:
        return bool(self.na_reason.strip())


@dataclass(frozen=True)
class Scope:
    grade: str
    as_of: dt.date
    raised_impact_modules: frozenset[str] = frozenset()
    incident_modules: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "raised_impact_modules", frozenset(self.raised_impact_modules))
        object.__setattr__(self, "incident_modules", frozenset(self.incident_modules))
        _require(self.grade in GRADES, f"unknown grade {self.grade!r}")
        unknown = (self.raised_impact_modules | self.incident_modules) - set(MODULES)
        _require(not unknown, f"unknown modules in scope: {sorted(unknown)}")


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Driver:
    question: Question
    answer: str
    level: int
    gap: float
    evidence_capped: bool
    treatment: Treatment

    def to_dict(self) -> dict[str, Any]:
        q = self.question
        return {
            "question": q.code,
            "module": q.module,
            "answer": self.answer,
            "level": self.level,
            "gap": self.gap,
            "red_line": q.red_line,
            "evidence_capped": self.evidence_capped,
            "citations": [c.to_dict() for c in q.citations],
            "text_zh": q.text_zh,
            "text_en": q.text_en,
            "penalty_zh": q.penalty_zh,
            "penalty_en": q.penalty_en,
            "remediation_zh": q.remediation_zh,
            "remediation_en": q.remediation_en,
            "treatment": self.treatment.code,
            "treatment_zh": self.treatment.label_zh,
            "treatment_en": self.treatment.label_en,
            "deadline_days": self.treatment.deadline_days,
        }


@dataclass(frozen=True)
class RedLineHit:
    question: str
    module: str
    modules: tuple[str, ...]
    level: int
    floor: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "module": self.module,
            "modules": list(self.modules),
            "level": self.level,
            "floor": self.floor,
        }


@dataclass(frozen=True)
class Override:
    question: str
    level: int
    floor: str
    matrix_tier: str

    @property
    def rule(self) -> str:
        return f"red_line_level_{self.level}_floor_{self.floor}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "level": self.level,
            "rule": self.rule,
            "floor": self.floor,
            "matrix_tier": self.matrix_tier,
        }


@dataclass(frozen=True)
class NotApplicable:
    question: str
    red_line: bool
    reason: str
    accepted: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "red_line": self.red_line,
            "reason": self.reason,
            "accepted": self.accepted,
        }


@dataclass(frozen=True)
class ModuleResult:
    module: str
    tier: str
    matrix_tier: str
    likelihood: str
    impact: str
    compliance: float | None
    red_lines: tuple[RedLineHit, ...]
    overrides: tuple[Override, ...]
    drivers: tuple[Driver, ...]
    na: tuple[NotApplicable, ...]
    flags: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "likelihood": self.likelihood,
            "impact": self.impact,
            "compliance": self.compliance,
            "red_lines": [hit.to_dict() for hit in self.red_lines],
            "drivers": [driver.to_dict() for driver in self.drivers],
            "matrix_tier": self.matrix_tier,
            "overrides": [override.to_dict() for override in self.overrides],
            "na": [entry.to_dict() for entry in self.na],
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class QuestionOutcome:
    """How one question scored: its level (None for an accepted N/A) and its gap.

    Not part of `Result.to_dict()`; callers use it for per-question statistics.
    """

    code: str
    module: str
    level: int | None
    gap: float
    red_line: bool


@dataclass(frozen=True)
class Result:
    overall_tier: str
    index: float | None
    grade: str
    ruleset_version: str
    modules: tuple[ModuleResult, ...]
    red_lines: tuple[RedLineHit, ...]
    questions: tuple[QuestionOutcome, ...] = field(default=(), repr=False)

    def module(self, code: str) -> ModuleResult:
        return next(m for m in self.modules if m.module == code)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; the same input always gives an identical dict."""
        return {
            "overall_tier": self.overall_tier,
            "index": self.index,
            "modules": {m.module: m.to_dict() for m in self.modules},
            "grade": self.grade,
            "ruleset_version": self.ruleset_version,
            "red_lines": [hit.to_dict() for hit in self.red_lines],
        }


# --------------------------------------------------------------------------- scoring


def score(
    questions: Sequence[Question],
    answers: Mapping[str, Answer],
    scope: Scope,
    ruleset: Ruleset = DEFAULT_RULESET,
) -> Result:
    """Score the applicable questions of one submission (methodology §11).

    Rules, in the order they apply:

    - Applicability: the caller passes only applicable questions; answers to other codes are
      ignored. Question codes must be unique.
    - Level 0–3 per question: "level" takes `Answer.level`; "yesno" maps no→0, yes→3;
      "number" and "date" take the level of the first matching `Threshold` (no match → 0;
      a date in the future has age 0); "choice" takes the listed level of the chosen option
      (an unlisted option is an error); "multi" takes the lowest level among the selected
      options that have a level, and 3 when none of them has one (empty selection included).
    - Unanswered: no answer, or an answer without a level/value, counts as level 0 and is
      described as "unanswered".
    - N/A: an answer with a non-blank `na_reason` leaves the question out of every
      denominator, of the index and of red lines, and is listed in the module's `na`. On a
      question with `na_allowed=False` the N/A is rejected: level 0, like unanswered.
    - Evidence: when the grade requires evidence for the question's weight (ruleset:
      G1 never, G2 weight 5, G3 weight ≥ 3, G4 all) and none is attached, the level is capped
      at 2, for every answer type.
    - Weighting: gap g = w × (3 − level) / 3; module compliance C = 1 − Σg / Σw over its
      non-N/A questions. C gives the likelihood (≥ 0.90 low, ≥ 0.75 medium, ≥ 0.50 high,
      else very_high), one step up (capped) for an incident module. A module with Σw = 0
      (all N/A or weight 0) has compliance None, likelihood "low" (+ incident step) and the
      flag "no_scored_questions".
    - Impact: the grade's starting impact, one step up (capped) for a raised-impact module.
      Module tier = matrix[impact][likelihood].
    - Red lines: a red-line question at level 0 forces the module to critical; at level 1
      it sets a floor of high (never lowers). Each lift is recorded in `overrides`.
    - Multiple modules: a question drives its module and each of `also_modules` (compliance,
      tier, red lines, drivers), but counts once in the index
      = 100 × Σ(w − g) / Σw over distinct non-N/A questions (None when Σw = 0).
    - Drivers per module: red-line hits first (by level, then code), then the `top_drivers`
      largest gaps > 0 among the rest (ties: weight desc, then code). Each driver's treatment
      is the module tier's (so a red line at level 0 is always "immediate").
    - Overall tier = the worst module tier ("low" when no module has a question).
    - Rounding is half-up from exact fractions: compliance and gaps to 4 decimals, index to 1.
    - `Result.questions` lists every question's level (None for an accepted N/A) and gap, in
      input order, for statistics; it is not part of `to_dict()`.
    """
    _check_unique_codes(questions)
    scored = [_score_question(q, answers.get(q.code), scope, ruleset) for q in questions]
    members = _members_by_module(scored)
    modules = tuple(_score_module(code, members[code], scope, ruleset) for code in members)
    return Result(
        overall_tier=max((m.tier for m in modules), key=_TIER_RANK.__getitem__, default=TIERS[0]),
        index=_index(scored, ruleset),
        grade=scope.grade,
        ruleset_version=ruleset.version,
        modules=modules,
        red_lines=_unique_red_lines(modules),
        questions=tuple(_outcome(s, ruleset) for s in scored),
    )


def _outcome(s: _Scored, rs: Ruleset) -> QuestionOutcome:
    q = s.question
    gap = _round_half_up(s.gap_thirds, MAX_LEVEL, rs.gap_decimals)
    return QuestionOutcome(q.code, q.module, s.level if s.counted else None, gap, q.red_line)


class _Scored(NamedTuple):
    question: Question
    level: int
    gap_thirds: int
    answer: str
    na: NotApplicable | None
    evidence_capped: bool
    counted: bool  # False only for an accepted N/A


def _check_unique_codes(questions: Sequence[Question]) -> None:
    counts = Counter(q.code for q in questions)
    duplicates = sorted(code for code, count in counts.items() if count > 1)
    _require(not duplicates, f"duplicate question codes: {duplicates}")


def _score_question(q: Question, a: Answer | None, scope: Scope, rs: Ruleset) -> _Scored:
    na = None
    if a is not None and a.is_na:
        na = NotApplicable(q.code, q.red_line, a.na_reason.strip(), accepted=q.na_allowed)
        if q.na_allowed:
            return _Scored(q, 0, 0, "n/a", na, False, False)
        level, description = 0, NA_NOT_ALLOWED
    else:
        level, description = _raw_level(q, a, scope.as_of)
    capped = (
        level > rs.evidence_cap_level
        and not (a is not None and a.evidence)
        and rs.evidence_required(scope.grade, q.weight)
    )
    if capped:
        level = rs.evidence_cap_level
    return _Scored(q, level, q.weight * (MAX_LEVEL - level), description, na, capped, True)


def _raw_level(q: Question, a: Answer | None, as_of: dt.date) -> tuple[int, str]:
    """The level before the evidence cap, with a plain description of the answer."""
    if a is None:
        return 0, UNANSWERED
    if q.answer_type == "level":
        if a.level is None:
            return 0, UNANSWERED
        _require(_is_level(a.level), f"{q.code}: level {a.level!r} is not 0–3")
        return a.level, f"level {a.level}"
    if a.value is None:
        return 0, UNANSWERED
    return _CONVERTERS[q.answer_type](q, a.value, as_of)


def _yesno_level(q: Question, value: object, as_of: dt.date) -> tuple[int, str]:
    _require(isinstance(value, bool), f"{q.code}: yes/no answer must be a bool")
    return (MAX_LEVEL, "yes") if value else (0, "no")


def _number_level(q: Question, value: object, as_of: dt.date) -> tuple[int, str]:
    _require(
        isinstance(value, int | float | Decimal | Fraction) and not isinstance(value, bool),
        f"{q.code}: number answer must be a number",
    )
    _require(value == value, f"{q.code}: number answer is NaN")  # only NaN differs from itself
    for threshold in q.thresholds:
        if threshold.min is None or value >= threshold.min:
            return threshold.level, str(value)
    return 0, str(value)


def _date_level(q: Question, value: object, as_of: dt.date) -> tuple[int, str]:
    day = _as_date(q, value)
    age = max(0, (as_of - day).days)
    for threshold in q.thresholds:
        if threshold.max_age_days is None or age <= threshold.max_age_days:
            return threshold.level, day.isoformat()
    return 0, day.isoformat()


def _as_date(q: Question, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{q.code}: {value!r} is not an ISO date") from None
    raise ValueError(f"{q.code}: date answer must be a date or an ISO string")


def _choice_level(q: Question, value: object, as_of: dt.date) -> tuple[int, str]:
    levels = q.level_of_choice
    _require(isinstance(value, str) and value in levels, f"{q.code}: unknown choice {value!r}")
    return levels[value], value


def _multi_level(q: Question, value: object, as_of: dt.date) -> tuple[int, str]:
    _require(
        isinstance(value, Iterable) and not isinstance(value, str | bytes),
        f"{q.code}: multi answer must be a collection of choices",
    )
    selected = sorted(set(value))
    _require(all(isinstance(c, str) for c in selected), f"{q.code}: choices must be strings")
    levels = q.level_of_choice
    level = min((levels[c] for c in selected if c in levels), default=MAX_LEVEL)
    return level, ", ".join(selected) if selected else "none selected"


_CONVERTERS = {
    "yesno": _yesno_level,
    "number": _number_level,
    "date": _date_level,
    "choice": _choice_level,
    "multi": _multi_level,
}


def _members_by_module(scored: list[_Scored]) -> dict[str, list[_Scored]]:
    """The scored questions of each module, modules in MODULES order."""
    members: dict[str, list[_Scored]] = {}
    for item in scored:
        for module in item.question.modules:
            members.setdefault(module, []).append(item)
    return {module: members[module] for module in MODULES if module in members}


def _score_module(module: str, members: list[_Scored], scope: Scope, rs: Ruleset) -> ModuleResult:
    counted = [s for s in members if s.counted]
    weight_total = sum(s.question.weight for s in counted)
    gap_thirds = sum(s.gap_thirds for s in counted)
    likelihood = _module_likelihood(weight_total, gap_thirds, module in scope.incident_modules, rs)
    impact = rs.impact_for(scope.grade, module in scope.raised_impact_modules)
    matrix_tier = rs.tier_for(impact, likelihood)
    hits = _red_line_hits(counted, rs)
    tier, overrides = _apply_red_lines(matrix_tier, hits)
    return ModuleResult(
        module=module,
        tier=tier,
        matrix_tier=matrix_tier,
        likelihood=likelihood,
        impact=impact,
        compliance=_compliance(weight_total, gap_thirds, rs),
        red_lines=tuple(hit for hit, _ in hits),
        overrides=overrides,
        drivers=_drivers(counted, [s for _, s in hits], rs.treatment_for(tier), rs),
        na=_na_entries(members),
        flags=_flags(module, weight_total, scope),
    )


def _module_likelihood(weight_total: int, gap_thirds: int, incident: bool, rs: Ruleset) -> str:
    if weight_total == 0:
        base = rs.unscored_likelihood
    else:
        base = rs.likelihood_for(weight_total, gap_thirds)
    return _step_up(LIKELIHOODS, base, rs.incident_likelihood_steps if incident else 0)


def _compliance(weight_total: int, gap_thirds: int, rs: Ruleset) -> float | None:
    if weight_total == 0:
        return None
    scaled_total = MAX_LEVEL * weight_total
    return _round_half_up(scaled_total - gap_thirds, scaled_total, rs.compliance_decimals)


def _red_line_hits(counted: list[_Scored], rs: Ruleset) -> list[tuple[RedLineHit, _Scored]]:
    """Red-line questions at a level with a floor, by level then code."""
    hits = []
    for s in counted:
        floor = rs.floor_for(s.level) if s.question.red_line else None
        if floor is not None:
            q = s.question
            hits.append((RedLineHit(q.code, q.module, q.modules, s.level, floor), s))
    hits.sort(key=lambda pair: (pair[0].level, pair[0].question))
    return hits


def _apply_red_lines(
    matrix_tier: str, hits: list[tuple[RedLineHit, _Scored]]
) -> tuple[str, tuple[Override, ...]]:
    """Lift the matrix tier to every floor; record each hit whose floor beats the matrix."""
    tier = matrix_tier
    overrides = []
    for hit, _ in hits:
        if _TIER_RANK[hit.floor] > _TIER_RANK[matrix_tier]:
            overrides.append(Override(hit.question, hit.level, hit.floor, matrix_tier))
        if _TIER_RANK[hit.floor] > _TIER_RANK[tier]:
            tier = hit.floor
    return tier, tuple(overrides)


def _drivers(
    counted: list[_Scored], red_lines: list[_Scored], treatment: Treatment, rs: Ruleset
) -> tuple[Driver, ...]:
    """Red-line hits first, then the largest remaining gaps (weight desc, code on ties)."""
    listed = {s.question.code for s in red_lines}
    rest = [s for s in counted if s.gap_thirds > 0 and s.question.code not in listed]
    rest.sort(key=lambda s: (-s.gap_thirds, -s.question.weight, s.question.code))
    chosen = red_lines + rest[: rs.top_drivers]
    return tuple(
        Driver(
            question=s.question,
            answer=s.answer,
            level=s.level,
            gap=_round_half_up(s.gap_thirds, MAX_LEVEL, rs.gap_decimals),
            evidence_capped=s.evidence_capped,
            treatment=treatment,
        )
        for s in chosen
    )


def _na_entries(members: list[_Scored]) -> tuple[NotApplicable, ...]:
    """N/A answers for the reviewer, red lines first."""
    entries = [s.na for s in members if s.na is not None]
    return tuple(sorted(entries, key=lambda e: (not e.red_line, e.question)))


def _flags(module: str, weight_total: int, scope: Scope) -> tuple[str, ...]:
    flags = []
    if weight_total == 0:
        flags.append(FLAG_NO_SCORED_QUESTIONS)
    if module in scope.incident_modules:
        flags.append(FLAG_INCIDENT)
    if module in scope.raised_impact_modules:
        flags.append(FLAG_RAISED_IMPACT)
    return tuple(flags)


def _index(scored: list[_Scored], rs: Ruleset) -> float | None:
    """100 × Σ(w − g) / Σw over distinct non-N/A questions; each question counts once."""
    counted = [s for s in scored if s.counted]
    scaled_total = MAX_LEVEL * sum(s.question.weight for s in counted)
    if scaled_total == 0:
        return None
    achieved = scaled_total - sum(s.gap_thirds for s in counted)
    return _round_half_up(100 * achieved, scaled_total, rs.index_decimals)


def _unique_red_lines(modules: tuple[ModuleResult, ...]) -> tuple[RedLineHit, ...]:
    unique = {hit.question: hit for m in modules for hit in m.red_lines}
    return tuple(sorted(unique.values(), key=lambda hit: (hit.level, hit.question)))
