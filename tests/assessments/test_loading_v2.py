"""The fields questionnaire version 2 added: each validation rule, storage, export, bundled load.

The specs are synthetic: version 1 is the small test questionnaire, version 2 is derived from
it here (some questions carried, one changed, one removed, some new).
"""

import copy
import datetime
import json

import pytest
import yaml
from django.core.management import call_command

from assessments.exporting import questionnaire_export
from assessments.loading import QuestionnaireInvalid, questionnaire_load, questionnaire_problems
from assessments.models import Citation, Question, QuestionnaireVersion
from tests.assessments.factories import bi, ensure_test_regulation, level_question, small_spec

pytestmark = pytest.mark.django_db

POLICY = bi(
    "红线：备案关口、核心禁止、直接罚款或暂停。", "Red lines: filing gates, prohibitions, fines."
)
BASIS = {"kind": "direct_fine", "regulation": "TST", "article": 2, "phrase": "处罚款"}


def v2_spec() -> dict:
    """Version 2 of the small questionnaire: S01, S02, CSL-01, PIPL-01 and PIPL-02 carry;
    CSL-02 changes from yes/no to a level; CSL-03 is removed; CSL-03 and PIPL-03 are new."""
    spec = small_spec()
    spec |= {
        "version": 2,
        "in_force_on": "2026-01-01",
        "red_line_policy": POLICY,
        "upgrade_from": 1,
        "removed": [{"code": "CSL-03", "reason": bi("并入 CSL-02", "Merged into CSL-02")}],
    }
    scoping, csl, pipl = (section["questions"] for section in spec["sections"])
    for question in scoping + pipl:
        question["upgrade"] = {"from": question["code"], "carry": True}
    csl01, csl02, _csl03 = csl
    csl01 |= {"upgrade": {"from": "CSL-01", "carry": True}, "red_line_basis": dict(BASIS)}
    csl02 |= {
        "type": "level",
        "upgrade": {
            "from": "CSL-02",
            "carry": False,
            "reason": bi("改为实施程度", "Now asks how far it is in place"),
        },
        "standards": [{"name": bi("GB/T 35273", "GB/T 35273"), "note": bi("参考", "Guidance")}],
        "references": [
            {"name": bi("网络安全审查办法", "Cybersecurity Review Measures"), "date": "2021-12-28"}
        ],
    }
    csl[2] = level_question("CSL-03")
    pipl.append(level_question("PIPL-03"))
    return spec


@pytest.fixture
def v1(db):
    ensure_test_regulation()
    return questionnaire_load(small_spec()).version


def problems_of(spec, **kwargs) -> list[str]:
    return questionnaire_problems(spec, **kwargs)


def question(spec, code) -> dict:
    return next(q for s in spec["sections"] for q in s["questions"] if q["code"] == code)


# --------------------------------------------------------------------------- a valid version 2


def test_a_valid_version_2_loads_and_stores_the_new_fields(v1):
    version = questionnaire_load(v2_spec()).version
    assert (version.status, version.upgrade_from, version.in_force_on) == (
        "published",
        1,
        datetime.date(2026, 1, 1),
    )
    assert version.red_line_policy == POLICY
    assert version.removed == [
        {"code": "CSL-03", "reason": bi("并入 CSL-02", "Merged into CSL-02")}
    ]
    csl01 = version.questions.get(code="CSL-01")
    assert csl01.red_line_basis == {**BASIS, "edition_effective": None}
    assert csl01.upgrade == {"from": "CSL-01", "carry": True}
    csl02 = version.questions.get(code="CSL-02")
    assert csl02.upgrade["reason"]["en"] == "Now asks how far it is in place"
    assert csl02.standards[0]["name"]["zh"] == "GB/T 35273"
    assert csl02.references == [
        {"name": bi("网络安全审查办法", "Cybersecurity Review Measures"), "date": "2021-12-28"}
    ]
    assert version.questions.get(code="PIPL-03").upgrade is None
    v1.refresh_from_db()
    assert v1.status == "retired"


