import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.loading import QuestionnaireInvalid, questionnaire_load, questionnaire_problems
from assessments.models import Citation, Question, QuestionnaireVersion
from tests.assessments.factories import ensure_test_regulation, small_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulation():
    return ensure_test_regulation()


def counts():
    return QuestionnaireVersion.objects.count(), Question.objects.count(), Citation.objects.count()


def test_a_valid_spec_loads_every_question(regulation):
    outcome = questionnaire_load(small_spec())
    assert outcome.status == "created"
    assert outcome.version.status == "published"
    assert list(outcome.version.questions.values_list("code", flat=True)) == [
        "S01",
        "S02",
        "CSL-01",
        "CSL-02",
        "CSL-03",
        "PIPL-01",
        "PIPL-02",
    ]
    csl01 = outcome.version.questions.get(code="CSL-01")
    assert (csl01.weight, csl01.red_line, csl01.na_allowed, csl01.evidence_from) == (
        5,
        True,
        False,
        "G2",
    )


def test_reloading_the_same_file_changes_nothing(regulation):
    questionnaire_load(small_spec())
    before = counts()
    assert questionnaire_load(small_spec()).status == "unchanged"
    assert counts() == before


def test_a_changed_published_version_in_use_is_refused(regulation, organisation, org_owner):
    from tests.assessments.factories import start_assessment

    questionnaire_load(small_spec())
    start_assessment(organisation, org_owner)
    changed = small_spec()
    changed["title"]["en"] = "Changed"
    with pytest.raises(QuestionnaireInvalid, match="new version number"):
        questionnaire_load(changed)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda s: s["sections"][1]["questions"].append(dict(s["sections"][1]["questions"][0])),
            "CSL-01: code used 2 times",
        ),
        (
            lambda s: s["sections"].append(
                {"module": "XYZ", "title": {"zh": "x", "en": "x"}, "questions": []}
            ),
            "section XYZ: unknown module",
        ),
        (
            lambda s: s["sections"][1]["questions"][0].update(code="PIPL-09"),
            "PIPL-09: code does not match the CSL section",
        ),
        (
            lambda s: s["sections"][1]["questions"][0].update(weight=4),
            "CSL-01: weight must be 1, 2, 3 or 5",
        ),
        (
            lambda s: s["sections"][1]["questions"][0]["text"].update(en=""),
            "CSL-01: text needs both zh and en",
        ),
        (
            lambda s: s["sections"][1]["questions"][0].update(citations=[]),
            "CSL-01: a scored question needs at least one citation",
        ),
        (
            lambda s: s["sections"][1]["questions"][0].update(
                applies_when={"fact": "S99", "op": "eq", "value": 1}
            ),
            "S99",
        ),
        (
            lambda s: s["sections"][1]["questions"][0]["citations"][0].update(article=11),
            "CSL-01: citation TST 第11条: the regulation has only 10 articles",
        ),
        (
            lambda s: s["sections"][1]["questions"][0]["citations"][0].update(regulation="NOPE"),
            "CSL-01: citation NOPE 第1条: unknown regulation",
        ),
        (
            lambda s: s["sections"][1]["questions"][2].update(thresholds=[]),
            "CSL-03: a number question needs thresholds",
        ),
    ],
)
def test_every_problem_is_reported_with_the_question_code_and_nothing_is_written(
    regulation, mutate, expected
):
    spec = small_spec()
    mutate(spec)
    problems = questionnaire_problems(spec)
    assert any(expected in problem for problem in problems), problems
    with pytest.raises(QuestionnaireInvalid):
        questionnaire_load(spec)
    assert counts() == (0, 0, 0)


def test_the_command_reports_problems_and_writes_nothing(regulation, tmp_path):
    spec = small_spec()
    spec["sections"][1]["questions"][0]["weight"] = 7
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="CSL-01: weight must be 1, 2, 3 or 5"):
        call_command("load_questionnaire", str(path))
    assert counts() == (0, 0, 0)


def test_the_command_refuses_broken_yaml_with_the_line(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("code: X\nsections: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"q.yaml:\d+: not valid YAML"):
        call_command("load_questionnaire", str(path))


def test_the_command_refuses_a_non_utf8_file(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_bytes("标题: 问卷".encode("gbk"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("load_questionnaire", str(path))


def test_export_prints_every_field(regulation, capsys):
    questionnaire_load(small_spec())
    call_command("export_questionnaire", "--version", "1")
    data = json.loads(capsys.readouterr().out)
    assert (data["code"], data["version"]) == ("TEST-Q", 1)
    csl = next(s for s in data["sections"] if s["module"] == "CSL")
    first = csl["questions"][0]
    assert first["code"] == "CSL-01"
    assert first["citations"] == [{"regulation": "TST", "article": 1, "phrase": ""}]
    assert (first["weight"], first["red_line"], first["na_allowed"]) == (5, True, False)
    assert first["remediation"] == {"zh": "整改", "en": "Fix it"}
    assert csl["questions"][2]["thresholds"][0] == {"min": 6, "level": 3}
    assert data["modules"]["CSL"][0]["when"] == {"fact": "S01", "op": "eq", "value": "domestic"}


def test_export_without_a_questionnaire_says_how_to_load_one():
    with pytest.raises(CommandError, match="load_questionnaire"):
        call_command("export_questionnaire")
