"""Scoring results: storing them (idempotently) and presenting them to pages and reports.

Storing: `submission_score(submission_id)` is the worker's whole job — load the inputs, call the
pure function, store the result and one Finding per question with a gap, and move the assessment
from submitted to scored. A second call for the same submission stores nothing.

Presenting: `result_context(...)` turns a stored result (its JSON, never a re-computation) into
what the result page and the PDF show. Tier, likelihood, grade and module names come from the
dictionaries below, not from gettext, so the report reads the same whatever the catalogue holds;
answers read as the questionnaire's own words (choice labels, units), loaded in one query.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext

from assessments import scoring, scoring_inputs
from assessments.models import Assessment, Finding, Question, ScoreResult, Submission
from portal import page_cache

TIER_LABELS = {
    "low": {"zh": "低", "en": "Low"},
    "medium": {"zh": "中", "en": "Medium"},
    "high": {"zh": "高", "en": "High"},
    "critical": {"zh": "重大", "en": "Critical"},
}
IMPACT_LABELS = TIER_LABELS
LIKELIHOOD_LABELS = {
    "low": {"zh": "低", "en": "Low"},
    "medium": {"zh": "中", "en": "Medium"},
    "high": {"zh": "高", "en": "High"},
    "very_high": {"zh": "很高", "en": "Very high"},
}
GRADE_LABELS = {
    "G1": {"zh": "G1 基础", "en": "G1 Baseline"},
    "G2": {"zh": "G2 增强", "en": "G2 Enhanced"},
    "G3": {"zh": "G3 重点", "en": "G3 Key"},
    "G4": {"zh": "G4 特别", "en": "G4 Critical"},
}
MODULE_LABELS = {
    "CSL": {"zh": "网络安全法", "en": "Cybersecurity Law"},
    "DSL": {"zh": "数据安全法", "en": "Data Security Law"},
    "NDS": {"zh": "网络数据安全管理", "en": "Network data security"},
    "PIPL": {"zh": "个人信息保护法", "en": "Personal Information Protection Law"},
    "XBORDER": {"zh": "数据出境", "en": "Cross-border data transfer"},
    "MINORS": {"zh": "未成年人网络保护", "en": "Protection of minors online"},
    "ALGO": {"zh": "算法推荐", "en": "Algorithmic recommendation"},
    "DEEPSYNTH": {"zh": "深度合成", "en": "Deep synthesis"},
    "GENAI": {"zh": "生成式人工智能", "en": "Generative AI"},
    "LABEL": {"zh": "生成合成内容标识", "en": "Labelling of AI-generated content"},
}
LEVEL_LABELS = {
    0: {"zh": "未实施", "en": "Not implemented"},
    1: {"zh": "部分实施", "en": "Partial"},
    2: {"zh": "基本实施", "en": "Largely"},
    3: {"zh": "完全实施", "en": "Fully"},
}
ANSWER_LABELS = {
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    scoring.UNANSWERED: {"zh": "未作答", "en": "Unanswered"},
    scoring.NA_NOT_ALLOWED: {"zh": "不适用（本题不允许）", "en": "N/A (not allowed here)"},
    "none selected": {"zh": "未选择", "en": "None selected"},
}
# A driver capped only for missing evidence met the question's top level: the question's own
# remediation ("keep logs at least six months") would advise what the answer already does.
EVIDENCE_REMEDIATION = {
    "zh": "您的回答已达到要求，但因未附佐证材料，只按“基本实施”计分。请在下次提交前上传佐证材料。",
    "en": "Your answer meets the requirement, but without evidence it counts only as “Largely”. "
    "Attach the evidence before the next submission.",
}
TIER_RANK = {tier: rank for rank, tier in enumerate(scoring.TIERS)}
FINDING_GAP = Decimal("0.001")


# --------------------------------------------------------------------------- storing


def submission_score(submission_id: int) -> ScoreResult | None:
    """Score a submission unless it has a result already; the new result, or None."""
    loaded = scoring_inputs.load_submission_inputs(submission_id, unscored_only=True)
    if loaded is None:
        return None
    submission, inputs = loaded
    stored, created = result_store(submission=submission, result=inputs.score())
    return stored if created else None


@transaction.atomic
def result_store(*, submission: Submission, result: scoring.Result) -> tuple[ScoreResult, bool]:
    """Store a result once per submission: (the stored result, whether this call created it).

    The one-to-one constraint decides between two concurrent deliveries: the loser's insert
    finds the winner's row and it returns that row, writing nothing.
    """
    stored = result_insert(submission=submission, result=result)
    if stored is None:
        return ScoreResult.objects.get(submission=submission), False
    findings_store(stored=stored, result=result)
    if connection.vendor != "postgresql":  # on PostgreSQL findings_store moved it already
        assessment_mark_scored(submission=submission)
    # Written with SQL of our own (no signal): the organisation's cached pages are out of date.
    organisation_id = getattr(submission, "organisation_id", None)  # read with it by the worker
    page_cache.bump_organisations([organisation_id or page_cache.organisation_id_of(submission)])
    return stored, True


def compact_json(value) -> str:
    """JSON for PostgreSQL to parse: Chinese as UTF-8, not six-byte escapes, no spaces."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def result_insert(*, submission: Submission, result: scoring.Result) -> ScoreResult | None:
    """Insert the result row, or return None when the submission already has one."""
    stored = ScoreResult(
        submission=submission,
        overall_tier=result.overall_tier,
        index=None if result.index is None else Decimal(str(result.index)),
        grade=result.grade,
        ruleset_version=result.ruleset_version,
        result=result.to_dict(),
        computed_at=timezone.now(),
    )
    if connection.vendor != "postgresql":
        try:
            with transaction.atomic():
                stored.save(force_insert=True)
        except IntegrityError:
            return None
        return stored
    with connection.cursor() as cursor:
        cursor.execute(RESULT_INSERT, [
            submission.pk, stored.overall_tier, stored.index, stored.grade,
            stored.ruleset_version, compact_json(stored.result), stored.computed_at,
        ])  # fmt: skip
        row = cursor.fetchone()
    if row is None:
        return None
    stored.pk = row[0]
    return stored


