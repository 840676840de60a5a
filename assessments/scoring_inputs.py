"""Bridge from stored questionnaires and frozen submissions to the pure scoring dataclasses.

Used by the worker (a submission's frozen answers) and by `score_answers` (a JSON document),
so both convert questions and answers the same way.
"""

import datetime as dt
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import F, Prefetch
from django.utils import timezone

from assessments import scoring
from assessments.models import (
    Assessment,
    Choice,
    Citation,
    Question,
    QuestionnaireVersion,
    ScoreResult,
    Submission,
)


@dataclass(frozen=True)
class ScoringInputs:
    questions: tuple[scoring.Question, ...]
    answers: Mapping[str, scoring.Answer]
    scope: scoring.Scope
    ruleset: scoring.Ruleset

    def score(self) -> scoring.Result:
        return scoring.score(self.questions, self.answers, self.scope, self.ruleset)


QUESTION_FIELDS = (
    "id", "code", "answer_type", "weight", "red_line", "na_allowed", "also_modules",
    "thresholds", "text_zh", "text_en", "remediation_zh", "remediation_en", "penalty",
)  # fmt: skip


def scored_questions(version_id: int) -> list[scoring.Question]:
    """Every scored (weighted) question of a version, in questionnaire order: 3 queries.

    Plain values, not model instances: building and prefetching ~100 models per task would
    cost the worker more than the scoring itself.
    """
    rows = list(
        Question.objects.filter(version_id=version_id, weight__isnull=False)
        .order_by("section__order", "order")
        .values(*QUESTION_FIELDS, module=F("section__module"))
    )
    choices, citations = defaultdict(list), defaultdict(list)
    for question_id, value, level in (
        Choice.objects.filter(question__version_id=version_id, level__isnull=False)
        .order_by("question_id", "order")
        .values_list("question_id", "value", "level")
    ):
        choices[question_id].append((value, level))
    for question_id, *citation in (
        Citation.objects.filter(question__version_id=version_id)
        .order_by("question_id", "order")
        .values_list("question_id", "regulation_code", "article_number", "phrase")
    ):
        citations[question_id].append(scoring.Citation(*citation))
    return [build_question(row, choices[row["id"]], citations[row["id"]]) for row in rows]


_cache: OrderedDict[tuple[int, str], tuple[scoring.Question, ...]] = OrderedDict()
_cache_lock = threading.Lock()
CACHED_VERSIONS = 8


def version_questions(version: QuestionnaireVersion) -> tuple[scoring.Question, ...]:
    """The scored questions of a version; kept per process once the version is published.

    A published (or retired) version never changes: a changed questionnaire file is loaded
    as a new version. The key includes the version's content digest all the same.
    """
    key = (version.pk, version.source_sha256)
    cacheable = version.status != QuestionnaireVersion.Status.DRAFT and version.source_sha256
    with _cache_lock:
        if cacheable and key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    questions = tuple(scored_questions(version.pk))
    if cacheable:
        with _cache_lock:
            _cache[key] = questions
            while len(_cache) > CACHED_VERSIONS:
                _cache.popitem(last=False)
    return questions


def forget_cached_questions() -> None:
    with _cache_lock:
        _cache.clear()


def _number(value):
    """Thresholds are stored as JSON numbers; compare them exactly."""
    return None if value is None else Decimal(str(value))


def build_question(
    fields: Mapping, choices: Iterable[tuple[str, int]], citations: Iterable[scoring.Citation]
) -> scoring.Question:
    """A scoring Question from a question's stored fields (QUESTION_FIELDS plus "module")."""
    penalty = fields["penalty"] or {}
    return scoring.Question(
        code=fields["code"],
        module=fields["module"],
        answer_type=fields["answer_type"],
        weight=fields["weight"],
        red_line=fields["red_line"],
        na_allowed=fields["na_allowed"],
        also_modules=tuple(fields["also_modules"] or ()),
        thresholds=tuple(
            scoring.Threshold(
                level=t["level"], min=_number(t.get("min")), max_age_days=t.get("max_age_days")
            )
            for t in fields["thresholds"] or ()
        ),
        choice_levels=tuple(choices),
        citations=tuple(citations),
        text_zh=fields["text_zh"],
        text_en=fields["text_en"],
        remediation_zh=fields["remediation_zh"],
        remediation_en=fields["remediation_en"],
        penalty_zh=_penalty_text(penalty, "zh"),
        penalty_en=_penalty_text(penalty, "en"),
    )


