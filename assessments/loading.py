"""Validate a questionnaire data file and load it as a version, all or nothing.

`questionnaire_problems(spec, on=...)` lists every problem, each prefixed with the question code,
before anything is written; `questionnaire_load(spec)` writes a version in one transaction.
"""

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from assessments import rules
from assessments.models import (
    Choice,
    Citation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from regulations import selectors
from regulations.models import Regulation
from regulations.parsing import normalise_for_comparison

ANSWER_TYPES = set(Question.AnswerType.values)
WEIGHTS = {1, 2, 3, 5}
EVIDENCE_GRADES = {None, "G2", "G3", "G4"}
SCOPING_CODE = re.compile(r"^S\d{2}$")


class QuestionnaireInvalid(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class LoadOutcome:
    version: QuestionnaireVersion
    status: str  # created | unchanged | replaced
    questions: int


def spec_sha256(spec: Mapping) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def module_code_pattern(module: str) -> re.Pattern:
    return SCOPING_CODE if module == rules.SCOPING else re.compile(rf"^{module}-\d{{2}}$")


def bilingual_problems(where: str, value: object, field: str, required: bool = True) -> list[str]:
    if value is None and not required:
        return []
    if not isinstance(value, Mapping) or not all(
        isinstance(value.get(lang), str) and value.get(lang).strip() for lang in ("zh", "en")
    ):
        return [f"{where}: {field} needs both zh and en text"]
    return []


def iter_questions(spec: Mapping):
    for section in spec.get("sections") or []:
        for question in section.get("questions") or []:
            yield section.get("module"), question


def structure_problems(spec: Mapping) -> list[str]:
    problems = []
    if not isinstance(spec.get("code"), str) or not spec.get("code"):
        problems.append("questionnaire: code is missing")
    if not isinstance(spec.get("version"), int) or spec.get("version") < 1:
        problems.append("questionnaire: version must be a positive whole number")
    problems += bilingual_problems("questionnaire", spec.get("title"), "title")
    modules = [section.get("module") for section in spec.get("sections") or []]
    if not modules:
        problems.append("questionnaire: no sections")
    for module, count in Counter(modules).items():
        if module not in (rules.SCOPING, *rules.MODULES):
            problems.append(f"section {module}: unknown module")
        elif count > 1:
            problems.append(f"section {module}: appears {count} times")
    codes = Counter(q.get("code") for _, q in iter_questions(spec))
    problems += [f"{code}: code used {n} times" for code, n in codes.items() if n > 1]
    for module, question in iter_questions(spec):
        problems += question_problems(module, question)
    return problems


def question_problems(module: str, q: Mapping) -> list[str]:
    code = str(q.get("code"))
    problems = []
    if module in (rules.SCOPING, *rules.MODULES) and not module_code_pattern(module).match(code):
        problems.append(f"{code}: code does not match the {module} section (e.g. {module}-01)")
    if q.get("type") not in ANSWER_TYPES:
        problems.append(f"{code}: unknown answer type {q.get('type')!r}")
    problems += bilingual_problems(code, q.get("text"), "text")
    problems += bilingual_problems(code, q.get("help"), "help", required=False)
    if q.get("type") == "number":
        problems += range_problems(code, q)
    if q.get("type") in ("choice", "multi") and not q.get("choices"):
        problems.append(f"{code}: a {q.get('type')} question needs choices")
    for choice in q.get("choices") or []:
        problems += bilingual_problems(
            f"{code} choice {choice.get('value')}", choice.get("label"), "label"
        )
    if module != rules.SCOPING:
        problems += scored_problems(code, q)
    return problems


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def range_problems(code: str, q: Mapping) -> list[str]:
    """A number question's `range: {min, max}`, when given, is a real interval holding its
    thresholds (without one, assessments.forms.question_range reads it from the unit)."""
    bounds = q.get("range")
    if bounds is None:
        return []
    if not isinstance(bounds, Mapping) or not all(
        is_number(bounds.get(key)) for key in ("min", "max")
    ):
        return [f"{code}: a number question needs a range with a min and a max"]
    low, high = bounds["min"], bounds["max"]
    if low >= high:
        return [f"{code}: the range's min must be below its max"]
    return [
        f"{code}: threshold {t['min']} is outside the range {low}–{high}"
        for t in q.get("thresholds") or []
        if isinstance(t, Mapping) and is_number(t.get("min")) and not low <= t["min"] <= high
    ]


def scored_problems(code: str, q: Mapping) -> list[str]:
    problems = []
    if q.get("weight") not in WEIGHTS:
        problems.append(f"{code}: weight must be 1, 2, 3 or 5")
    if q.get("evidence_from") not in EVIDENCE_GRADES:
        problems.append(f"{code}: evidence_from must be G2, G3, G4 or empty")
    unknown = set(q.get("also_modules") or []) - set(rules.MODULES)
    if unknown:
        problems.append(f"{code}: also_modules names unknown modules {sorted(unknown)}")
    if q.get("type") in ("number", "date") and not q.get("thresholds"):
        problems.append(f"{code}: a {q.get('type')} question needs thresholds")
    if not q.get("citations"):
        problems.append(f"{code}: a scored question needs at least one citation")
    problems += bilingual_problems(code, q.get("remediation"), "remediation")
    return problems


def citation_problems(spec: Mapping, *, on: date) -> list[str]:
    """Each citation must resolve to an article of the edition in force on `on`.

    Where an official text has been imported, the article must exist in it and contain the
    phrase (compared with punctuation variants and spaces normalised). Where it has not, the
    article number must be within the regulation's known article count.
    """
    cited = [(q.get("code"), c) for _, q in iter_questions(spec) for c in q.get("citations") or []]
    pairs = {(c.get("regulation"), c.get("article")) for _, c in cited}
    articles = selectors.articles_in_force(pairs, on)
    known = {r.code: r for r in Regulation.objects.filter(code__in={code for code, _ in pairs})}
    with_text = {code for code, regulation in known.items() if edition_has_text(regulation, on)}
    problems = []
    for code, c in cited:
        problem = one_citation_problem(c, articles, known, with_text, on)
        if problem:
            problems.append(
                f"{code}: citation {c.get('regulation')} 第{c.get('article')}条: {problem}"
            )
    return problems


def squash(text: str) -> str:
    """Text for phrase comparison: punctuation variants unified, all whitespace removed."""
    return re.sub(r"\s+", "", normalise_for_comparison(text))


def edition_has_text(regulation, on: date) -> bool:
    edition = selectors.edition_in_force(regulation, on)
    return edition is not None and edition.articles.exists()


def one_citation_problem(citation, articles, known, with_text, on) -> str:
    regulation, number = citation.get("regulation"), citation.get("article")
    phrase = citation.get("phrase") or ""
    if regulation not in known:
        return f"unknown regulation {regulation!r}"
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        return "the article number must be a positive whole number"
    if (regulation, number) in articles:
        if phrase and squash(phrase) not in squash(articles[(regulation, number)].text):
            return f"the phrase {phrase!r} is not in the article in force on {on}"
        return ""
    if regulation in with_text:
        return f"no such article in the edition in force on {on}"
    count = known[regulation].article_count
    if count and number > count:
        return f"the regulation has only {count} articles"
    return ""


def questionnaire_problems(spec: Mapping, *, on: date | None = None) -> list[str]:
    """Every problem in a questionnaire spec; an empty list means it can be loaded."""
    if not isinstance(spec, Mapping):
        return ["questionnaire: the file does not hold a mapping at its top level"]
    problems = structure_problems(spec)
    if problems:
        return problems
    problems += rules.validate_spec(spec)
    problems += citation_problems(spec, on=on or timezone.localdate())
    return problems


@transaction.atomic
def questionnaire_load(
    spec: Mapping, *, publish: bool = True, on: date | None = None
) -> LoadOutcome:
    """Validate, then write the version. A published version with other content is refused."""
    problems = questionnaire_problems(spec, on=on)
    if problems:
        raise QuestionnaireInvalid(problems)
    digest = spec_sha256(spec)
    questionnaire, _ = Questionnaire.objects.update_or_create(
        code=spec["code"],
        defaults={
            "title_zh": spec["title"]["zh"],
            "title_en": spec["title"]["en"],
            "description_zh": (spec.get("description") or {}).get("zh", ""),
            "description_en": (spec.get("description") or {}).get("en", ""),
        },
    )
    existing = questionnaire.versions.filter(number=spec["version"]).first()
    if existing and existing.source_sha256 == digest:
        return LoadOutcome(existing, "unchanged", existing.questions.count())
    if existing and (
        existing.status != QuestionnaireVersion.Status.DRAFT or existing.assessments.exists()
    ):
        raise QuestionnaireInvalid(
            [
                f"questionnaire: version {existing.number} is {existing.status} and in use; "
                "give the changed file a new version number"
            ]
        )
    status = "replaced" if existing else "created"
    if existing:
        existing.delete()
    version = write_version(questionnaire, spec, digest, publish=publish)
    return LoadOutcome(version, status, version.questions.count())


def write_version(questionnaire, spec, digest, *, publish) -> QuestionnaireVersion:
    if publish:
        questionnaire.versions.filter(status=QuestionnaireVersion.Status.PUBLISHED).update(
            status=QuestionnaireVersion.Status.RETIRED
        )
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=spec["version"],
        status=QuestionnaireVersion.Status.PUBLISHED
        if publish
        else QuestionnaireVersion.Status.DRAFT,
        rules={
            key: spec.get(key) or []
            for key in ("derived", "grades", "impact_raise", "likelihood_raise")
        }
        | {"modules": spec.get("modules") or {}},
        source_sha256=digest,
        published_at=timezone.now() if publish else None,
    )
    for order, section_spec in enumerate(spec["sections"]):
        write_section(version, order, section_spec)
    return version


def write_section(version, order, spec) -> None:
    section = Section.objects.create(
        version=version,
        module=spec["module"],
        order=order,
        title_zh=spec["title"]["zh"],
        title_en=spec["title"]["en"],
        intro_zh=(spec.get("intro") or {}).get("zh", ""),
        intro_en=(spec.get("intro") or {}).get("en", ""),
    )
    questions = Question.objects.bulk_create(
        [build_question(version, section, n, q) for n, q in enumerate(spec["questions"])]
    )
    choices, citations = [], []
    for question, q in zip(questions, spec["questions"], strict=True):
        choices += [
            Choice(
                question=question,
                value=c["value"],
                label_zh=c["label"]["zh"],
                label_en=c["label"]["en"],
                level=c.get("level"),
                order=n,
            )
            for n, c in enumerate(q.get("choices") or [])
        ]
        citations += [
            Citation(
                question=question,
                regulation_code=c["regulation"],
                article_number=c["article"],
                phrase=c.get("phrase") or "",
                order=n,
            )
            for n, c in enumerate(q.get("citations") or [])
        ]
    Choice.objects.bulk_create(choices)
    Citation.objects.bulk_create(citations)


def build_question(version, section, order, q) -> Question:
    text, help_, unit = q["text"], q.get("help") or {}, q.get("unit") or {}
    remediation = q.get("remediation") or {}
    bounds = q.get("range") or {}
    return Question(
        version=version,
        section=section,
        code=q["code"],
        order=order,
        text_zh=text["zh"],
        text_en=text["en"],
        help_zh=help_.get("zh", ""),
        help_en=help_.get("en", ""),
        answer_type=q["type"],
        weight=q.get("weight"),
        red_line=bool(q.get("red_line")),
        na_allowed=q.get("na_allowed", True),
        applies_when=q.get("applies_when"),
        evidence_from=q.get("evidence_from") or "",
        also_modules=q.get("also_modules") or [],
        thresholds=q.get("thresholds") or [],
        unit_zh=unit.get("zh", ""),
        unit_en=unit.get("en", ""),
        range_min=bounds.get("min"),
        range_max=bounds.get("max"),
        remediation_zh=remediation.get("zh", ""),
        remediation_en=remediation.get("en", ""),
        penalty=q.get("penalty") or {},
    )