# A result can always be recomputed (and the sweep re-enqueues a submission that has none), so
# its transaction need not wait for the disk at commit: set_config(..., true) says so for this
# transaction only, inside the same statement to save a round trip.
RESULT_INSERT = f"""
    INSERT INTO {ScoreResult._meta.db_table}
        (submission_id, overall_tier, index, grade, ruleset_version, result, computed_at)
    SELECT %s, %s, %s, %s, %s, %s::jsonb, %s
    FROM (SELECT set_config('synchronous_commit', 'off', true)) AS this_transaction_only
    ON CONFLICT (submission_id) DO NOTHING
    RETURNING id
"""  # noqa: S608 - only the table name is interpolated, from the model


def findings_store(*, stored: ScoreResult, result: scoring.Result) -> None:
    """One row per question with a gap (N/A questions have none), for statistics.

    On PostgreSQL the same statement also marks the assessment scored (see
    `assessment_mark_scored` for the rule): the worker's hot path in one round trip.
    """
    gaps = [q for q in result.questions if q.level is not None and q.gap > 0]
    if connection.vendor == "postgresql":
        rows = [{"code": q.code, "module": q.module, "level": q.level, "gap": q.gap,
                 "red_line": q.red_line} for q in gaps]  # fmt: skip
        submission = stored.submission
        with connection.cursor() as cursor:
            cursor.execute(FINDINGS_AND_STATUS, [
                stored.pk, compact_json(rows), timezone.now(),
                submission.assessment_id, submission.assessment_id, submission.number,
            ])  # fmt: skip
        return
    Finding.objects.bulk_create(
        Finding(
            result=stored,
            question_code=q.code,
            module=q.module,
            level=q.level,
            gap=Decimal(str(q.gap)).quantize(FINDING_GAP, ROUND_HALF_UP),
            red_line=q.red_line,
        )
        for q in gaps
    )


