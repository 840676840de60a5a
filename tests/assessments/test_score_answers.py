"""`manage.py score_answers FILE`: scores a JSON answer document, prints JSON, writes nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import results
from assessments.models import Question
from tests.assessments.results_support import (
    BUNDLED_SCOPING,
    answer_at,
    bundled_questionnaire,
    make_submission,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return bundled_questionnaire()


def full_document(version, level=3, **overrides):
    """Every question the bundled scoping makes applicable, answered at `level` with evidence."""
    from assessments import rules
    from assessments.scoping import applies

    outcome = rules.derive_scoping(version.rules, BUNDLED_SCOPING)
    rows = Question.objects.filter(version=version, weight__isnull=False)
    rows = rows.select_related("section").prefetch_related("choices")
    answers = {}
    for row in rows:
        if applies(row, outcome):
            answers[row.code] = {**answer_at(row, level, timezone.localdate()), "evidence": True}
    answers.update(overrides)
    return {
        "questionnaire": "AIDC-SELF",
        "version": 1,
        "scoping": BUNDLED_SCOPING,
        "answers": answers,
    }


def run(tmp_path, document, capsys=None):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("score_answers", str(path))
    return json.loads(capsys.readouterr().out) if capsys else None


def test_it_prints_the_result_as_json(version, tmp_path, capsys):
    output = run(tmp_path, full_document(version), capsys)
    assert set(output) >= {"overall_tier", "index", "modules", "grade", "ruleset_version"}
    assert (output["grade"], output["index"], output["ruleset_version"]) == ("G3", 100.0, "2026.1")
    assert list(output["modules"]) == ["CSL", "DSL", "PIPL", "ALGO", "DEEPSYNTH", "GENAI", "LABEL"]
    pipl = output["modules"]["PIPL"]
    assert set(pipl) >= {"tier", "likelihood", "impact", "compliance", "red_lines", "drivers"}
    # G3 starts at high impact; minors and 500k+ sensitive PI raise PIPL to critical.
    assert (pipl["impact"], pipl["likelihood"], pipl["compliance"]) == ("critical", "low", 1.0)
    assert output["modules"]["CSL"]["impact"] == "high"
    assert output["overall_tier"] == "medium"


def test_a_red_line_at_zero_makes_its_module_critical_and_leads_the_drivers(
    version, tmp_path, capsys
):
    document = full_document(version, **{"CSL-01": {"level": 0, "evidence": True}})
    output = run(tmp_path, document, capsys)
    csl = output["modules"]["CSL"]
    assert (output["overall_tier"], csl["tier"]) == ("critical", "critical")
    assert csl["drivers"][0]["question"] == "CSL-01"
    assert csl["drivers"][0]["citations"] == [
        {"regulation": "CSL", "article": 23, "phrase": "国家实行网络安全等级保护制度"}
    ]
    assert csl["red_lines"] == [
        {"question": "CSL-01", "module": "CSL", "modules": ["CSL"], "level": 0, "floor": "critical"}
    ]


def test_missing_evidence_caps_a_level_at_two(version, tmp_path, capsys):
    document = full_document(version, **{"CSL-01": {"level": 3}})
    output = run(tmp_path, document, capsys)
    driver = output["modules"]["CSL"]["drivers"][0]
    assert (driver["question"], driver["level"], driver["evidence_capped"]) == ("CSL-01", 2, True)


def test_an_na_answer_is_listed_and_left_out_of_the_denominator(version, tmp_path, capsys):
    allowed = Question.objects.filter(version=version, na_allowed=True, weight__isnull=False)
    code = next(q.code for q in allowed if q.code in full_document(version)["answers"])
    output = run(tmp_path, full_document(version, **{code: {"na": "不涉及该业务"}}), capsys)
    module = output["modules"][code.split("-")[0]]
    assert module["na"] == [
        {"question": code, "red_line": False, "reason": "不涉及该业务", "accepted": True}
    ]
    assert module["compliance"] == 1.0


def test_an_na_on_a_question_that_forbids_it_scores_zero_and_says_so(version, tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(full_document(version, **{"PIPL-07": {"na": "不适用"}})))
    out, err = io.StringIO(), io.StringIO()
    call_command("score_answers", str(path), stdout=out, stderr=err)
    output = json.loads(out.getvalue())
    assert "answers.PIPL-07.na: N/A is not allowed for this question" in err.getvalue()
    na = output["modules"]["PIPL"]["na"]
    assert na == [{"question": "PIPL-07", "red_line": False, "reason": "不适用", "accepted": False}]
    assert output["modules"]["PIPL"]["drivers"][0]["answer"] == "n/a (not allowed)"


def test_the_output_is_the_same_as_the_workers_for_the_same_answers(
    version, organisation, tmp_path, capsys
):
    document = full_document(version, 2, **{"PIPL-01": {"level": 1, "evidence": True}})
    output = run(tmp_path, document, capsys)
    frozen = {
        code: {**{k: v for k, v in data.items() if k != "evidence"}}
        for code, data in document["answers"].items()
    }
    submission = make_submission(organisation, version, BUNDLED_SCOPING, answers=frozen, level=2)
    stored = results.submission_score(submission.pk)
    assert output == stored.result


def test_it_writes_nothing(version, tmp_path, capsys):
    with CaptureQueriesContext(connection) as queries:
        run(tmp_path, full_document(version), capsys)
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert set(statements) == {"SELECT"}


def test_the_same_document_always_prints_the_same_result(version, tmp_path, capsys):
    document = full_document(version, 1)
    assert run(tmp_path, document, capsys) == run(tmp_path, document, capsys)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"answers": {"CSL-01": {"level": 7}}},
            "answers.CSL-01.level: must be 0, 1, 2 or 3, not 7",
        ),
        (
            {"answers": {"CSL-01": {"level": "3"}}},
            'answers.CSL-01.level: must be 0, 1, 2 or 3, not "3"',
        ),
        (
            {"answers": {"CSL-01": {"level": True}}},
            "answers.CSL-01.level: must be 0, 1, 2 or 3, not true",
        ),
        ({"answers": {"CSL-01": 3}}, "answers.CSL-01: must be an object"),
        ({"answers": {"CSL-01": {"evidence": True}}}, 'answers.CSL-01: needs "level"'),
        (
            {"answers": {"CSL-01": {"level": 3, "evidence": "yes"}}},
            "answers.CSL-01.evidence: must be true or false",
        ),
        (
            {"answers": {"CSL-01": {"level": 3, "colour": "red"}}},
            "answers.CSL-01.colour: unknown key",
        ),
        ({"answers": {"CSL-01": {"na": " "}}}, "answers.CSL-01.na: must be the reason"),
        (
            {"answers": {"CSL-01": {"na": "x", "level": 1}}},
            "answers.CSL-01: give either na or an answer",
        ),
        (
            {"answers": {"CSL-04": {"level": 3}}},
            'answers.CSL-04.level: a number question takes "value"',
        ),
        (
            {"answers": {"CSL-04": {"value": -1}}},
            "answers.CSL-04.value: must be a number of at least 0, not -1",
        ),
        (
            {"answers": {"CSL-08": {"value": "yes"}}},
            'answers.CSL-08.value: must be true or false, not "yes"',
        ),
        (
            {"answers": {"CSL-09": {"value": "2025-13-01"}}},
            "answers.CSL-09.value: must be a date as YYYY-MM-DD",
        ),
        (
            {"answers": {"ALGO-01": {"value": "maybe"}}},
            "answers.ALGO-01.value: must be one of filed_on_time, filed_late, in_progress, "
            'not_filed, not "maybe"',
        ),
        (
            {"answers": {"XYZ-01": {"level": 3}}},
            "answers.XYZ-01: no such scored question in AIDC-SELF v1",
        ),
        ({"answers": {"S01": {"level": 3}}}, "answers.S01: no such scored question"),
        (
            {"scoping": {"S01": "mars"}},
            'scoping.S01: must be one of domestic, abroad_targeting, neither, not "mars"',
        ),
        ({"scoping": {"S06": ["biometric", "tea"]}}, 'scoping.S06: unknown choice(s) ["tea"]'),
        ({"scoping": {"S99": 1}}, "scoping.S99: no such scoping question"),
        ({"version": 9}, "version: questionnaire AIDC-SELF has no version 9"),
        ({"version": "1"}, 'version: must be a version number (1, 2, …), not "1"'),
        ({"questionnaire": None}, "questionnaire: must be the questionnaire's code"),
        ({"colour": "red"}, "colour: unknown key"),
        ({"as_of": "soon"}, 'as_of: must be a date as YYYY-MM-DD, not "soon"'),
    ],
)
def test_a_malformed_document_is_refused_with_the_path_of_the_bad_value(
    version, tmp_path, change, problem
):
    document = {
        "questionnaire": "AIDC-SELF",
        "version": 1,
        "scoping": {"S01": "domestic"},
        "answers": {},
    }
    for key, value in change.items():
        document[key] = (
            {**document[key], **value}
            if isinstance(value, dict) and key in ("answers", "scoping")
            else value
        )
    with pytest.raises(CommandError) as error:
        run(tmp_path, document)
    assert problem in str(error.value)


def test_every_problem_is_reported_at_once(version, tmp_path):
    document = {
        "questionnaire": "AIDC-SELF",
        "version": 1,
        "scoping": {"S01": "mars"},
        "answers": {"CSL-01": {"level": 7}, "CSL-02": {"level": -1}},
    }
    with pytest.raises(CommandError) as error:
        run(tmp_path, document)
    assert "3 problem(s)" in str(error.value)


def test_a_file_that_is_not_json_is_refused_with_the_line(version, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('{"questionnaire": "AIDC-SELF",\n "version": 1,,}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"answers.json:2:\d+: not valid JSON"):
        call_command("score_answers", str(path))


def test_dates_are_judged_on_the_documents_as_of_day(version, tmp_path, capsys):
    document = full_document(version, **{"CSL-09": {"value": "2025-01-01", "evidence": True}})
    document["scoping"] = {**BUNDLED_SCOPING, "S02": "designated"}
    document["as_of"] = "2025-06-01"
    fresh = run(tmp_path, document, capsys)
    document["as_of"] = "2027-06-01"
    stale = run(tmp_path, document, capsys)
    assert "CSL-09" not in [d["question"] for d in fresh["modules"]["CSL"]["drivers"]]
    assert stale["modules"]["CSL"]["drivers"][0]["question"] == "CSL-09"