def question_for_scoring(row: Question) -> scoring.Question:
    """The same conversion for a model instance (with choices and citations prefetched).

    Kept on the instance: a loaded version's questions never change, and the per-process
    content cache (assessments/content_cache.py) shares its instances between requests."""
    converted = row.__dict__.get("_scoring_question")
    if converted is None:
        converted = row.__dict__["_scoring_question"] = _question_for_scoring(row)
    return converted


def _question_for_scoring(row: Question) -> scoring.Question:
    fields = {name: getattr(row, name) for name in QUESTION_FIELDS}
    return build_question(
        {**fields, "module": row.section.module},
        [(c.value, c.level) for c in row.choices.all() if c.level is not None],
        [
            scoring.Citation(c.regulation_code, c.article_number, c.phrase)
            for c in row.citations.all()
        ],
    )


def _penalty_text(penalty: Mapping, language: str) -> str:
    text = penalty.get(language) or ""
    if not text or not penalty.get("regulation"):
        return text
    article = penalty.get("article")
    if language == "zh":
        return f"{penalty['regulation']} 第{article}条：{text}" if article else text
    return f"{penalty['regulation']} art. {article}: {text}" if article else text


def answer_from_frozen(frozen: Mapping) -> scoring.Answer:
    """A frozen answer {"level", "value", "na_reason", "comment", "evidence": [sha256…]}."""
    return scoring.Answer(
        level=frozen.get("level"),
        value=frozen.get("value"),
        na_reason=frozen.get("na_reason") or "",
        evidence=bool(frozen.get("evidence")),
    )


def scope_for(*, grade: str, as_of: dt.date, scoping: Mapping) -> scoring.Scope:
    return scoring.Scope(
        grade=grade,
        as_of=as_of,
        raised_impact_modules=frozenset(scoping.get("raised_impact_modules") or ()),
        incident_modules=frozenset(scoping.get("incident_modules") or ()),
    )


def submission_as_of(submission: Submission) -> dt.date:
    """Dates are judged on the day of submission, in the portal's time zone (Asia/Shanghai)."""
    return timezone.localdate(submission.submitted_at)


def inputs_for_submission(
    submission: Submission,
    questions: Iterable[scoring.Question],
    ruleset: scoring.Ruleset | None = None,
) -> ScoringInputs:
    frozen = submission.answers or {}
    questions = tuple(q for q in questions if q.code in frozen)
    return ScoringInputs(
        questions=questions,
        answers={q.code: answer_from_frozen(frozen[q.code]) for q in questions},
        scope=scope_for(
            grade=(submission.scoping or {}).get("grade") or submission.grade,
            as_of=submission_as_of(submission),
            scoping=submission.scoping or {},
        ),
        ruleset=ruleset or scoring.DEFAULT_RULESET,
    )


def load_submission_inputs(
    submission_id: int, ruleset: scoring.Ruleset | None = None, *, unscored_only: bool = False
) -> tuple[Submission, ScoringInputs] | None:
    """A submission and its scoring inputs in 1 query once its questionnaire version is cached
    (4 before), whatever the number of questions.

    The applicable questions are the codes frozen in `Submission.answers` at submit time;
    scoping questions carry no weight and are not scored. With `unscored_only`, a submission
    that already has a result gives None.

    This is the worker's hot path, so it reads one row with plain SQL: the ORM's query
    building and model loading cost more here than the scoring itself.
    """
    with connection.cursor() as cursor:
        cursor.execute(SUBMISSION_ROW, [submission_id])
        row = cursor.fetchone()
    if row is None:
        raise Submission.DoesNotExist(f"no submission {submission_id}")
    submission, scored = submission_from_row(row)
    if unscored_only and scored:
        return None
    questions = version_questions(submission.version)
    return submission, inputs_for_submission(submission, questions, ruleset)


SUBMISSION_ROW = f"""
    SELECT s.id, s.assessment_id, a.organisation_id, s.number, s.grade, s.scoping, s.answers,
           s.submitted_at, v.id, v.status, v.source_sha256,
           EXISTS (SELECT 1 FROM {ScoreResult._meta.db_table} r WHERE r.submission_id = s.id)
    FROM {Submission._meta.db_table} s
    JOIN {Assessment._meta.db_table} a ON a.id = s.assessment_id
    JOIN {QuestionnaireVersion._meta.db_table} v ON v.id = s.version_id
    WHERE s.id = %s
"""  # noqa: S608 - only table names are interpolated, from the models


