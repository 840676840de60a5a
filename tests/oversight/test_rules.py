"""The early-warning rules on constructed histories, including the cases that must not warn."""

import datetime as dt

from oversight import rules
from oversight.rules import Point, Thresholds

LIMITS = Thresholds(index_drop=5.0, working_days=10, share_rise=0.10, min_submissions=5)


def p(n, tier, index=None, red=()):
    return Point(100 + n, n, tier, index, frozenset(red))


def test_a_tier_rise_between_the_last_two_submissions_warns():
    found = rules.tier_rose([p(1, "low"), p(2, "medium"), p(3, "high")])
    assert found.rule == "tier_rose" and found.reasons["before"] == "medium"
    assert found.key == "tier_rose:102:103" and found.submission_id == 103


def test_no_tier_warning_when_it_stays_falls_or_only_one_submission_exists():
    assert rules.tier_rose([p(1, "high"), p(2, "high")]) is None
    assert rules.tier_rose([p(1, "critical"), p(2, "low")]) is None
    assert rules.tier_rose([p(1, "critical")]) is None
    # An old rise is not the last pair's: no warning.
    assert rules.tier_rose([p(1, "low"), p(2, "high"), p(3, "high")]) is None


def test_an_index_fall_warns_only_beyond_the_threshold():
    assert rules.index_fell([p(1, "low", 90.0), p(2, "low", 84.0)], LIMITS).reasons["drop"] == 6.0
    assert rules.index_fell([p(1, "low", 90.0), p(2, "low", 85.0)], LIMITS) is None  # exactly 5
    assert rules.index_fell([p(1, "low", 80.0), p(2, "low", 95.0)], LIMITS) is None  # a rise
    assert rules.index_fell([p(1, "low", None), p(2, "low", 10.0)], LIMITS) is None  # unknown
    assert (
        rules.index_fell([p(1, "low", 90.0), p(2, "low", 50.0)], Thresholds(index_drop=50)) is None
    )


def test_a_red_line_newly_hit_warns_and_one_kept_does_not():
    found = rules.red_line_new(
        [p(1, "high", red={"CSL-01"}), p(2, "high", red={"CSL-01", "PIPL-03"})]
    )
    assert found.reasons["questions"] == ["PIPL-03"]
    assert rules.red_line_new([p(1, "high", red={"CSL-01"}), p(2, "high", red={"CSL-01"})]) is None
    assert rules.red_line_new([p(1, "high", red={"CSL-01"}), p(2, "low")]) is None  # fixed
    assert rules.red_line_new([p(1, "high", red={"CSL-01"})]).key == "red_line_new:101"


def test_working_days_skip_weekends():
    friday = dt.date(2026, 11, 27)
    assert rules.working_days_between(friday, dt.date(2026, 11, 30)) == 1  # Monday
    assert rules.working_days_between(friday, dt.date(2026, 12, 11)) == 10
    assert rules.working_days_between(friday, friday) == 0


def test_working_days_follow_the_official_holiday_calendar():
    # National Day 2026: 1-7 October off, Saturday 10 October worked (调休). From Wednesday
    # 30 September to Thursday 15 October, Monday-Friday counting gives 11 days; the
    # calendar gives 7 (8, 9, 10, 12, 13, 14, 15 October).
    assert rules.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 15)) == 7
    # Spring Festival 2026: 15-23 February off, Saturdays 14 and 28 February worked.
    assert rules.working_days_between(dt.date(2026, 2, 13), dt.date(2026, 2, 28)) == 6


def test_no_resubmission_does_not_count_a_holiday_week():
    kwargs = dict(decision_id=8, requested_on=dt.date(2026, 9, 30), thresholds=LIMITS)
    # Eleven weekdays later, but only seven working days: no warning yet.
    assert rules.no_resubmission(resubmitted=False, today=dt.date(2026, 10, 15), **kwargs) is None
    assert rules.no_resubmission(resubmitted=False, today=dt.date(2026, 10, 20), **kwargs) is None
    late = rules.no_resubmission(resubmitted=False, today=dt.date(2026, 10, 21), **kwargs)
    assert late.reasons["working_days"] == 11


def test_no_resubmission_after_n_working_days_warns_once_per_request():
    friday = dt.date(2026, 11, 27)
    kwargs = dict(decision_id=7, requested_on=friday, thresholds=LIMITS)
    late = rules.no_resubmission(resubmitted=False, today=dt.date(2026, 12, 14), **kwargs)
    assert late.key == "no_resubmission:7" and late.reasons["working_days"] == 11
    # Ten working days is the allowance itself; a resubmission ends the wait.
    assert rules.no_resubmission(resubmitted=False, today=dt.date(2026, 12, 11), **kwargs) is None
    assert rules.no_resubmission(resubmitted=True, today=dt.date(2027, 1, 30), **kwargs) is None


def test_a_rising_share_of_high_and_critical_warns_for_the_group_and_period():
    found = rules.share_rose("110000", (6, 10), (2, 10), "2026-11", LIMITS)
    assert found.key == "share_rose:110000:2026-11" and found.reasons["after"] == 0.6


def test_no_share_warning_for_small_groups_small_rises_or_falls():
    assert rules.share_rose("110000", (4, 4), (0, 4), "p", LIMITS) is None  # too few
    assert rules.share_rose("110000", (3, 10), (2, 10), "p", LIMITS) is None  # +10 points only
    assert rules.share_rose("110000", (1, 10), (5, 10), "p", LIMITS) is None  # a fall