def test_version_1_without_the_new_fields_still_loads(v1):
    assert v1.questions.count() == 7
    assert v1.red_line_policy == {} and v1.upgrade_from is None
    assert set(Question.objects.filter(version=v1).values_list("upgrade", flat=True)) == {None}


# --------------------------------------------------------------------------- top level


def test_in_force_on_must_be_a_date(v1):
    spec = v2_spec()
    spec["in_force_on"] = "1 January 2026"
    assert "questionnaire: in_force_on must be a date written YYYY-MM-DD" in problems_of(spec)


def test_a_red_line_basis_needs_the_policy(v1):
    spec = v2_spec()
    del spec["red_line_policy"]
    assert any("red_line_policy is required" in p for p in problems_of(spec))


def test_the_policy_needs_both_languages(v1):
    spec = v2_spec()
    spec["red_line_policy"] = {"zh": "只有中文"}
    assert "questionnaire: red_line_policy needs both zh and en text" in problems_of(spec)


def test_upgrade_from_must_name_an_earlier_version(v1):
    spec = v2_spec()
    spec["upgrade_from"] = 2
    assert "questionnaire: upgrade_from must be the number of an earlier version" in problems_of(
        spec
    )


def test_upgrade_from_a_version_not_loaded_is_a_problem(db):
    ensure_test_regulation()
    problems = problems_of(v2_spec())
    assert problems == [
        "questionnaire: upgrade_from names version 1, which is not loaded; load it first"
    ]


def test_question_upgrades_without_upgrade_from_are_a_problem(v1):
    spec = v2_spec()
    del spec["upgrade_from"]
    problems = problems_of(spec)
    assert "questionnaire: questions name an upgrade but upgrade_from is missing" in problems
    assert "questionnaire: removed needs upgrade_from (the version it removes from)" in problems


# --------------------------------------------------------------------------- red-line basis


def test_a_red_line_without_a_basis_is_a_problem_when_the_file_has_a_policy(v1):
    spec = v2_spec()
    del question(spec, "CSL-01")["red_line_basis"]
    assert problems_of(spec) == [
        "CSL-01: a red line needs a red_line_basis (the file has a red-line policy)"
    ]


def test_a_basis_on_a_question_that_is_not_a_red_line_is_a_problem(v1):
    spec = v2_spec()
    question(spec, "PIPL-01")["red_line_basis"] = dict(BASIS)
    assert "PIPL-01: red_line_basis is only for red lines (this question is not one)" in (
        problems_of(spec)
    )


def test_a_basis_kind_must_be_known(v1):
    spec = v2_spec()
    question(spec, "CSL-01")["red_line_basis"]["kind"] = "serious"
    assert problems_of(spec)[0].startswith("CSL-01: red_line_basis kind must be one of")


@pytest.mark.parametrize(
    "kind, phrase",
    [
        ("direct_fine", "责令改正"),
        ("suspension", "处罚款"),
        ("filing_gate", "不得提供"),
        ("core_prohibition", "应当备案"),
    ],
)
def test_a_basis_phrase_must_contain_a_word_of_its_kind(v1, kind, phrase):
    spec = v2_spec()
    question(spec, "CSL-01")["red_line_basis"] |= {"kind": kind, "phrase": phrase}
    problems = problems_of(spec)
    assert len(problems) == 1 and problems[0].startswith(f"CSL-01: a {kind} red_line_basis"), (
        problems
    )


@pytest.mark.parametrize(
    "kind, phrase",
    [
        ("suspension", "责令暂停相关业务"),
        ("filing_gate", "履行备案手续"),
        ("core_prohibition", "不得"),
    ],
)
def test_a_basis_phrase_with_a_word_of_its_kind_passes(v1, kind, phrase):
    spec = v2_spec()
    question(spec, "CSL-01")["red_line_basis"] |= {"kind": kind, "phrase": phrase}
    assert problems_of(spec) == []


def test_a_basis_needs_a_phrase(v1):
    spec = v2_spec()
    question(spec, "CSL-01")["red_line_basis"]["phrase"] = " "
    assert problems_of(spec) == ["CSL-01: red_line_basis needs a verbatim phrase from the article"]


