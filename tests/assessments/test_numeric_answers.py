"""Numeric answers are checked against the question's range on the server (issue 11)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessments.loading import questionnaire_problems
from assessments.models import Answer
from tests.assessments import factories
from tests.assessments.factories import ensure_test_regulation, start_assessment

pytestmark = pytest.mark.django_db


def spec_with_a_percent_question() -> dict:
    spec = factories.small_spec()
    csl = spec["sections"][1]["questions"]
    csl.append(
        {
            **factories.level_question("CSL-04"),
            "type": "number",
            "unit": factories.bi("%", "%"),
            "range": {"min": 0, "max": 100},
            "thresholds": [{"min": 96, "level": 3}, {"level": 0}],
        }
    )
    return spec


@pytest.fixture
def assessment(organisation, org_owner):
    from assessments.loading import questionnaire_load

    ensure_test_regulation()
    questionnaire_load(spec_with_a_percent_question())
    return start_assessment(organisation, org_owner, S01="domestic", S02=500)


def post_answer(client, assessment, code, **fields):
    data = {f"{code}-revision": 0} | {f"{code}-{key}": value for key, value in fields.items()}
    url = reverse("assessments:answer", args=[assessment.pk, code])
    return client.post(url, data, HTTP_HX_REQUEST="true")


def saved(assessment, code):
    return Answer.objects.filter(assessment=assessment, question__code=code).first()


def test_a_percentage_above_100_is_refused_with_a_message_and_the_value_kept(
    client, org_editor, assessment
):
    client.force_login(org_editor)
    with translation.override("zh-hans"):
        response = post_answer(client, assessment, "CSL-04", answer="150")
    content = response.content.decode()
    assert response.status_code == 422
    assert 'class="text-danger small answer-error"' in content
    assert 'value="150"' in content
    assert "请输入 0 到 100 之间的数值。" in content
    assert saved(assessment, "CSL-04") is None


def test_the_message_names_the_range_in_english(client, org_editor, assessment):
    client.force_login(org_editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page's language is the cookie's
    response = post_answer(client, assessment, "CSL-04", answer="150")
    assert response.status_code == 422
    assert "Enter a number from 0 to 100." in response.content.decode()


def test_negative_months_are_refused_and_kept_in_the_field(client, org_editor, assessment):
    client.force_login(org_editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_answer(client, assessment, "CSL-03", answer="-3")
    content = response.content.decode()
    assert response.status_code == 422
    assert "Enter a number from 0 to 1,200." in content
    assert 'value="-3"' in content
    assert saved(assessment, "CSL-03") is None


def test_text_that_is_not_a_number_is_kept_in_the_field(client, org_editor, assessment):
    client.force_login(org_editor)
    with translation.override("en"):
        response = post_answer(client, assessment, "CSL-03", answer="six")
    content = response.content.decode()
    assert response.status_code == 422
    assert 'value="six"' in content


def test_the_browser_does_not_block_the_value_without_a_message(client, org_editor, assessment):
    client.force_login(org_editor)
    response = post_answer(client, assessment, "CSL-04", answer="150")
    field = response.content.decode().split('name="CSL-04-answer"')[0].rsplit("<input", 1)[1]
    assert 'min="' not in field and 'type="number"' not in field


def test_a_value_in_range_is_saved(client, org_editor, assessment):
    client.force_login(org_editor)
    response = post_answer(client, assessment, "CSL-04", answer="93.5")
    assert response.status_code == 200
    assert saved(assessment, "CSL-04").value == 93.5
    response = post_answer(client, assessment, "CSL-03", answer="0")
    assert response.status_code == 200
    assert saved(assessment, "CSL-03").value == 0


def without_range(spec: dict, code: str) -> dict:
    for section in spec["sections"]:
        for question in section["questions"]:
            if question["code"] == code:
                del question["range"]
    return spec


def test_without_a_range_in_the_file_a_percentage_is_0_to_100(client, org_editor, assessment):
    """Version 1 of the bundled questionnaire is published and in use: its file cannot change,
    so its numeric questions take their range from the unit."""
    from assessments.forms import question_range
    from assessments.models import Question

    Question.objects.filter(code="CSL-04").update(range_min=None, range_max=None)
    question = Question.objects.get(code="CSL-04")
    assert question_range(question) == (0, 100)
    client.force_login(org_editor)
    response = post_answer(client, assessment, "CSL-04", answer="150")
    assert response.status_code == 422
    assert saved(assessment, "CSL-04") is None


def test_without_a_range_a_count_is_never_negative(client, org_editor, assessment):
    from assessments.models import Question

    Question.objects.filter(code="CSL-03").update(range_min=None, range_max=None)
    client.force_login(org_editor)
    response = post_answer(client, assessment, "CSL-03", answer="-3")
    assert response.status_code == 422
    assert saved(assessment, "CSL-03") is None


def test_the_loader_accepts_a_numeric_question_without_a_range():
    ensure_test_regulation()
    problems = questionnaire_problems(without_range(spec_with_a_percent_question(), "CSL-04"))
    assert [p for p in problems if "range" in p] == []


@pytest.mark.parametrize(
    "bad",
    [{"min": 100, "max": 0}, {"min": "0", "max": 100}, {"min": 0}, {"min": True, "max": 5}],
)
def test_the_loader_refuses_a_malformed_range(bad):
    ensure_test_regulation()
    spec = spec_with_a_percent_question()
    spec["sections"][1]["questions"][-1]["range"] = bad
    problems = questionnaire_problems(spec)
    assert any(p.startswith("CSL-04: ") and "range" in p for p in problems)


def test_the_loader_refuses_a_threshold_outside_the_range():
    ensure_test_regulation()
    spec = spec_with_a_percent_question()
    spec["sections"][1]["questions"][-1]["thresholds"][0]["min"] = 120
    problems = questionnaire_problems(spec)
    assert "CSL-04: threshold 120 is outside the range 0–100" in problems


def test_every_bundled_numeric_question_gets_a_meaningful_range():
    """Percentages 0–100, every other number (people, months, keywords) from 0."""
    from assessments.forms import MAX_NUMBER, question_range
    from assessments.models import Question
    from tests.assessments.results_support import bundled_questionnaire

    version = bundled_questionnaire()
    numeric = list(Question.objects.filter(version=version, answer_type="number"))
    assert len(numeric) >= 10
    for question in numeric:
        expected = (0, 100) if question.unit_en == "%" else (0, MAX_NUMBER)
        assert question_range(question) == expected, question.code