def _json(value):
    return json.loads(value) if isinstance(value, str | bytes) else value


def submission_from_row(row) -> tuple[Submission, bool]:
    """An unsaved-looking Submission (read only: a submission is never saved twice), with the
    id of its organisation (`organisation_id`, for the page cache once it is scored)."""
    pk, assessment_id, organisation_id, number, grade, scoping, answers, submitted_at, *rest = row
    *version, scored = rest
    if isinstance(submitted_at, str):  # SQLite hands back text
        submitted_at = dt.datetime.fromisoformat(submitted_at)
    if timezone.is_naive(submitted_at):
        submitted_at = timezone.make_aware(submitted_at, dt.UTC)
    version_id, status, digest = version
    submission = Submission(
        id=pk, assessment_id=assessment_id, number=number, grade=grade,
        scoping=_json(scoping), answers=_json(answers), submitted_at=submitted_at,
        version=QuestionnaireVersion(id=version_id, status=status, source_sha256=digest),
    )  # fmt: skip
    submission.organisation_id = organisation_id
    return submission, bool(scored)


# --------------------------------------------------------------------------- answer documents

DOCUMENT_KEYS = {"questionnaire", "version", "scoping", "answers", "as_of"}
ANSWER_KEYS = {"level", "value", "na", "evidence", "comment"}


