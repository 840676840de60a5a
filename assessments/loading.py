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
from datetime import date, datetime

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


# --------------------------------------------------------------------------- version 2 fields

BASIS_KINDS = {
    "filing_gate": ("备案", "评估", "申报", "认证", "登记"),
    "core_prohibition": ("不得", "禁止"),
    "direct_fine": ("罚款",),
    "suspension": ("暂停", "停止", "关闭", "下架", "吊销"),
}
CODE_NUMBER = re.compile(r"(\d+)$")


def parse_date(value) -> date | None:
    """A `YYYY-MM-DD` string (or a date YAML already parsed) as a date; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def v2_structure_problems(spec: Mapping) -> list[str]:
    """The shape of the fields added in version 2 (in force date, red-line policy and bases,
    standards, references, the upgrade map and the removed list, codes in order)."""
    problems = []
    if spec.get("in_force_on") is not None and parse_date(spec.get("in_force_on")) is None:
        problems.append("questionnaire: in_force_on must be a date written YYYY-MM-DD")
    policy = spec.get("red_line_policy")
    problems += bilingual_problems("questionnaire", policy, "red_line_policy", required=False)
    with_basis = [q.get("code") for _, q in iter_questions(spec) if q.get("red_line_basis")]
    if with_basis and not policy:
        problems.append(
            "questionnaire: red_line_policy is required when questions have a red_line_basis "
            f"({', '.join(map(str, with_basis[:5]))})"
        )
    problems += upgrade_header_problems(spec)
    for _module, question in iter_questions(spec):
        problems += question_v2_problems(question, has_policy=bool(policy))
    if isinstance(spec.get("version"), int) and spec["version"] >= 2:
        problems += code_order_problems(spec)
    return problems


def upgrade_header_problems(spec: Mapping) -> list[str]:
    problems = []
    source = spec.get("upgrade_from")
    if source is not None and (
        not isinstance(source, int) or isinstance(source, bool) or not 1 <= source < spec["version"]
    ):
        problems.append("questionnaire: upgrade_from must be the number of an earlier version")
    removed = spec.get("removed") or []
    if removed and source is None:
        problems.append("questionnaire: removed needs upgrade_from (the version it removes from)")
    if not isinstance(removed, list):
        return problems + ["questionnaire: removed must be a list of {code, reason}"]
    for entry in removed:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("code"), str):
            problems.append(f"removed {entry!r}: needs a code and a reason")
            continue
        problems += bilingual_problems(f"removed {entry['code']}", entry.get("reason"), "reason")
    counts = Counter(e.get("code") for e in removed if isinstance(e, Mapping))
    problems += [f"removed {code}: listed {n} times" for code, n in counts.items() if n > 1]
    if source is None and any(q.get("upgrade") for _, q in iter_questions(spec)):
        problems.append("questionnaire: questions name an upgrade but upgrade_from is missing")
    return problems


def question_v2_problems(q: Mapping, *, has_policy: bool) -> list[str]:
    code = str(q.get("code"))
    problems = basis_shape_problems(code, q, has_policy)
    for n, standard in enumerate(as_list(q.get("standards"))):
        where = f"{code} standard {n + 1}"
        if not isinstance(standard, Mapping):
            problems.append(f"{where}: needs a name and a note")
            continue
        problems += bilingual_problems(where, standard.get("name"), "name")
        problems += bilingual_problems(where, standard.get("note"), "note")
    for n, reference in enumerate(as_list(q.get("references"))):
        where = f"{code} reference {n + 1}"
        if not isinstance(reference, Mapping):
            problems.append(f"{where}: needs a name and a date")
            continue
        problems += bilingual_problems(where, reference.get("name"), "name")
        if parse_date(reference.get("date")) is None:
            problems.append(f"{where}: date must be written YYYY-MM-DD")
    for field in ("standards", "references"):
        if q.get(field) is not None and not isinstance(q.get(field), list):
            problems.append(f"{code}: {field} must be a list")
    return problems + upgrade_shape_problems(code, q.get("upgrade"))


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def basis_shape_problems(code: str, q: Mapping, has_policy: bool) -> list[str]:
    basis = q.get("red_line_basis")
    if basis is None:
        if q.get("red_line") and has_policy:
            return [f"{code}: a red line needs a red_line_basis (the file has a red-line policy)"]
        return []
    if not q.get("red_line"):
        return [f"{code}: red_line_basis is only for red lines (this question is not one)"]
    if not isinstance(basis, Mapping):
        return [f"{code}: red_line_basis needs kind, regulation, article and phrase"]
    kind, phrase = basis.get("kind"), basis.get("phrase")
    if kind not in BASIS_KINDS:
        return [f"{code}: red_line_basis kind must be one of {', '.join(BASIS_KINDS)}"]
    if not isinstance(basis.get("regulation"), str) or not is_article(basis.get("article")):
        return [f"{code}: red_line_basis needs a regulation and a positive article number"]
    if not isinstance(phrase, str) or not phrase.strip():
        return [f"{code}: red_line_basis needs a verbatim phrase from the article"]
    if not any(word in phrase for word in BASIS_KINDS[kind]):
        words = "/".join(BASIS_KINDS[kind])
        return [f"{code}: a {kind} red_line_basis phrase must contain {words}: {phrase!r}"]
    return []


def is_article(number) -> bool:
    return isinstance(number, int) and not isinstance(number, bool) and number >= 1


def upgrade_shape_problems(code: str, upgrade) -> list[str]:
    if upgrade is None:
        return []
    if not isinstance(upgrade, Mapping) or not isinstance(upgrade.get("from"), str):
        return [f"{code}: upgrade needs from (a question code) and carry (true or false)"]
    if not isinstance(upgrade.get("carry"), bool):
        return [f"{code}: upgrade carry must be true or false"]
    if not upgrade["carry"]:
        return bilingual_problems(
            f"{code}: upgrade from {upgrade['from']} without carry", upgrade.get("reason"), "reason"
        )
    return []


def code_order_problems(spec: Mapping) -> list[str]:
    """From version 2 on, codes run 01, 02, … in each section, in order and without gaps."""
    problems = []
    for section in spec.get("sections") or []:
        for n, q in enumerate(section.get("questions") or [], start=1):
            match = CODE_NUMBER.search(str(q.get("code")))
            if match is None or int(match.group(1)) != n:
                problems.append(
                    f"{q.get('code')}: codes must run in order within {section.get('module')} "
                    f"(question {n} of the section should end in {n:02d})"
                )
                break  # one problem per section: the rest follow from it
    return problems


def basis_problems(spec: Mapping, *, on: date) -> list[str]:
    """Each red line's basis phrase is verified in its article like a citation's."""
    bases = [(q.get("code"), q.get("red_line_basis")) for _, q in iter_questions(spec)]
    bases = [(code, basis) for code, basis in bases if basis]
    if not bases:
        return []
    pairs = {(b["regulation"], b["article"]) for _, b in bases}
    articles = selectors.articles_in_force(pairs, on)
    known = {r.code: r for r in Regulation.objects.filter(code__in={c for c, _ in pairs})}
    with_text = {code for code, regulation in known.items() if edition_has_text(regulation, on)}
    problems = []
    for code, basis in bases:
        problem = one_citation_problem(basis, articles, known, with_text, on)
        if problem:
            problems.append(
                f"{code}: red_line_basis {basis['regulation']} 第{basis['article']}条: {problem}"
            )
    return problems


def previous_questions(spec: Mapping) -> dict[str, Question] | None:
    """The questions of the version named by `upgrade_from`, with their choices (None when
    that version is not loaded)."""
    version = QuestionnaireVersion.objects.filter(
        questionnaire__code=spec["code"], number=spec["upgrade_from"]
    ).first()
    if version is None:
        return None
    return {q.code: q for q in version.questions.prefetch_related("choices")}


def upgrade_problems(spec: Mapping) -> list[str]:
    """The upgrade map against the version it upgrades: every `from` names one of its
    questions, a carried answer keeps its type and choice values, each old question is carried
    by at most one new one, and every old question is either mapped or removed."""
    source = spec.get("upgrade_from")
    if source is None:
        return []
    old = previous_questions(spec)
    if old is None:
        return [
            f"questionnaire: upgrade_from names version {source}, which is not loaded; "
            "load it first"
        ]
    problems, carriers, mapped = [], {}, set()
    for _, q in iter_questions(spec):
        upgrade = q.get("upgrade")
        if not upgrade:
            continue
        ancestor = old.get(upgrade["from"])
        if ancestor is None:
            problems.append(
                f"{q['code']}: upgrade from {upgrade['from']}: not a question of version {source}"
            )
            continue
        mapped.add(ancestor.code)
        if upgrade["carry"]:
            carriers.setdefault(ancestor.code, []).append(q["code"])
            problems += carry_problems(q, ancestor)
    problems += [
        f"{code}: carried (carry: true) by several questions ({', '.join(by)}); only one may"
        for code, by in carriers.items()
        if len(by) > 1
    ]
    return problems + removed_problems(spec, old, mapped)


def carry_problems(q: Mapping, ancestor: Question) -> list[str]:
    code = q["code"]
    if q.get("type") != ancestor.answer_type:
        return [
            f"{code}: carries {ancestor.code} but the answer type changed "
            f"({ancestor.answer_type} → {q.get('type')}); use carry: false with a reason"
        ]
    if q.get("type") in ("choice", "multi"):
        new = {c.get("value") for c in q.get("choices") or []}
        before = {c.value for c in ancestor.choices.all()}
        if new != before:
            changes = sorted(map(str, before - new)) + [
                f"+{v}" for v in sorted(map(str, new - before))
            ]
            return [
                f"{code}: carries {ancestor.code} but the choice values changed "
                f"({', '.join(changes)}); use carry: false with a reason"
            ]
    return []


def removed_problems(spec: Mapping, old: dict, mapped: set) -> list[str]:
    source = spec["upgrade_from"]
    removed = {e["code"] for e in spec.get("removed") or []}
    problems = [
        f"removed {code}: not a question of version {source}" for code in sorted(removed - set(old))
    ]
    problems += [
        f"removed {code}: also named by a question's upgrade.from (remove it or map it, not both)"
        for code in sorted(removed & mapped)
    ]
    problems += [
        f"{code} (version {source}): neither named by a question's upgrade.from nor listed in "
        "removed"
        for code in old
        if code not in mapped and code not in removed
    ]
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


def checking_date(spec: Mapping, on: date | None) -> date:
    """The day citations are checked against: the caller's, else the file's `in_force_on`,
    else today."""
    return on or parse_date(spec.get("in_force_on")) or timezone.localdate()


def questionnaire_problems(spec: Mapping, *, on: date | None = None) -> list[str]:
    """Every problem in a questionnaire spec; an empty list means it can be loaded."""
    if not isinstance(spec, Mapping):
        return ["questionnaire: the file does not hold a mapping at its top level"]
    problems = structure_problems(spec) + v2_structure_problems(spec)
    if problems:
        return problems
    problems += rules.validate_spec(spec)
    on = checking_date(spec, on)
    problems += citation_problems(spec, on=on)
    problems += basis_problems(spec, on=on)
    problems += upgrade_problems(spec)
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
    on = checking_date(spec, on)
    version = write_version(questionnaire, spec, digest, publish=publish, on=on)
    return LoadOutcome(version, status, version.questions.count())


def publish_status(questionnaire, number: int, publish: bool) -> str:
    """Publishing retires the published versions numbered below this one; a version older
    than the one published (loaded late) is stored as retired."""
    statuses = QuestionnaireVersion.Status
    if not publish:
        return statuses.DRAFT
    published = questionnaire.versions.filter(status=statuses.PUBLISHED)
    if published.filter(number__gt=number).exists():
        return statuses.RETIRED
    published.update(status=statuses.RETIRED)
    return statuses.PUBLISHED


def write_version(questionnaire, spec, digest, *, publish, on=None) -> QuestionnaireVersion:
    status = publish_status(questionnaire, spec["version"], publish)
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=spec["version"],
        status=status,
        in_force_on=parse_date(spec.get("in_force_on")),
        red_line_policy=spec.get("red_line_policy") or {},
        upgrade_from=spec.get("upgrade_from"),
        removed=[
            {"code": r["code"], "reason": dict(r["reason"])} for r in spec.get("removed") or []
        ],
        rules={
            key: spec.get(key) or []
            for key in ("derived", "grades", "impact_raise", "likelihood_raise")
        }
        | {"modules": spec.get("modules") or {}},
        source_sha256=digest,
        published_at=timezone.now() if publish else None,
    )
    editions = verified_editions(spec, on or timezone.localdate())
    for order, section_spec in enumerate(spec["sections"]):
        write_section(version, order, section_spec, editions)
    return version


def verified_editions(spec: Mapping, on: date) -> dict[tuple[str, int], date]:
    """The effective date of the edition each cited article (citations and red-line bases)
    was verified in; articles of regulations without imported text are absent."""
    pairs = {
        (c["regulation"], c["article"])
        for _, q in iter_questions(spec)
        for c in [
            *(q.get("citations") or []),
            *([q["red_line_basis"]] if q.get("red_line_basis") else []),
        ]
    }
    articles = selectors.articles_in_force(pairs, on)
    return {pair: article.edition.effective_from for pair, article in articles.items()}


def write_section(version, order, spec, editions=None) -> None:
    editions = editions or {}
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
        [build_question(version, section, n, q, editions) for n, q in enumerate(spec["questions"])]
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
                edition_effective=editions.get((c["regulation"], c["article"])),
            )
            for n, c in enumerate(q.get("citations") or [])
        ]
    Choice.objects.bulk_create(choices)
    Citation.objects.bulk_create(citations)


def stored_basis(q: Mapping, editions) -> dict | None:
    basis = q.get("red_line_basis")
    if not basis:
        return None
    effective = editions.get((basis["regulation"], basis["article"]))
    keys = ("kind", "regulation", "article", "phrase")
    return {key: basis[key] for key in keys} | {
        "edition_effective": effective.isoformat() if effective else None
    }


def build_question(version, section, order, q, editions=None) -> Question:
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
        red_line_basis=stored_basis(q, editions or {}),
        standards=[
            {"name": dict(s["name"]), "note": dict(s["note"])} for s in q.get("standards") or []
        ],
        references=[
            {"name": dict(r["name"]), "date": str(parse_date(r["date"]))}
            for r in q.get("references") or []
        ],
        upgrade=dict(q["upgrade"]) if q.get("upgrade") else None,
    )
