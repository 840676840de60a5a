"""Questionnaires and assessments for tests, built through the real loader."""

import copy

from assessments import services
from assessments.loading import questionnaire_load
from assessments.models import Assessment, Question
from regulations.models import Regulation
from tests.factories import MembershipFactory


def bi(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


def level_question(code: str, **extra) -> dict:
    return {
        "code": code,
        "type": "level",
        "text": bi(f"{code} 是否落实？", f"Is {code} in place?"),
        "help": bi("说明", "Help"),
        "weight": 3,
        "red_line": False,
        "na_allowed": True,
        "evidence_from": "G3",
        "citations": [{"regulation": "TST", "article": 1, "phrase": ""}],
        "remediation": bi("整改", "Fix it"),
        **extra,
    }


SMALL_SPEC = {
    "code": "TEST-Q",
    "version": 1,
    "title": bi("测试问卷", "Test questionnaire"),
    "derived": [
        {
            "fact": "big",
            "cases": [
                {"when": {"fact": "S02", "op": "gte", "value": 1000000}, "value": True},
                {"value": False},
            ],
        },
    ],
    "grades": [
        {
            "grade": "G2",
            "code": "G2-big",
            "when": {"fact": "big", "op": "eq", "value": True},
            "reason": bi("处理100万人以上个人信息", "Personal information of 1M+ people"),
        },
    ],
    "modules": {
        "CSL": [
            {
                "when": {"fact": "S01", "op": "eq", "value": "domestic"},
                "reason": bi("境内运营", "Operates in China"),
            }
        ],
        "PIPL": [
            {
                "when": {"fact": "S02", "op": "gt", "value": 0},
                "reason": bi("处理个人信息", "Processes personal information"),
            }
        ],
    },
    "impact_raise": [],
    "likelihood_raise": [],
    "sections": [
        {
            "module": "SCOPING",
            "title": bi("适用范围", "Scoping"),
            "questions": [
                {
                    "code": "S01",
                    "type": "choice",
                    "text": bi("在哪里运营？", "Where do you operate?"),
                    "choices": [
                        {"value": "domestic", "label": bi("境内", "In China")},
                        {"value": "neither", "label": bi("都不是", "Neither")},
                    ],
                },
                {
                    "code": "S02",
                    "type": "number",
                    "range": {"min": 0, "max": 10**10},
                    "text": bi("多少人？", "How many people?"),
                },
            ],
        },
        {
            "module": "CSL",
            "title": bi("网络安全", "Cybersecurity"),
            "questions": [
                level_question(
                    "CSL-01", red_line=True, weight=5, na_allowed=False, evidence_from="G2"
                ),
                {**level_question("CSL-02"), "type": "yesno"},
                {
                    **level_question("CSL-03"),
                    "type": "number",
                    "range": {"min": 0, "max": 1200},
                    "thresholds": [{"min": 6, "level": 3}, {"min": 3, "level": 1}, {"level": 0}],
                },
            ],
        },
        {
            "module": "PIPL",
            "title": bi("个人信息保护", "Personal information"),
            "questions": [
                level_question("PIPL-01"),
                {
                    **level_question(
                        "PIPL-02", applies_when={"fact": "big", "op": "eq", "value": True}
                    )
                },
            ],
        },
    ],
}


def ensure_test_regulation() -> Regulation:
    regulation, _ = Regulation.objects.get_or_create(
        code="TST", defaults={"title_zh": "测试法", "title_en": "Test Law", "article_count": 10}
    )
    return regulation


def small_spec(extra_csl_questions: int = 0) -> dict:
    spec = copy.deepcopy(SMALL_SPEC)
    csl = spec["sections"][1]["questions"]
    csl += [level_question(f"CSL-{n:02d}") for n in range(4, 4 + extra_csl_questions)]
    return spec


def load_small_questionnaire(extra_csl_questions: int = 0):
    ensure_test_regulation()
    return questionnaire_load(small_spec(extra_csl_questions)).version


def start_on_a_new_version(organisation, by, version: int, extra_csl_questions: int):
    """A draft (S01 domestic, S02 5) on version `version` of the small questionnaire, published
    now with `extra_csl_questions` more level questions in CSL (the query-count tests compare
    two sizes)."""
    spec = small_spec(extra_csl_questions)
    spec["version"] = version
    questionnaire_load(spec)
    return start_assessment(organisation, by, S01="domestic", S02=5)


def start_assessment(organisation, by, **scoping) -> Assessment:
    """Start an assessment and answer the scoping questions given as S01="domestic", …"""
    assessment = services.assessment_start(organisation=organisation, by=by)
    for code, value in scoping.items():
        question = Question.objects.get(version=assessment.version, code=code)
        current = assessment.answers.filter(question=question).first()
        services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(value=value),
            base_revision=current.revision if current else 0,
            by=by,
        )
    assessment.refresh_from_db()
    return assessment


def answer(assessment, code, by, **data):
    question = Question.objects.get(version=assessment.version, code=code)
    current = assessment.answers.filter(question=question).first()
    return services.answer_save(
        assessment=assessment,
        question=question,
        data=services.AnswerInput(**data),
        base_revision=current.revision if current else 0,
        by=by,
    )


ATTESTATION = services.Attestation(
    name="张三",
    role="法定代表人",
    statement="本人确认，所填内容真实、准确、完整。",
)


def submit(assessment, by, attestation=ATTESTATION):
    """Submit (or resubmit) with the standard attestation."""
    return services.assessment_submit(assessment=assessment, by=by, attestation=attestation)


def writer(organisation):
    return MembershipFactory(organisation=organisation, role="editor").user