class DocumentInvalid(Exception):
    """An answer document with problems, each "path: message" (e.g. answers.CSL-01.level: …)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class DocumentInputs:
    inputs: ScoringInputs
    notes: tuple[str, ...]  # answers ignored or missing: worth telling, not errors


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _show(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _choice_problem(path: str, row: Question, value, *, multi: bool) -> str | None:
    allowed = [c.value for c in row.choices.all()]
    listed = ", ".join(allowed)
    if not multi:
        ok = isinstance(value, str) and value in allowed
        return None if ok else f"{path}: must be one of {listed}, not {_show(value)}"
    if not isinstance(value, list):
        return f"{path}: must be a list of choices among {listed}, not {_show(value)}"
    unknown = [v for v in value if not isinstance(v, str) or v not in allowed]
    return f"{path}: unknown choice(s) {_show(unknown)}; choose among {listed}" if unknown else None


def value_problem(path: str, row: Question, value) -> str | None:
    """Why `value` is not a valid answer to a yes/no, number, date or choice question."""
    kind = row.answer_type
    if kind == "yesno" and not isinstance(value, bool):
        return f"{path}: must be true or false, not {_show(value)}"
    if kind == "number" and not (_is_number(value) and value >= 0):
        return f"{path}: must be a number of at least 0, not {_show(value)}"
    if kind == "date":
        try:
            dt.date.fromisoformat(value if isinstance(value, str) else "")
        except ValueError:
            return f"{path}: must be a date as YYYY-MM-DD, not {_show(value)}"
    if kind in ("choice", "multi"):
        return _choice_problem(path, row, value, multi=kind == "multi")
    return None


def answer_problems(code: str, row: Question, data) -> list[str]:
    path = f"answers.{code}"
    if not isinstance(data, Mapping):
        return [f'{path}: must be an object such as {{"level": 3, "evidence": true}}']
    problems = [f"{path}.{key}: unknown key" for key in sorted(set(data) - ANSWER_KEYS)]
    if "evidence" in data and not isinstance(data["evidence"], bool):
        problems.append(f"{path}.evidence: must be true or false, not {_show(data['evidence'])}")
    if "na" in data:
        reason = data["na"]
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{path}.na: must be the reason it does not apply (text)")
        if "level" in data or "value" in data:
            problems.append(f"{path}: give either na or an answer, not both")
        return problems
    key = "level" if row.answer_type == "level" else "value"
    wrong = "value" if key == "level" else "level"
    if wrong in data:
        problems.append(f'{path}.{wrong}: a {row.answer_type} question takes "{key}"')
    if key not in data:
        return problems + [f'{path}: needs "{key}" (or "na" with a reason)']
    if key == "level":
        level = data["level"]
        if not (_is_int(level) and 0 <= level <= 3):
            problems.append(f"{path}.level: must be 0, 1, 2 or 3, not {_show(level)}")
        return problems
    problem = value_problem(f"{path}.value", row, data["value"])
    return problems + ([problem] if problem else [])


def scoping_problems(scoping, rows: Mapping[str, Question]) -> list[str]:
    if not isinstance(scoping, Mapping):
        return ['scoping: must be an object such as {"S01": "domestic"}']
    problems = []
    for code, value in scoping.items():
        row = rows.get(code)
        if row is None:
            problems.append(f"scoping.{code}: no such scoping question")
        elif value is not None:
            problem = value_problem(f"scoping.{code}", row, value)
            problems += [problem] if problem else []
    return problems


def document_version(document: Mapping):
    from assessments.models import QuestionnaireVersion

    code, number = document.get("questionnaire"), document.get("version")
    problems = []
    if not isinstance(code, str) or not code:
        problems.append("questionnaire: must be the questionnaire's code, e.g. AIDC-SELF")
    if not _is_int(number) or number < 1:
        problems.append(f"version: must be a version number (1, 2, …), not {_show(number)}")
    if problems:
        raise DocumentInvalid(problems)
    version = QuestionnaireVersion.objects.filter(questionnaire__code=code, number=number).first()
    if version is None:
        raise DocumentInvalid([f"version: questionnaire {code} has no version {number}"])
    return version


def document_as_of(document: Mapping, default: dt.date) -> dt.date:
    if "as_of" not in document:
        return default
    try:
        return dt.date.fromisoformat(document["as_of"])
    except (TypeError, ValueError):
        raise DocumentInvalid(
            [f"as_of: must be a date as YYYY-MM-DD, not {_show(document['as_of'])}"]
        ) from None


def document_answer(data: Mapping) -> scoring.Answer:
    return scoring.Answer(
        level=data.get("level"),
        value=data.get("value"),
        na_reason=data.get("na") or "",
        evidence=bool(data.get("evidence")),
    )


def inputs_from_document(document, *, as_of: dt.date) -> DocumentInputs:
    """Validate an answer document and turn it into scoring inputs (reads only).

    Scoping answers go through the version's rules (grade, modules, raised impact, incident
    modules); the applicable questions follow from them. Every problem is reported at once.
    """
    from assessments import rules
    from assessments.scoping import applies

    if not isinstance(document, Mapping):
        raise DocumentInvalid(["(document): must be a JSON object"])
    problems = [f"{key}: unknown key" for key in sorted(set(document) - DOCUMENT_KEYS)]
    version = document_version(document)
    as_of = document_as_of(document, as_of)
    all_rows = list(
        Question.objects.filter(version=version)
        .select_related("section")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order")),
            Prefetch("citations", queryset=Citation.objects.order_by("order")),
        )
    )
    scoping_rows = {r.code: r for r in all_rows if r.is_scoping}
    scored_rows = {r.code: r for r in all_rows if not r.is_scoping}
    scoping = document.get("scoping", {})
    answers = document.get("answers", {})
    problems += scoping_problems(scoping, scoping_rows)
    if not isinstance(answers, Mapping):
        problems.append('answers: must be an object such as {"CSL-01": {"level": 3}}')
        answers = {}
    for code, data in answers.items():
        row = scored_rows.get(code)
        if row is None:
            where = f"{version.questionnaire.code} v{version.number}"
            problems.append(f"answers.{code}: no such scored question in {where}")
        else:
            problems += answer_problems(code, row, data)
    if problems:
        raise DocumentInvalid(problems)
    outcome = rules.derive_scoping(
        version.rules, {k: v for k, v in scoping.items() if v is not None}
    )
    applicable = [row for row in scored_rows.values() if applies(row, outcome)]
    codes = {row.code for row in applicable}
    notes = [
        f"answers.{code}: ignored, the question does not apply to this scoping"
        for code in answers
        if code not in codes
    ]
    notes += [
        f"answers.{code}.na: N/A is not allowed for this question; scored as level 0"
        for code, row in scored_rows.items()
        if code in codes and code in answers and "na" in answers[code] and not row.na_allowed
    ]
    missing = sorted(codes - set(answers))
    if missing:
        notes.append(f"unanswered, scored as level 0: {', '.join(missing)}")
    inputs = ScoringInputs(
        questions=tuple(question_for_scoring(row) for row in applicable),
        answers={code: document_answer(answers[code]) for code in codes & set(answers)},
        scope=scope_for(
            grade=outcome.grade,
            as_of=as_of,
            scoping={
                "raised_impact_modules": outcome.raised_impact_modules,
                "incident_modules": outcome.incident_modules,
            },
        ),
        ruleset=scoring.DEFAULT_RULESET,
    )
    return DocumentInputs(inputs, tuple(notes))
