"""Early-warning rules (动态风险预警): a pure core, free of Django and of the clock.

Each rule takes a constructed history and returns the warnings it raises, each with a stable
`key`: the job stores a warning once per key, so a rule that keeps holding does not warn again
on every run; a new submission (a new pair compared) or a new period gives a new key.
"""

import datetime as dt
from dataclasses import dataclass, field

from duedates import workdays

TIER_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
SEVERE = ("high", "critical")  # 高 / 重大


@dataclass(frozen=True)
class Thresholds:
    index_drop: float = 5.0  # compliance-index points between the last two submissions
    working_days: int = 10  # changes requested and no resubmission after this many
    share_rise: float = 0.10  # rise of the share of 高/重大 (0.10 = ten percentage points)
    min_submissions: int = 5  # a group smaller than this in either period is not judged


@dataclass(frozen=True)
class Point:
    """One scored submission in an assessment's history."""

    submission_id: int
    number: int
    tier: str
    index: float | None = None
    red_lines: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Raised:
    rule: str
    key: str
    reasons: dict = field(default_factory=dict)
    submission_id: int | None = None


def last_two(history: list[Point]) -> tuple[Point, Point] | None:
    ordered = sorted(history, key=lambda p: p.number)
    return (ordered[-2], ordered[-1]) if len(ordered) >= 2 else None


def tier_rose(history: list[Point]) -> Raised | None:
    """The tier of the last submission is higher than the one before it."""
    pair = last_two(history)
    if pair is None:
        return None
    before, after = pair
    if (
        TIER_RANK.get(after.tier, -1) <= TIER_RANK.get(before.tier, -1)
        or before.tier not in TIER_RANK
    ):
        return None
    return Raised(
        "tier_rose",
        f"tier_rose:{before.submission_id}:{after.submission_id}",
        {"before": before.tier, "after": after.tier, "numbers": [before.number, after.number]},
        after.submission_id,
    )


def index_fell(history: list[Point], thresholds: Thresholds) -> Raised | None:
    """The compliance index fell by more than the threshold between the last two."""
    pair = last_two(history)
    if pair is None:
        return None
    before, after = pair
    if before.index is None or after.index is None:
        return None
    drop = round(before.index - after.index, 1)
    if drop <= thresholds.index_drop:
        return None
    return Raised(
        "index_fell",
        f"index_fell:{before.submission_id}:{after.submission_id}",
        {"before": before.index, "after": after.index, "drop": drop},
        after.submission_id,
    )


def red_line_new(history: list[Point]) -> Raised | None:
    """The last submission hits a red line the one before did not (or the first hits any)."""
    ordered = sorted(history, key=lambda p: p.number)
    if not ordered:
        return None
    after = ordered[-1]
    before = ordered[-2].red_lines if len(ordered) >= 2 else frozenset()
    new = sorted(after.red_lines - before)
    if not new:
        return None
    return Raised(
        "red_line_new",
        f"red_line_new:{after.submission_id}",
        {"questions": new},
        after.submission_id,
    )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`, by the official Chinese holiday
    calendar (duedates.workdays: public holidays off, adjusted weekends 调休 worked); 0 when
    `end` is not after `start`. Raises workdays.CalendarUnknown for a year the calendar
    does not hold yet, rather than guessing."""
    if end <= start:
        return 0
    return workdays.working_days_between(start, end)


def no_resubmission(
    *,
    decision_id: int,
    requested_on: dt.date,
    resubmitted: bool,
    today: dt.date,
    thresholds: Thresholds,
    submission_id: int | None = None,
) -> Raised | None:
    """Changes were requested and nothing was resubmitted after N working days."""
    if resubmitted:
        return None
    waited = working_days_between(requested_on, today)
    if waited <= thresholds.working_days:
        return None
    return Raised(
        "no_resubmission",
        f"no_resubmission:{decision_id}",
        {"requested_on": requested_on.isoformat(), "working_days": waited},
        submission_id,
    )


def share_rose(
    group: str,
    current: tuple[int, int],
    previous: tuple[int, int],
    period: str,
    thresholds: Thresholds,
) -> Raised | None:
    """The share of 高/重大 among a group's submissions rose by more than the threshold
    against the previous period (`current`, `previous`: (severe, total))."""
    (severe_now, total_now), (severe_before, total_before) = current, previous
    if min(total_now, total_before) < thresholds.min_submissions:
        return None
    now, before = severe_now / total_now, severe_before / total_before
    if now - before <= thresholds.share_rise:
        return None
    return Raised(
        "share_rose",
        f"share_rose:{group}:{period}",
        {
            "group": group,
            "period": period,
            "before": round(before, 3),
            "after": round(now, 3),
            "counts": [severe_before, total_before, severe_now, total_now],
        },
    )


def assessment_warnings(history: list[Point], thresholds: Thresholds) -> list[Raised]:
    """Every organisation-level warning an assessment's history raises."""
    found = [tier_rose(history), index_fell(history, thresholds), red_line_new(history)]
    return [w for w in found if w is not None]
