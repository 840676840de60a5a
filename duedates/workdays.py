"""Working days in mainland China: a pure core, free of Django and the clock.

The official calendar (the State Council's yearly notice of public holidays, with weekends
moved to make bridges: 调休) comes from the maintained ``chinese_calendar`` package, never
from a hand-written table. A day is a working day when that calendar says so: Monday to
Friday unless a holiday, and the adjusted weekends (e.g. Sunday 2026-02-15 before the Spring
Festival) are working days.

Counting follows the usual reading of "within N working days of" a day: the day itself does
not count, the first working day after it is day 1 (行政许可法 第八十二条: 期限的第一日不计入).
The calendar covers the years the package knows; outside them ``CalendarUnknown`` is raised
rather than guessing (a new package release adds each year once the notice is out).
"""

from __future__ import annotations

import calendar
import datetime
import functools
from dataclasses import dataclass

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)

UPCOMING = "upcoming"
DUE_TODAY = "due_today"
OVERDUE = "overdue"


class CalendarUnknown(ValueError):
    """The official calendar of that year is not known (yet)."""

    def __init__(self, day: datetime.date) -> None:
        super().__init__(f"no official working-day calendar for {day.year}")
        self.year = day.year


# The calendar a process loaded never changes under it, so each day's answer is kept: a
# review queue of 25 rows counts some 500 days for their due dates.
@functools.lru_cache(maxsize=8192)
def is_working_day(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarUnknown(day) from None


def holiday_name(day: datetime.date) -> str | None:
    """The English name of the holiday ``day`` falls in (e.g. "Spring Festival"), or None."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        raise CalendarUnknown(day) from None
    return name if on_holiday and name else None


@functools.lru_cache(maxsize=4096)
def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day on which a period of ``days`` working days counted from ``start`` ends (the
    start day not counted). ``days`` may be 0 (the start day itself, moved to the next
    working day when it is not one) or negative (counting back: N working days before)."""
    day = start
    if days == 0:
        while not is_working_day(day):
            day += ONE_DAY
        return day
    step = ONE_DAY if days > 0 else -ONE_DAY
    remaining = abs(days)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def add_calendar_days(start: datetime.date, days: int) -> datetime.date:
    """A period in calendar days; when its last day is not a working day it ends on the next
    working day (the rule for periods ending on a holiday)."""
    return add_working_days(start + datetime.timedelta(days=days), 0)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter:
    31 January + 1 month is 28 or 29 February); when that day is not a working day the period
    ends on the next working day, as for calendar days."""
    return add_working_days(months_later(start, months), 0)


def months_later(start: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later, clamped to the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(
        year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])
    )


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if is_working_day(day):
            count += 1
    return count


@dataclass(frozen=True)
class Period:
    """A due period as written in data: ``{"working_days": 10}``, ``{"days": 30}`` or
    ``{"months": 12}`` (calendar months, for cadences such as "at least once a year")."""

    amount: int
    unit: str  # working_days | days | months

    UNITS = ("working_days", "days", "months")

    @classmethod
    def parse(cls, value) -> Period:
        if isinstance(value, dict) and len(value) == 1:
            ((unit, amount),) = value.items()
            whole = isinstance(amount, int) and not isinstance(amount, bool)
            if unit in cls.UNITS and whole and amount >= 0:
                return cls(amount, unit)
        raise ValueError(
            "a period is {working_days: N}, {days: N} or {months: N} with N a whole number, "
            f"not {value!r}"
        )

    @property
    def working(self) -> bool:
        return self.unit == "working_days"

    def as_data(self) -> dict:
        return {self.unit: self.amount}

    def due(self, start: datetime.date) -> datetime.date:
        if self.unit == "working_days":
            return add_working_days(start, self.amount)
        if self.unit == "months":
            return add_months(start, self.amount)
        return add_calendar_days(start, self.amount)

    def before(self, end: datetime.date) -> datetime.date:
        """The last day to act for something due ``amount`` working days before ``end``
        (e.g. a renewal filed 60 working days before an expiry): counted back, the end day
        not counted. Only working-day periods are counted back."""
        if self.unit != "working_days":
            raise ValueError("only a period in working days is counted back from a date")
        return add_working_days(end, -self.amount)

    def plain_due(self, start: datetime.date) -> datetime.date:
        """The due date without the official calendar (a year it does not know yet): calendar
        periods without the holiday shift; working days cannot be counted without it."""
        if self.unit == "months":
            return months_later(start, self.amount)
        if self.unit == "days":
            return start + datetime.timedelta(days=self.amount)
        raise ValueError("working days cannot be counted without the official calendar")


def state(due: datetime.date, today: datetime.date) -> str:
    """upcoming, due_today or overdue."""
    if today < due:
        return UPCOMING
    return DUE_TODAY if today == due else OVERDUE


def reminder_due(due: datetime.date, today: datetime.date, *, before: int = 3) -> str | None:
    """Which reminder is due on ``today`` for a date due on ``due``: "before" from ``before``
    working days ahead until the day before, "passed" from the day after it is due; None
    otherwise. Sending each kind once is the caller's (stored) business, so a job that
    missed a day still sends it the next day."""
    if today > due:
        return "passed"
    if today < due and add_working_days(due, -before) <= today:
        return "before"
    return None
