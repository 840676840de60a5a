"""Moving a draft to a newer questionnaire version: which answers carry, which need a new one.

Pure: no Django, no clock. The newer version names, per question, the older question it
descends from (`upgrade: {from, carry, reason}`) and lists the older questions it drops
(`removed: [{code, reason}]`). Given the draft's answers by old code, `upgrade_plan` says:

- carried: the new question keeps the old one's meaning, type and choices (`carry: true`), so
  the old answer is copied as it is;
- renew: the new question descends from an answered old one but changed (`carry: false`): it
  needs a new answer; the old answer and the reason are kept to show beside it;
- dropped: an answered old question the new version removes, with the reason;
- new: new questions with no ancestor.

An old question that was never answered carries nothing and is not listed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """A question of the newer version and where it comes from (`source` None: a new one)."""

    code: str
    source: str | None = None
    carry: bool = False
    reason: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Carried:
    code: str
    source: str


@dataclass(frozen=True)
class Renewal:
    code: str
    source: str
    answer: Mapping
    reason: Mapping[str, str]


@dataclass(frozen=True)
class Dropped:
    source: str
    answer: Mapping
    reason: Mapping[str, str]


@dataclass(frozen=True)
class UpgradePlan:
    carried: tuple[Carried, ...]
    renew: tuple[Renewal, ...]
    dropped: tuple[Dropped, ...]
    new: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.carried or self.renew or self.dropped)


def is_answered(answer: Mapping | None) -> bool:
    """An answer worth carrying: a level, a value or an N/A reason."""
    if not answer:
        return False
    if str(answer.get("na_reason") or "").strip():
        return True
    return answer.get("level") is not None or answer.get("value") not in (None, "", [])


def upgrade_plan(
    answers: Mapping[str, Mapping],
    links: Iterable[Link],
    removed: Mapping[str, Mapping[str, str]],
) -> UpgradePlan:
    """The plan for answers given by old question code (see the module's docstring).

    `removed` maps each dropped old code to its reason. An answered old question that is
    neither linked nor removed (a file the loader would refuse) is dropped without a reason.
    """
    links = list(links)
    answered = {code: a for code, a in answers.items() if is_answered(a)}
    carried, renew, linked = [], [], set()
    for link in links:
        if link.source is None:
            continue
        linked.add(link.source)
        old = answered.get(link.source)
        if old is None:
            continue
        if link.carry:
            carried.append(Carried(link.code, link.source))
        else:
            renew.append(Renewal(link.code, link.source, dict(old), dict(link.reason)))
    dropped = [
        Dropped(code, dict(old), dict(removed.get(code) or {}))
        for code, old in answered.items()
        if code not in linked
    ]
    new = tuple(link.code for link in links if link.source is None)
    return UpgradePlan(tuple(carried), tuple(renew), tuple(dropped), new)


def plan_to_json(plan: UpgradePlan) -> dict:
    """What the newer draft keeps of the move: the renewals by new code and the dropped."""
    return {
        "renew": {
            r.code: {"from": r.source, "answer": dict(r.answer), "reason": dict(r.reason)}
            for r in plan.renew
        },
        "dropped": [
            {"code": d.source, "answer": dict(d.answer), "reason": dict(d.reason)}
            for d in plan.dropped
        ],
        "carried": {c.code: c.source for c in plan.carried},
    }
