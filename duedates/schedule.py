"""Reassessment schedules: a data file per questionnaire version, giving by obligation grade
how soon an organisation reassesses (see assessments/content/schedule-v2.yaml).

``schedule_problems`` checks the file's shape without the database; ``schedule_load`` (in
duedates.services) checks that it names a loaded version with exactly that content and stores
it, all or nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from duedates.workdays import Period

GRADES = ("G1", "G2", "G3", "G4")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_schedule(spec) -> bool:
    return isinstance(spec, Mapping) and "schedule_for" in spec


def schedule_problems(spec: Mapping) -> list[str]:
    target = spec.get("schedule_for")
    problems = []
    if not isinstance(target, Mapping) or not isinstance(target.get("code"), str):
        problems.append("schedule_for: needs the questionnaire code, version and sha256")
    else:
        version = target.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            problems.append("schedule_for: version must be a positive whole number")
        if not isinstance(target.get("sha256"), str) or not SHA256.match(target["sha256"]):
            problems.append("schedule_for: sha256 must be the version's content hash (64 hex)")
    section = spec.get("reassessment")
    if not isinstance(section, Mapping):
        return problems + ["reassessment: needs basis and by_grade"]
    basis = section.get("basis")
    if not isinstance(basis, Mapping) or not all(
        isinstance(basis.get(lang), str) and basis[lang].strip() for lang in ("zh", "en")
    ):
        problems.append("reassessment: basis needs both zh and en text")
    periods = section.get("by_grade")
    if not isinstance(periods, Mapping):
        return problems + ["reassessment: by_grade must give a period for G1, G2, G3 and G4"]
    for grade in GRADES:
        if grade not in periods:
            problems.append(f"reassessment {grade}: no period")
            continue
        try:
            period = Period.parse(periods[grade])
        except ValueError as error:
            problems.append(f"reassessment {grade}: {error}")
            continue
        if period.amount == 0:
            problems.append(f"reassessment {grade}: the period must be longer than zero")
    problems += [f"reassessment {key}: not a grade" for key in periods if key not in GRADES]
    return problems
