"""Periods the rules themselves set, as due dates: a pure core, free of Django and the clock.

Each window names the text and article it comes from; every number was read in the official
text of that article (the comments quote it). A window runs from an anchor:

- an **event** the organisation enters on its assessment overview (the questionnaire does not
  ask for the date a service was launched, changed or ended, or for the dates of a
  data-export procedure), or
- a **date answer** of the questionnaire (the last CIIO test, the last important-data risk
  report, the last PI audit), for the duties the text repeats "every year" or "every two years".

A window applies to an assessment when the question it belongs to is asked (``question``: the
scoping answers decide, as for the question itself). ``party`` says who must act: the
organisation, or the authority (a response time the text gives it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from duedates import workdays
from duedates.workdays import Period

ORGANISATION = "organisation"
AUTHORITY = "authority"
DONE = "done"
DONE_LATE = "done_late"
DONE_PREFIX = "done:"  # an entered day "done:<window key>": the organisation did it then


@dataclass(frozen=True)
class Event:
    """A day the organisation enters, from which a window runs."""

    key: str
    zh: str
    en: str
    future: bool = False  # a day that may lie ahead (an expiry), not one that has happened


EVENTS: dict[str, Event] = {
    e.key: e
    for e in (
        Event("algo_launch", "算法推荐服务开始提供之日", "Algorithmic service first provided on"),
        Event("algo_change", "算法备案信息变更之日", "Algorithm filing details changed on"),
        Event("algo_end", "算法推荐服务终止之日", "Algorithmic service terminated on"),
        Event("algo_filed", "算法备案材料提交之日", "Algorithm filing materials submitted on"),
        Event("ds_launch", "深度合成服务开始提供之日", "Deep synthesis service first provided on"),
        Event("ds_change", "深度合成备案信息变更之日", "Deep synthesis filing details changed on"),
        Event("ds_end", "深度合成服务终止之日", "Deep synthesis service terminated on"),
        Event(
            "export_declared",
            "数据出境安全评估申报材料提交省级网信部门之日",
            "Data-export assessment declared to the provincial CAC on",
        ),
        Event(
            "export_accepted",
            "数据出境安全评估书面受理通知书发出之日",
            "Written notice accepting the data-export assessment issued on",
        ),
        Event(
            "export_result",
            "收到数据出境安全评估结果之日",
            "Data-export assessment result received on",
        ),
        Event(
            "export_expiry",
            "数据出境安全评估结果有效期届满之日",
            "Data-export assessment result valid until",
            future=True,
        ),
    )
}


@dataclass(frozen=True)
class Window:
    key: str
    question: str  # the window applies when this question is asked
    anchor: str  # an EVENTS key, or "answer:<question code>" for a date answer
    period: Period
    party: str
    citations: tuple[tuple[str, int], ...]  # (regulation code, article), the first is the source
    zh: str
    en: str
    before: bool = False  # counted back from the anchor (act N working days before it)

    @property
    def answer_code(self) -> str | None:
        return self.anchor.removeprefix("answer:") if self.anchor.startswith("answer:") else None


WD = "working_days"
ALGO_24 = (("ALGO", 24),)
DS_19 = (("DEEPSYNTH", 19), ("ALGO", 24))

WINDOWS: tuple[Window, ...] = (
    # 算法推荐管理规定 第二十四条: 提供服务之日起十个工作日内…履行备案手续; 变更之日起十个工作日内;
    # 终止服务之日起二十个工作日内办理注销备案手续.
    Window("algo_filing", "ALGO-01", "algo_launch", Period(10, WD), ORGANISATION, ALGO_24,
           "算法备案", "Algorithm filing"),
    Window("algo_change", "ALGO-03", "algo_change", Period(10, WD), ORGANISATION, ALGO_24,
           "算法备案变更", "Change of the algorithm filing"),
    Window("algo_cancel", "ALGO-03", "algo_end", Period(20, WD), ORGANISATION, ALGO_24,
           "算法备案注销", "Cancellation of the algorithm filing"),
    # 第二十五条: 材料齐全的，应当在三十个工作日内予以备案 (or notify the reasons within 30).
    Window("algo_filing_review", "ALGO-01", "algo_filed", Period(30, WD), AUTHORITY,
           (("ALGO", 25),), "网信部门办理算法备案", "CAC decides on the algorithm filing"),
    # 深度合成管理规定 第十九条: 按照《互联网信息服务算法推荐管理规定》履行备案和变更、注销备案手续.
    Window("ds_filing", "DEEPSYNTH-01", "ds_launch", Period(10, WD), ORGANISATION, DS_19,
           "深度合成备案", "Deep synthesis filing"),
    Window("ds_change", "DEEPSYNTH-01", "ds_change", Period(10, WD), ORGANISATION, DS_19,
           "深度合成备案变更", "Change of the deep synthesis filing"),
    Window("ds_cancel", "DEEPSYNTH-01", "ds_end", Period(20, WD), ORGANISATION, DS_19,
           "深度合成备案注销", "Cancellation of the deep synthesis filing"),
    # 数据出境安全评估办法 第七条第一款: 省级网信部门…5个工作日内完成完备性查验;
    # 第十二条: 受理通知书之日起45个工作日内完成数据出境安全评估 (may be extended, with notice);
    # 第十三条: 收到评估结果15个工作日内…申请复评;
    # 第十四条第二款: 有效期届满60个工作日前重新申报评估.
    Window("export_check", "XBORDER-07", "export_declared", Period(5, WD), AUTHORITY,
           (("DATAEXPORT", 7),), "省级网信部门完备性查验", "Provincial CAC completeness check"),
    Window("export_assessment", "XBORDER-07", "export_accepted", Period(45, WD), AUTHORITY,
           (("DATAEXPORT", 12),), "国家网信部门完成数据出境安全评估",
           "National CAC completes the data-export assessment"),
    Window("export_appeal", "XBORDER-07", "export_result", Period(15, WD), ORGANISATION,
           (("DATAEXPORT", 13),), "对评估结果申请复评", "Request a re-assessment of the result"),
    Window("export_renewal", "XBORDER-07", "export_expiry", Period(60, WD), ORGANISATION,
           (("DATAEXPORT", 14),), "重新申报数据出境安全评估",
           "Declare the data-export assessment again", before=True),
    # Duties repeated by the year, from the date the questionnaire asks for.
    # 网络安全法 (2026) 第四十条: 每年至少进行一次检测评估.
    Window("ciio_testing", "CSL-15", "answer:CSL-15", Period(12, "months"), ORGANISATION,
           (("CSL", 40),), "关键信息基础设施年度检测评估",
           "Annual CIIO testing and risk assessment"),
    # 网络数据安全管理条例 第三十三条: 每年度…开展风险评估，并…报送风险评估报告.
    Window("important_data_report", "NDS-05", "answer:NDS-05", Period(12, "months"),
           ORGANISATION,
           (("NDSMR", 33),), "重要数据年度风险评估报告",
           "Annual important-data risk assessment report"),
    # 个人信息保护合规审计管理办法 第四条: 超过1000万人…每两年至少开展一次个人信息保护合规审计.
    Window("pi_audit", "PIPL-17", "answer:PIPL-17", Period(24, "months"), ORGANISATION,
           (("PIAUDIT", 4),), "个人信息保护合规审计（每两年）",
           "PI protection compliance audit (every two years)"),
)  # fmt: skip

WINDOW_BY_KEY = {window.key: window for window in WINDOWS}


@dataclass(frozen=True)
class Due:
    """A window's due date for one assessment. ``due`` is None when the official calendar
    of a year the count crosses is not published yet (``unknown_year``); ``plain`` marks a
    calendar date given without the holiday shift for the same reason. ``done_on`` is the
    day the organisation recorded the duty as done (its own windows only)."""

    window: Window
    anchor_date: datetime.date
    due: datetime.date | None
    unknown_year: int | None = None
    plain: bool = False
    done_on: datetime.date | None = None

    def state(self, today: datetime.date) -> str | None:
        if self.done_on is not None:
            return DONE_LATE if self.due is not None and self.done_on > self.due else DONE
        return None if self.due is None else workdays.state(self.due, today)


@dataclass(frozen=True)
class Computed:
    due: datetime.date | None
    unknown_year: int | None = None
    plain: bool = False


def compute(period: Period, anchor: datetime.date, *, before: bool = False) -> Computed:
    """``period`` from ``anchor`` (or back from it) on the official calendar; for a year the
    calendar does not know yet, a calendar period is given as the plain date (``plain``) and a
    working-day count is not given at all (``unknown_year``), never guessed."""
    try:
        return Computed(period.before(anchor) if before else period.due(anchor))
    except workdays.CalendarUnknown as unknown:
        if period.working:
            return Computed(None, unknown_year=unknown.year)
        return Computed(period.plain_due(anchor), plain=True)


def due_for(window: Window, anchor_date: datetime.date, done_on=None) -> Due:
    computed = compute(window.period, anchor_date, before=window.before)
    return Due(window, anchor_date, computed.due, computed.unknown_year, computed.plain, done_on)


def windows_due(
    *,
    asked: Iterable[str],
    events: Mapping[str, datetime.date],
    answers: Mapping[str, object],
) -> list[Due]:
    """The due date of every window whose question is ``asked`` and whose anchor is known:
    an entered event, or a date answer (``YYYY-MM-DD``) among ``answers`` (code → value)."""
    asked = set(asked)
    found = []
    for window in WINDOWS:
        if window.question not in asked:
            continue
        anchor = anchor_date(window, events, answers)
        if anchor is None:
            continue
        done_on = events.get(DONE_PREFIX + window.key)
        # A duty done before the day its period runs from is a previous round's.
        if done_on is not None and done_on < anchor and not window.before:
            done_on = None
        found.append(due_for(window, anchor, done_on))
    return found


def is_enterable(key: str) -> bool:
    """An event of the catalogue, or "done:<key>" of one of the organisation's windows."""
    if key.startswith(DONE_PREFIX):
        window = WINDOW_BY_KEY.get(key.removeprefix(DONE_PREFIX))
        return window is not None and window.party == ORGANISATION
    return key in EVENTS


def anchor_date(window, events, answers) -> datetime.date | None:
    code = window.answer_code
    if code is None:
        return events.get(window.anchor)
    value = answers.get(code)
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def events_for(asked: Iterable[str]) -> list[Event]:
    """The events worth asking for, given the questions asked (in catalogue order)."""
    asked = set(asked)
    keys = [w.anchor for w in WINDOWS if w.question in asked and w.answer_code is None]
    return [EVENTS[key] for key in dict.fromkeys(keys)]