def test_a_basis_article_beyond_the_regulation_is_a_problem(v1):
    spec = v2_spec()
    question(spec, "CSL-01")["red_line_basis"]["article"] = 11  # TST has 10 articles
    assert problems_of(spec) == [
        "CSL-01: red_line_basis TST 第11条: the regulation has only 10 articles"
    ]


# --------------------------------------------------------------------------- official text


@pytest.fixture
def two_editions(db):
    """Regulation TXT: article 1 reads differently before and from 2026-01-01."""
    from tests.regulations.factories import ArticleFactory, EditionFactory, RegulationFactory

    regulation = RegulationFactory(code="TXT", article_count=1)
    old = EditionFactory(regulation=regulation, effective_from=datetime.date(2017, 6, 1))
    ArticleFactory(edition=old, number=1, text="违反本条规定的，责令改正。")
    new = EditionFactory(regulation=regulation, effective_from=datetime.date(2026, 1, 1))
    ArticleFactory(edition=new, number=1, text="违反本条规定的，处十万元以上罚款。")
    return regulation


def with_txt_citations(spec, phrase="处十万元以上罚款"):
    target = question(spec, "CSL-01")
    target["citations"] = [{"regulation": "TXT", "article": 1, "phrase": phrase}]
    target["red_line_basis"] = {
        "kind": "direct_fine",
        "regulation": "TXT",
        "article": 1,
        "phrase": phrase,
    }
    return spec


def test_citations_are_checked_in_the_editions_in_force_on_the_files_date(v1, two_editions):
    spec = with_txt_citations(v2_spec())
    assert problems_of(spec) == []
    spec["in_force_on"] = "2025-06-01"
    problems = problems_of(spec)
    assert "is not in the article in force on 2025-06-01" in problems[0]
    assert any(p.startswith("CSL-01: red_line_basis TXT 第1条") for p in problems), problems


def test_a_basis_phrase_not_in_its_article_is_a_problem(v1, two_editions):
    spec = with_txt_citations(v2_spec())
    spec_basis = question(spec, "CSL-01")["red_line_basis"]
    spec_basis["phrase"] = "处五万元罚款"
    problems = problems_of(spec)
    assert problems == [
        "CSL-01: red_line_basis TXT 第1条: the phrase '处五万元罚款' is not in the article in "
        "force on 2026-01-01"
    ]


def test_each_citation_records_the_edition_it_was_verified_against(v1, two_editions):
    version = questionnaire_load(with_txt_citations(v2_spec())).version
    csl01 = version.questions.get(code="CSL-01")
    assert list(csl01.citations.values_list("edition_effective", flat=True)) == [
        datetime.date(2026, 1, 1)
    ]
    assert csl01.red_line_basis["edition_effective"] == "2026-01-01"
    # No text was imported for TST: nothing to record.
    assert set(
        Citation.objects.filter(question__version=version, regulation_code="TST").values_list(
            "edition_effective", flat=True
        )
    ) == {None}


# --------------------------------------------------------------------------- standards, references


def test_a_standard_needs_a_name_and_a_note_in_both_languages(v1):
    spec = v2_spec()
    question(spec, "CSL-02")["standards"] = [{"name": bi("GB/T 35273", "GB/T 35273")}]
    assert problems_of(spec) == ["CSL-02 standard 1: note needs both zh and en text"]


def test_a_reference_needs_a_date(v1):
    spec = v2_spec()
    question(spec, "CSL-02")["references"][0]["date"] = "2021"
    assert problems_of(spec) == ["CSL-02 reference 1: date must be written YYYY-MM-DD"]


# --------------------------------------------------------------------------- the upgrade map


def test_upgrade_from_must_name_a_question_of_the_earlier_version(v1):
    spec = v2_spec()
    question(spec, "PIPL-03")["upgrade"] = {"from": "PIPL-09", "carry": True}
    assert problems_of(spec) == ["PIPL-03: upgrade from PIPL-09: not a question of version 1"]


