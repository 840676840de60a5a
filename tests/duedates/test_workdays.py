"""Working days on the official Chinese calendar (chinese_calendar), checked by hand against
the State Council's 2026 holiday notice: Spring Festival 15–23 February with Saturdays 14 and
28 February worked; Mid-Autumn 25–27 September; National Day 1–7 October with Sunday 20
September and Saturday 10 October worked."""

import datetime

import pytest

from duedates import workdays
from duedates.workdays import Period

D = datetime.date


def test_the_adjusted_weekends_are_working_days_and_the_holidays_are_not():
    assert workdays.is_working_day(D(2026, 2, 14))  # Saturday, worked before Spring Festival
    assert workdays.is_working_day(D(2026, 9, 20))  # Sunday, worked before National Day
    assert workdays.is_working_day(D(2026, 10, 10))  # Saturday, worked after it
    assert not workdays.is_working_day(D(2026, 2, 16))  # Monday in the Spring Festival
    assert not workdays.is_working_day(D(2026, 10, 5))  # Monday in the National Day week
    assert workdays.holiday_name(D(2026, 2, 17)) == "Spring Festival"


def test_ten_working_days_across_the_spring_festival():
    # 11, 12, 13, 14 (adjusted Saturday), holiday 15–23, 24, 25, 26, 27, 28 (adjusted), 2 March
    assert workdays.add_working_days(D(2026, 2, 10), 10) == D(2026, 3, 2)
    assert workdays.add_working_days(D(2026, 3, 2), -10) == D(2026, 2, 10)


def test_five_working_days_across_national_day_end_on_the_adjusted_saturday():
    # 29, 30 September, holiday 1–7 October, 8, 9, 10 (adjusted Saturday)
    assert workdays.add_working_days(D(2026, 9, 28), 5) == D(2026, 10, 10)
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2


def test_the_next_working_day_after_a_friday_can_be_a_sunday():
    assert workdays.add_working_days(D(2026, 9, 18), 1) == D(2026, 9, 20)


def test_a_calendar_period_ending_in_a_holiday_ends_on_the_next_working_day():
    assert workdays.add_calendar_days(D(2026, 9, 24), 7) == D(2026, 10, 8)
    assert workdays.add_calendar_days(D(2026, 3, 2), 7) == D(2026, 3, 9)


def test_periods_written_in_data():
    assert Period.parse({"working_days": 10}).due(D(2026, 2, 10)) == D(2026, 3, 2)
    assert Period.parse({"days": 30}).due(D(2026, 1, 1)) == D(2026, 2, 2)  # 31 Jan: Saturday
    for bad in ({"weeks": 2}, {"days": -1}, {"days": "10"}, 10, {}):
        with pytest.raises(ValueError, match="a period is"):
            Period.parse(bad)


def test_a_year_without_an_official_calendar_is_an_error_not_a_guess():
    with pytest.raises(workdays.CalendarUnknown, match="no official working-day calendar"):
        workdays.add_working_days(D(2026, 12, 30), 10)


def test_states_and_reminders():
    due = D(2026, 10, 9)
    assert workdays.state(due, D(2026, 10, 8)) == workdays.UPCOMING
    assert workdays.state(due, due) == workdays.DUE_TODAY
    assert workdays.state(due, D(2026, 10, 10)) == workdays.OVERDUE
    # Three working days before 9 October: 8 October, 30 and 29 September (the holiday
    # week not counted).
    assert workdays.reminder_due(due, D(2026, 9, 28)) is None
    assert workdays.reminder_due(due, D(2026, 9, 29)) == "before"
    assert workdays.reminder_due(due, D(2026, 10, 3)) == "before"
    assert workdays.reminder_due(due, due) is None
    assert workdays.reminder_due(due, D(2026, 10, 10)) == "passed"


def test_periods_in_months_end_on_the_same_day_or_the_months_last_and_move_off_holidays():
    assert Period.parse({"months": 12}).due(D(2025, 10, 1)) == D(2026, 10, 8)  # National Day
    # 28 February 2026 is a Saturday, but a worked one (after the Spring Festival)
    assert Period.parse({"months": 1}).due(D(2026, 1, 31)) == D(2026, 2, 28)
    assert Period.parse({"months": 1}).due(D(2025, 12, 31)) == D(2026, 2, 2)  # 31 Jan: Saturday
    assert Period.parse({"months": 6}).due(D(2026, 3, 31)) == D(2026, 9, 30)
    assert Period.parse({"months": 12}).plain_due(D(2026, 2, 28)) == D(2027, 2, 28)
    with pytest.raises(ValueError, match="counted back"):
        Period.parse({"months": 1}).before(D(2026, 3, 2))