FINDINGS_AND_STATUS = f"""
    WITH findings AS (
        INSERT INTO {Finding._meta.db_table}
            (result_id, question_code, module, level, gap, red_line)
        SELECT %s, x.code, x.module, x.level, round(x.gap, 3), x.red_line
        FROM jsonb_to_recordset(%s::jsonb)
            AS x(code text, module text, level int, gap numeric, red_line boolean)
    )
    UPDATE {Assessment._meta.db_table} SET status = 'scored', updated_at = %s
    WHERE id = %s AND status IN ('submitted', 'scoring')
      AND NOT EXISTS (
          SELECT 1 FROM {Submission._meta.db_table} later
          WHERE later.assessment_id = %s AND later.number > %s
      )
"""  # noqa: S608 - only table names are interpolated, from the models


def assessment_mark_scored(*, submission: Submission) -> int:
    """Submitted → scored, only if this is still the assessment's latest submission and no
    one has moved it on (a reviewer's decision is never overwritten by a late result)."""
    return (
        Assessment.objects.filter(
            pk=submission.assessment_id,
            status__in=[Assessment.Status.SUBMITTED, Assessment.Status.SCORING],
        )
        .exclude(submissions__number__gt=submission.number)
        .update(status=Assessment.Status.SCORED, updated_at=timezone.now())
    )


def submission_rescore(submission_id: int) -> scoring.Result:
    """Score a stored submission again with the ruleset of its stored result (writes nothing)."""
    stored = ScoreResult.objects.get(submission_id=submission_id)
    ruleset = scoring.ruleset_for(stored.ruleset_version)
    return scoring_inputs.load_submission_inputs(submission_id, ruleset)[1].score()


# --------------------------------------------------------------------------- labels and links


def language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def label(table: dict, code: str | None) -> str:
    if code is None:
        return "—"
    entry = table.get(code)
    return entry[language()] if entry else code


def tier_label(tier: str) -> str:
    return label(TIER_LABELS, tier)


def article_url(regulation: str, article: int) -> str:
    """The regulation library's page for an article (the one place this URL is built)."""
    return f"/regulations/{regulation}/#art-{article}"


def article_label(regulation: str, article: int) -> str:
    return f"{regulation} art. {article}" if language() == "en" else f"{regulation} 第{article}条"


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value * 100)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


# --------------------------------------------------------------------------- presenting


@dataclass(frozen=True)
class TierChange:
    module: str
    name: str
    before: str | None
    after: str | None

    @property
    def direction(self) -> str:
        if self.before is None:
            return "new"
        if self.after is None:
            return "removed"
        change = TIER_RANK[self.after] - TIER_RANK[self.before]
        return "worse" if change > 0 else "better" if change < 0 else "same"

    @property
    def before_label(self) -> str:
        return label(TIER_LABELS, self.before)

    @property
    def after_label(self) -> str:
        return label(TIER_LABELS, self.after)


@dataclass(frozen=True)
class AnswerWords:
    """What a question's answers need from the questionnaire to read as words."""

    answer_type: str
    unit: dict[str, str]  # {"zh": "个", "en": "keywords"}
    choices: dict[str, dict[str, str]]  # value → {"zh": …, "en": …}, in the questionnaire's order


def in_language(pair: dict[str, str]) -> str:
    return pair.get(language()) or pair.get("zh", "")


def answer_label(answer: str, words: AnswerWords | None = None) -> str:
    """A driver's answer in words: "level 2" → 基本实施 / Largely, yes → 是 / Yes, a choice
    key → its label, a number → grouped digits with the question's unit (8000 → 8,000 个)."""
    if answer.startswith("level ") and answer[6:].isdigit():
        return label(LEVEL_LABELS, int(answer[6:]))
    if words is None or answer in (scoring.UNANSWERED, scoring.NA_NOT_ALLOWED, "none selected"):
        return label(ANSWER_LABELS, answer)
    if words.answer_type == Question.AnswerType.NUMBER:
        return number_label(answer, in_language(words.unit))
    labels = {value: in_language(pair) for value, pair in words.choices.items()}
    if words.answer_type == Question.AnswerType.MULTI:
        chosen = set(answer.split(", "))  # scoring joins the sorted keys with ", "
        ordered = [labels[key] for key in labels if key in chosen]
        ordered += sorted(chosen - labels.keys())
        return ("、" if language() == "zh" else ", ").join(ordered)
    return labels.get(answer, answer)


