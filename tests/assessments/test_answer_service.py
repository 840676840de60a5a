"""answer_save checks a level's range itself (the ORM's constraint check would cost a query)."""

import pytest
from django.core.exceptions import ValidationError

from assessments import selectors, services
from assessments.models import Answer, Assessment, Question
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


def test_a_save_after_the_assessment_was_submitted_elsewhere_is_refused(organisation, org_owner):
    """The service re-reads the status under its lock: an instance read before the submission
    does not let a save through."""
    from tests.assessments.factories import answer, submit

    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    stale = Assessment.objects.get(pk=assessment.pk)
    for question in selectors.applicable_questions(assessment):
        if not question.is_scoping:
            answer(assessment, question.code, org_owner, level=3)
    submit(assessment, org_owner)
    question = Question.objects.get(version=assessment.version, code="CSL-01")
    revision = Answer.objects.get(assessment=assessment, question=question).revision
    with pytest.raises(ValidationError):
        services.answer_save(
            assessment=stale,
            question=question,
            data=services.AnswerInput(level=1),
            base_revision=revision,
            by=org_owner,
        )
    assert stale.status != Assessment.Status.DRAFT
    saved = Answer.objects.get(assessment=assessment, question=question)
    assert (saved.level, saved.revision) == (3, revision)


def test_a_save_sends_the_signals_of_a_model_save(organisation, org_owner):
    from django.db.models.signals import post_save, pre_save

    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    question = Question.objects.get(version=assessment.version, code="CSL-01")
    seen = []

    def note(signal):
        return lambda sender, instance, **kw: seen.append((signal, instance.revision, kw))

    on_pre, on_post = note("pre"), note("post")
    pre_save.connect(on_pre, sender=Answer)
    post_save.connect(on_post, sender=Answer)
    try:
        services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(level=2, comment="见制度文件"),
            base_revision=0,
            by=org_owner,
        )
    finally:
        pre_save.disconnect(on_pre, sender=Answer)
        post_save.disconnect(on_post, sender=Answer)
    # the first save creates the row (revision 0), then the answer is written (revision 1)
    assert [(s, r) for s, r, _kw in seen][-2:] == [("pre", 1), ("post", 1)]
    assert seen[-1][2]["created"] is False
    saved = Answer.objects.get(assessment=assessment, question=question)
    assert (saved.level, saved.comment, saved.revision) == (2, "见制度文件", 1)
    assert saved.updated_at is not None


@pytest.mark.parametrize(
    ("data", "answered"),
    [
        ({"level": 0}, True),
        ({"na_reason": "不适用：无此业务"}, True),
        ({"na_reason": "   "}, False),
        ({"comment": "仅备注"}, False),
        ({}, False),
    ],
)
def test_the_section_counter_counts_as_is_answered_does(organisation, org_owner, data, answered):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    question = Question.objects.get(version=assessment.version, code="CSL-01")
    before = selectors.section_progress(assessment, question.section)
    try:
        saved = services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(**data),
            base_revision=0,
            by=org_owner,
        )
    except ValidationError:  # a blank N/A reason is refused by the form's rules too
        saved = None
    after = selectors.section_progress(assessment, question.section)
    if saved is not None:
        assert saved.is_answered is answered
    assert after == (before[0] + int(answered), before[1])


def answered_once(organisation, org_owner):
    """A draft with CSL-01 answered once (so its row exists), the question and that answer."""
    from tests.assessments.factories import answer

    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    question = Question.objects.get(version=assessment.version, code="CSL-01")
    return assessment, question, answer(assessment, "CSL-01", org_owner, level=1)


def test_a_save_over_the_current_revision_is_one_statement(organisation, org_owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assessment, question, saved = answered_once(organisation, org_owner)
    with CaptureQueriesContext(connection) as queries:
        stored = services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(level=2, comment="制度已发布"),
            base_revision=saved.revision,
            by=org_owner,
        )
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]
    assert (stored.level, stored.comment, stored.revision) == (2, "制度已发布", saved.revision + 1)
    assert stored.updated_by_id == org_owner.pk and stored.has_evidence is False
    row = Answer.objects.get(pk=saved.pk)
    assert (row.level, row.comment, row.revision, row.updated_at) == (
        2,
        "制度已发布",
        saved.revision + 1,
        stored.updated_at,
    )


def test_a_save_over_an_old_revision_is_a_conflict_and_changes_nothing(organisation, org_owner):
    assessment, question, saved = answered_once(organisation, org_owner)
    with pytest.raises(services.AnswerConflict) as conflict:
        services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(level=3),
            base_revision=saved.revision - 1,
            by=org_owner,
        )
    assert conflict.value.answer.revision == saved.revision  # what the 409 shows
    row = Answer.objects.get(pk=saved.pk)
    assert (row.level, row.revision) == (1, saved.revision)


def test_invalid_data_is_refused_before_anything_is_written(organisation, org_owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assessment, question, saved = answered_once(organisation, org_owner)
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
        services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(level=9),
            base_revision=saved.revision,
            by=org_owner,
        )
    assert len(queries) == 0
    assert Answer.objects.get(pk=saved.pk).level == 1