def test_a_changed_question_needs_a_reason(v1):
    spec = v2_spec()
    del question(spec, "CSL-02")["upgrade"]["reason"]
    assert problems_of(spec) == [
        "CSL-02: upgrade from CSL-02 without carry: reason needs both zh and en text"
    ]


def test_carry_must_be_true_or_false(v1):
    spec = v2_spec()
    question(spec, "PIPL-01")["upgrade"]["carry"] = "yes"
    assert problems_of(spec) == ["PIPL-01: upgrade carry must be true or false"]


def test_carrying_needs_the_same_answer_type(v1):
    spec = v2_spec()
    question(spec, "CSL-02")["upgrade"] = {"from": "CSL-02", "carry": True}
    assert problems_of(spec) == [
        "CSL-02: carries CSL-02 but the answer type changed (yesno → level); "
        "use carry: false with a reason"
    ]


def test_carrying_needs_the_same_choice_values(v1):
    spec = v2_spec()
    question(spec, "S01")["choices"].append({"value": "abroad", "label": bi("境外", "Abroad")})
    assert problems_of(spec) == [
        "S01: carries S01 but the choice values changed (+abroad); use carry: false with a reason"
    ]


def test_one_old_question_is_carried_by_one_new_question_at_most(v1):
    spec = v2_spec()
    question(spec, "PIPL-03")["upgrade"] = {"from": "PIPL-01", "carry": True}
    assert problems_of(spec) == [
        "PIPL-01: carried (carry: true) by several questions (PIPL-01, PIPL-03); only one may"
    ]


def test_an_old_question_may_be_split_into_several_changed_ones(v1):
    spec = v2_spec()
    question(spec, "PIPL-03")["upgrade"] = {
        "from": "PIPL-01",
        "carry": False,
        "reason": bi("拆分", "Split"),
    }
    assert problems_of(spec) == []


def test_every_old_question_is_mapped_or_removed(v1):
    spec = v2_spec()
    spec["removed"] = []
    assert problems_of(spec) == [
        "CSL-03 (version 1): neither named by a question's upgrade.from nor listed in removed"
    ]


def test_a_removed_code_must_be_an_old_question(v1):
    spec = v2_spec()
    spec["removed"].append({"code": "CSL-09", "reason": bi("无", "None")})
    assert problems_of(spec) == ["removed CSL-09: not a question of version 1"]


def test_a_removed_question_cannot_also_be_mapped(v1):
    spec = v2_spec()
    spec["removed"].append({"code": "CSL-02", "reason": bi("删除", "Dropped")})
    assert problems_of(spec) == [
        "removed CSL-02: also named by a question's upgrade.from (remove it or map it, not both)"
    ]


def test_a_removed_entry_needs_a_reason(v1):
    spec = v2_spec()
    spec["removed"][0]["reason"] = {"zh": "并入"}
    assert problems_of(spec) == ["removed CSL-03: reason needs both zh and en text"]


# --------------------------------------------------------------------------- code order


def test_codes_must_run_in_order_from_version_2(v1):
    spec = v2_spec()
    pipl = spec["sections"][2]["questions"]
    pipl[1], pipl[2] = pipl[2], pipl[1]
    assert problems_of(spec) == [
        "PIPL-03: codes must run in order within PIPL (question 2 of the section should end in 02)"
    ]


def test_a_gap_in_the_codes_is_a_problem_from_version_2(v1):
    spec = v2_spec()
    question(spec, "PIPL-03")["code"] = "PIPL-04"
    assert problems_of(spec) == [
        "PIPL-04: codes must run in order within PIPL (question 3 of the section should end in 03)"
    ]


def test_version_1_keeps_its_order(db):
    ensure_test_regulation()
    spec = small_spec()
    pipl = spec["sections"][2]["questions"]
    pipl[0]["code"], pipl[1]["code"] = "PIPL-02", "PIPL-01"
    pipl[0], pipl[1] = pipl[1], pipl[0]
    pipl[0]["code"] = "PIPL-03"  # a gap, out of order: accepted in version 1
    assert problems_of(spec) == []