def number_label(answer: str, unit: str) -> str:
    try:
        digits = format(Decimal(answer), ",f")
    except (InvalidOperation, ValueError):
        digits = answer
    return f"{digits} {unit}" if unit else digits


WORD_FIELDS = ("code", "answer_type", "unit_zh", "unit_en") + tuple(
    f"choices__{field}" for field in ("value", "label_zh", "label_en")
)


def answer_words(submission: Submission) -> dict[str, AnswerWords]:
    """By question code, the words for answers that need them (choice labels, units): one
    query whatever the drivers, so the page's query count stays fixed."""
    kinds = [Question.AnswerType.CHOICE, Question.AnswerType.MULTI, Question.AnswerType.NUMBER]
    rows = (
        Question.objects.filter(version_id=submission.version_id, answer_type__in=kinds)
        .order_by("code", "choices__order")
        .values_list(*WORD_FIELDS)
    )
    words: dict[str, AnswerWords] = {}
    for code, kind, unit_zh, unit_en, value, label_zh, label_en in rows:
        entry = words.setdefault(code, AnswerWords(kind, {"zh": unit_zh, "en": unit_en}, {}))
        if value is not None:
            entry.choices[value] = {"zh": label_zh, "en": label_en}
    return words


def citation_links(citations: list[dict]) -> list[dict]:
    """One link per cited article (a question may cite two phrases of the same article)."""
    links: dict[tuple[str, int], dict] = {}
    for c in citations:
        key = (c["regulation"], c["article"])
        if key not in links:
            links[key] = {
                "label": article_label(*key),
                "url": article_url(*key),
                "phrases": [],
            }
        if c.get("phrase"):
            links[key]["phrases"].append(c["phrase"])
    return [{**link, "phrase": " … ".join(link["phrases"])} for link in links.values()]


def deadline_date(driver: dict, submitted_on: dt.date | None) -> dt.date | None:
    """The treatment deadline as a date: the submission day plus the treatment's (calendar)
    days; a period ending on a public holiday or a weekend off ends on the next working day
    of the official calendar (duedates.workdays), where that year's calendar is known.
    Calendar days, not working days, because the method writes them so (methodology §11.9:
    start within 7 days, ≤30 days, ≤90 days; its own proposal, not a legal period)."""
    from duedates import workdays

    days = driver.get("deadline_days")
    if days is None or submitted_on is None:
        return None
    try:
        return workdays.add_calendar_days(submitted_on, days)
    except workdays.CalendarUnknown:
        return submitted_on + dt.timedelta(days=days)


def driver_view(
    driver: dict,
    words: dict[str, AnswerWords] | None = None,
    submitted_on: dt.date | None = None,
) -> dict:
    lang = language()
    return {
        **driver,
        "answer_label": answer_label(driver["answer"], (words or {}).get(driver["question"])),
        "level_label": label(LEVEL_LABELS, driver["level"]),
        "text": driver.get(f"text_{lang}") or driver.get("text_zh", ""),
        "penalty": driver.get(f"penalty_{lang}") or driver.get("penalty_zh", ""),
        "remediation": remediation_for(driver),
        "treatment_label": driver.get(f"treatment_{lang}") or driver.get("treatment", ""),
        "deadline_date": deadline_date(driver, submitted_on),
        "citation_links": citation_links(driver.get("citations", [])),
    }


def remediation_for(driver: dict) -> str:
    """The question's remediation, unless only the missing evidence holds the answer back."""
    if driver.get("evidence_capped"):
        return EVIDENCE_REMEDIATION[language()]
    lang = language()
    return driver.get(f"remediation_{lang}") or driver.get("remediation_zh", "")


def module_view(
    code: str,
    data: dict,
    words: dict[str, AnswerWords] | None = None,
    submitted_on: dt.date | None = None,
) -> dict:
    drivers = [driver_view(d, words, submitted_on) for d in data["drivers"]]
    return {
        "code": code,
        "name": label(MODULE_LABELS, code),
        "tier": data["tier"],
        "tier_label": tier_label(data["tier"]),
        "matrix_tier_label": tier_label(data["matrix_tier"]),
        "likelihood_label": label(LIKELIHOOD_LABELS, data["likelihood"]),
        "impact_label": label(IMPACT_LABELS, data["impact"]),
        "compliance": data["compliance"],
        "compliance_percent": percent(data["compliance"]),
        "overrides": data.get("overrides", []),
        "red_line_count": len(data["red_lines"]),
        "drivers": drivers,
        "na": data.get("na", []),
        "flags": data.get("flags", []),
    }


