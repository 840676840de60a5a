"""answer_save checks a level's range itself (the ORM's constraint check would cost a query)."""

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Answer, Question
from tests.assessments.factories import load_small_questionnaire, start_assessment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", [4, 7, -1])
def test_a_level_outside_0_to_3_is_refused_and_nothing_is_saved(organisation, org_owner, level):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    question = Question.objects.get(version=assessment.version, code="CSL-01")
    with pytest.raises(ValidationError):
        services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(level=level),
            base_revision=0,
            by=org_owner,
        )
    saved = Answer.objects.filter(assessment=assessment, question=question).first()
    assert saved is None or (saved.level is None and saved.revision == 0)


def test_a_level_in_range_is_saved_with_its_author(organisation, org_owner):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    question = Question.objects.get(version=assessment.version, code="CSL-01")
    answer = services.answer_save(
        assessment=assessment,
        question=question,
        data=services.AnswerInput(level=3),
        base_revision=0,
        by=org_owner,
    )
    answer.refresh_from_db()
    assert (answer.level, answer.revision, answer.updated_by) == (3, 1, org_owner)