def test_nothing_is_written_when_a_version_2_rule_fails(v1):
    spec = v2_spec()
    spec["removed"] = []
    before = QuestionnaireVersion.objects.count(), Question.objects.count()
    with pytest.raises(QuestionnaireInvalid):
        questionnaire_load(spec)
    assert (QuestionnaireVersion.objects.count(), Question.objects.count()) == before


# --------------------------------------------------------------------------- publishing order


def test_an_older_version_loaded_after_a_newer_one_is_retired(db):
    ensure_test_regulation()
    newer = small_spec()
    newer["version"] = 3
    questionnaire_load(newer)
    older = questionnaire_load(small_spec()).version
    assert older.status == "retired"
    assert QuestionnaireVersion.objects.get(number=3).status == "published"


# --------------------------------------------------------------------------- export and the command


def test_export_then_load_round_trips_the_new_fields(v1):
    version = questionnaire_load(v2_spec()).version
    exported = json.loads(json.dumps(questionnaire_export(version), ensure_ascii=False))
    assert question(exported, "S02")["range"] == {"min": 0, "max": 10**10}
    assert question(exported, "CSL-03")["type"] == "level"
    reloaded = copy.deepcopy(exported) | {"version": 3}
    copy_version = questionnaire_load(reloaded).version
    again = questionnaire_export(copy_version)
    for key in ("version", "status"):
        exported.pop(key), again.pop(key)
    assert json.loads(json.dumps(again, ensure_ascii=False)) == exported
    assert exported["red_line_policy"] == POLICY
    assert exported["removed"][0]["code"] == "CSL-03"
    assert question(exported, "CSL-01")["red_line_basis"] == BASIS


def test_the_command_loads_every_bundled_file_in_version_order(db, tmp_path, monkeypatch):
    from assessments.management.commands import load_questionnaire

    ensure_test_regulation()
    (tmp_path / "questionnaire-v2.yaml").write_text(yaml.safe_dump(v2_spec(), allow_unicode=True))
    (tmp_path / "questionnaire-v1.yaml").write_text(
        yaml.safe_dump(small_spec(), allow_unicode=True)
    )
    (tmp_path / "notes.yaml").write_text("not: a questionnaire")
    monkeypatch.setattr(load_questionnaire, "CONTENT", tmp_path)
    call_command("load_questionnaire", verbosity=0)
    statuses = dict(QuestionnaireVersion.objects.values_list("number", "status"))
    assert statuses == {1: "retired", 2: "published"}
    before = Question.objects.count()
    call_command("load_questionnaire", verbosity=0)
    assert dict(QuestionnaireVersion.objects.values_list("number", "status")) == statuses
    assert Question.objects.count() == before


def test_the_publish_page_knows_which_edition_a_citing_question_was_checked_against(
    v1, two_editions
):
    from regulations.services import citing_questions

    questionnaire_load(with_txt_citations(v2_spec()))
    citing = citing_questions("TXT", [1])
    assert [(c.question.code, c.verified_in) for c in citing] == [
        ("CSL-01", (datetime.date(2026, 1, 1),))
    ]
    assert {c.verified_in for c in citing_questions("TST", [1])} == {(None,)}


def test_export_questionnaire_writes_the_new_fields_of_a_version(v1):
    import io

    questionnaire_load(v2_spec())
    out = io.StringIO()
    call_command("export_questionnaire", "--version", "2", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["version"], data["upgrade_from"], data["in_force_on"]) == (2, 1, "2026-01-01")
    assert question(data, "CSL-02")["upgrade"]["carry"] is False
    assert question(data, "CSL-03")["type"] == "level"
    assert question(data, "S02")["range"] == {"min": 0, "max": 10**10}


def test_a_removed_code_is_listed_once(v1):
    spec = v2_spec()
    spec["removed"].append(copy.deepcopy(spec["removed"][0]))
    assert problems_of(spec) == ["removed CSL-03: listed 2 times"]


def test_standards_must_be_a_list(v1):
    spec = v2_spec()
    question(spec, "CSL-02")["standards"] = {"name": bi("GB/T 35273", "GB/T 35273")}
    assert problems_of(spec) == ["CSL-02: standards must be a list"]