def overall_reasons(result: dict, modules: list[dict]) -> list[dict]:
    """Why the overall tier is what it is: each module at that tier, and what put it there."""
    reasons = []
    for module in modules:
        if module["tier"] != result["overall_tier"]:
            continue
        override = next((o for o in module["overrides"] if o["floor"] == module["tier"]), None)
        reasons.append({"module": module, "override": override})
    return reasons


def red_line_rows(result: dict, modules: list[dict]) -> list[dict]:
    """Every red-line hit once, with the question text and links from its module's drivers."""
    drivers = {d["question"]: d for m in modules for d in m["drivers"] if d["red_line"]}
    rows = []
    for hit in result.get("red_lines", []):
        driver = drivers.get(hit["question"], {})
        rows.append({**hit, "driver": driver, "floor_label": tier_label(hit["floor"])})
    return rows


def tier_changes(current: dict, previous: dict) -> list[TierChange]:
    now, before = current["modules"], previous["modules"]
    codes = [m for m in scoring.MODULES if m in now or m in before]
    return [
        TierChange(
            module=code,
            name=label(MODULE_LABELS, code),
            before=before[code]["tier"] if code in before else None,
            after=now[code]["tier"] if code in now else None,
        )
        for code in codes
    ]


def comparison(stored: ScoreResult, previous: ScoreResult | None) -> dict | None:
    """The change since the previous scored submission: index delta and tier changes."""
    if previous is None:
        return None
    delta = None
    if stored.index is not None and previous.index is not None:
        delta = stored.index - previous.index
    return {
        "number": previous.submission.number,
        "index_before": previous.index,
        "index_delta": delta,
        "overall_before": previous.overall_tier,
        "overall_before_label": tier_label(previous.overall_tier),
        "changes": tier_changes(stored.result, previous.result),
    }


def previous_result(submission: Submission) -> ScoreResult | None:
    """The result of the latest earlier submission of the same assessment that was scored."""
    return (
        ScoreResult.objects.filter(
            submission__assessment_id=submission.assessment_id,
            submission__number__lt=submission.number,
        )
        .select_related("submission")
        .order_by("-submission__number")
        .first()
    )


def editions_view(submission: Submission) -> list[dict]:
    """The regulation editions the submission was judged against (one query for titles)."""
    from regulations.models import Regulation

    editions = submission.editions or []
    titles = {
        r.code: r
        for r in Regulation.objects.filter(code__in=[e.get("regulation") for e in editions])
    }
    lang = language()
    rows = []
    for edition in editions:
        regulation = titles.get(edition.get("regulation"))
        title = getattr(regulation, f"title_{lang}", "") or getattr(regulation, "title_zh", "")
        rows.append({**edition, "title": title or edition.get("regulation")})
    return rows


def result_context(submission: Submission, stored: ScoreResult | None) -> dict:
    """Everything the result page and the PDF show, from the stored result."""
    if stored is None:
        return {"submission": submission, "stored": None}
    from assessments import charts

    result = stored.result
    words = answer_words(submission)
    submitted_on = timezone.localdate(submission.submitted_at)
    modules = [
        module_view(code, data, words, submitted_on) for code, data in result["modules"].items()
    ]
    return {
        "submission": submission,
        "organisation": submission.assessment.organisation,
        "stored": stored,
        "overall_tier": result["overall_tier"],
        "overall_label": tier_label(result["overall_tier"]),
        "overall_reasons": overall_reasons(result, modules),
        "grade_label": label(GRADE_LABELS, result["grade"]),
        "index": stored.index,
        "modules": modules,
        "red_lines": red_line_rows(result, modules),
        "chart": charts.module_chart_svg(modules, title=gettext("Compliance and tier by module")),
        "comparison": comparison(stored, previous_result(submission)),
        "editions": editions_view(submission),
        "ruleset_version": stored.ruleset_version,
    }
