"""The periods the rules set, as dates on the official calendar. Expected dates are counted
by hand on the 2026 calendar (Spring Festival 15–23 February with Saturdays 14 and 28
February worked; National Day 1–7 October with Sunday 20 September and Saturday 10 October
worked), the day of the event not counted."""

import datetime

import pytest

from duedates import windows
from duedates.windows import WINDOWS, Due, windows_due

D = datetime.date
BY_KEY = {w.key: w for w in WINDOWS}


def due_of(key, *, asked=None, events=None, answers=None) -> Due:
    window = BY_KEY[key]
    found = windows_due(
        asked=asked or {window.question}, events=events or {}, answers=answers or {}
    )
    (due,) = [d for d in found if d.window.key == key]
    return due


def test_algorithm_filing_within_ten_working_days_of_a_launch_before_the_spring_festival():
    # 11, 12, 13, 14 (worked Saturday), holiday 15–23, 24, 25, 26, 27, 28 (worked), 2 March
    due = due_of("algo_filing", events={"algo_launch": D(2026, 2, 10)})
    assert due.due == D(2026, 3, 2)
    assert due.window.citations == (("ALGO", 24),)


def test_cancellation_takes_twenty_working_days_and_a_change_ten():
    # From 28 September: 29, 30, holiday 1–7, 8, 9, 10 (worked Saturday) = 5; then 12–16 = 10
    assert due_of("algo_change", events={"algo_change": D(2026, 9, 28)}).due == D(2026, 10, 16)
    # 11 more working days after 16 October: 19–23, 26–30, 2 November.
    assert due_of("algo_cancel", events={"algo_end": D(2026, 9, 28)}).due == D(2026, 10, 30)


def test_deep_synthesis_filing_follows_the_algorithm_rule_it_refers_to():
    due = due_of("ds_filing", events={"ds_launch": D(2026, 9, 18)})
    # 20 (worked Sunday), 21, 22, 23, 24, Mid-Autumn 25–27, 28, 29, 30, holiday 1–7
    # October, 8, 9
    assert due.due == D(2026, 10, 9)
    assert due.window.citations == (("DEEPSYNTH", 19), ("ALGO", 24))


def test_the_authority_has_thirty_working_days_for_an_algorithm_filing():
    due = due_of("algo_filing_review", events={"algo_filed": D(2026, 9, 1)})
    assert due.window.party == windows.AUTHORITY
    assert due.window.citations == (("ALGO", 25),)
    # September: 2–4 (3), 7–11 (8), 14–18 (13), 20 worked Sunday (14), 21–24 (18), Mid-Autumn
    # 25–27, 28–30 (21); October: 8, 9, 10 worked Saturday (24), 12–16 (29), 19 (30).
    assert due.due == D(2026, 10, 19)


def test_the_data_export_assessment_takes_45_working_days_from_the_acceptance_notice():
    due = due_of("export_assessment", events={"export_accepted": D(2026, 8, 3)})
    assert due.window.citations == (("DATAEXPORT", 12),)
    # August 4–31: 20; September 1–24 with the worked Sunday 20th: 39; 28–30: 42; October 8,
    # 9 and the worked Saturday 10: 45.
    assert due.due == D(2026, 10, 10)


def test_a_renewal_is_due_sixty_working_days_before_the_result_expires():
    due = due_of("export_renewal", events={"export_expiry": D(2026, 12, 31)})
    assert due.window.before
    # Back from 31 December: December 30–1 (22), November (43), October 30–12 (58), the
    # worked Saturday 10 (59), Friday 9 (60).
    assert due.due == D(2026, 10, 9)


def test_yearly_duties_run_from_the_date_answered():
    due = due_of("important_data_report", answers={"NDS-05": "2025-10-01"})
    assert due.window.citations == (("NDSMR", 33),)
    assert due.due == D(2026, 10, 8)  # 1 October 2026 is in the holiday: next working day
    audit = due_of("pi_audit", answers={"PIPL-17": "2024-12-15"})
    assert audit.due == D(2026, 12, 15)


def test_a_window_needs_its_question_asked_and_its_anchor_known():
    assert windows_due(asked=set(), events={"algo_launch": D(2026, 2, 10)}, answers={}) == []
    assert windows_due(asked={"ALGO-01"}, events={}, answers={}) == []
    assert windows_due(asked={"NDS-05"}, events={}, answers={"NDS-05": "not a date"}) == []
    assert windows_due(asked={"NDS-05"}, events={}, answers={"NDS-05": 3}) == []


def test_a_year_without_an_official_calendar_is_not_guessed():
    late = due_of("algo_filing", events={"algo_launch": D(2026, 12, 28)})
    assert late.due is None and late.unknown_year == 2027
    assert late.state(D(2027, 2, 1)) is None
    yearly = due_of("important_data_report", answers={"NDS-05": "2026-03-02"})
    assert yearly.due == D(2027, 3, 2) and yearly.plain


def test_the_events_offered_follow_the_questions_asked():
    keys = [e.key for e in windows.events_for({"ALGO-01", "ALGO-03"})]
    assert keys == ["algo_launch", "algo_change", "algo_end", "algo_filed"]
    assert windows.events_for({"CSL-15"}) == []


@pytest.mark.parametrize("window", WINDOWS, ids=lambda w: w.key)
def test_every_window_names_its_text_and_a_known_anchor(window):
    assert window.citations and all(isinstance(n, int) for _, n in window.citations)
    assert window.answer_code or window.anchor in windows.EVENTS
    assert window.party in (windows.ORGANISATION, windows.AUTHORITY)


def test_a_duty_done_is_done_or_done_late_and_an_earlier_rounds_does_not_count():
    events = {"algo_launch": D(2026, 2, 10), "done:algo_filing": D(2026, 3, 2)}
    assert due_of("algo_filing", events=events).state(D(2026, 6, 1)) == windows.DONE
    events["done:algo_filing"] = D(2026, 3, 3)
    assert due_of("algo_filing", events=events).state(D(2026, 6, 1)) == windows.DONE_LATE
    events["done:algo_filing"] = D(2026, 1, 5)  # before this launch: a previous service's
    assert due_of("algo_filing", events=events).state(D(2026, 6, 1)) == "overdue"
    assert windows.is_enterable("done:algo_filing")
    assert not windows.is_enterable("done:algo_filing_review")  # the authority's, not theirs
    assert not windows.is_enterable("done:nothing") and not windows.is_enterable("nothing")
