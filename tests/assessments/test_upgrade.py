"""Moving a half-filled draft to a newer questionnaire version.

Version 1 is the small test questionnaire; version 2 (tests/assessments/test_loading_v2.py)
carries S01, S02, CSL-01, PIPL-01 and PIPL-02, changes CSL-02 (yes/no → level), removes CSL-03
and adds CSL-03 and PIPL-03.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.loading import questionnaire_load
from assessments.models import Answer, Assessment, Evidence, ScoreResult, SectionAssignment
from assessments.upgrade import Carried, Dropped, Link, Renewal, upgrade_plan
from portal.models import AuditEvent
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment, submit
from tests.assessments.test_loading_v2 import v2_spec

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCOPING = {"S01": "domestic", "S02": 2_000_000}


# --------------------------------------------------------------------------- the pure plan


def test_the_plan_sorts_answers_into_carried_renewed_dropped_and_new():
    answers = {
        "S01": {"value": "domestic"},
        "CSL-01": {"level": 2, "comment": "in place"},
        "CSL-02": {"value": True},
        "CSL-03": {"value": 5},
        "PIPL-01": {"na_reason": "no such processing"},
        "PIPL-02": {"level": None, "value": None, "na_reason": ""},  # saved but empty
    }
    links = [
        Link("S01", "S01", True),
        Link("CSL-01", "CSL-01", True),
        Link("CSL-02", "CSL-02", False, {"en": "Now a level"}),
        Link("CSL-03"),
        Link("PIPL-01", "PIPL-01", True),
        Link("PIPL-02", "PIPL-02", True),
        Link("PIPL-03"),
    ]
    plan = upgrade_plan(answers, links, {"CSL-03": {"en": "Merged"}})
    assert plan.carried == (
        Carried("S01", "S01"),
        Carried("CSL-01", "CSL-01"),
        Carried("PIPL-01", "PIPL-01"),
    )
    assert plan.renew == (Renewal("CSL-02", "CSL-02", {"value": True}, {"en": "Now a level"}),)
    assert plan.dropped == (Dropped("CSL-03", {"value": 5}, {"en": "Merged"}),)
    assert plan.new == ("CSL-03", "PIPL-03")


def test_an_old_question_split_in_two_asks_both_again():
    plan = upgrade_plan(
        {"A-01": {"level": 1}},
        [
            Link("A-01", "A-01", False, {"en": "split"}),
            Link("A-02", "A-01", False, {"en": "split"}),
        ],
        {},
    )
    assert [r.code for r in plan.renew] == ["A-01", "A-02"]
    assert plan.dropped == () and plan.carried == ()


def test_an_answer_neither_linked_nor_removed_is_dropped_without_a_reason():
    plan = upgrade_plan({"X-01": {"level": 3}}, [Link("Y-01")], {})
    assert plan.dropped == (Dropped("X-01", {"level": 3}, {}),)


# --------------------------------------------------------------------------- the move


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def earlier(organisation, org_owner, django_capture_on_commit_callbacks):
    """A v1 assessment of the organisation, submitted and scored before v2 appeared."""
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, **SCOPING)
    for code in ("CSL-01", "PIPL-01", "PIPL-02"):
        answer(assessment, code, org_owner, level=3)
    answer(assessment, "CSL-02", org_owner, value=True)
    answer(assessment, "CSL-03", org_owner, value=6)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(assessment, org_owner)
    assert ScoreResult.objects.filter(submission=submission).exists()
    return submission


@pytest.fixture
def draft(earlier, organisation, org_owner, org_editor, media):
    """A half-filled v1 draft: scoping, CSL-01 with evidence, CSL-02, CSL-03, PIPL-01 as N/A."""
    assessment = start_assessment(organisation, org_owner, **SCOPING)
    csl01 = answer(assessment, "CSL-01", org_owner, level=2, comment="policy signed")
    services.evidence_attach(
        answer=csl01, upload=SimpleUploadedFile("policy.pdf", PDF_BYTES), by=org_owner
    )
    answer(assessment, "CSL-02", org_owner, value=True)
    answer(assessment, "CSL-03", org_owner, value=5)
    answer(assessment, "PIPL-01", org_owner, na_reason="我们不处理此类信息")
    services.section_assign(
        assessment=assessment,
        section=assessment.version.sections.get(module="CSL"),
        user=org_editor,
        by=org_owner,
    )
    return assessment


@pytest.fixture
def v2(draft):
    return questionnaire_load(v2_spec()).version


def stored_result(submission) -> str:
    result = ScoreResult.objects.get(submission=submission)
    return json.dumps(
        [result.result, result.overall_tier, str(result.index), submission.answers],
        sort_keys=True,
        ensure_ascii=False,
    )


def moved(client, user, draft):
    client.force_login(user)
    return client.post(reverse("assessments:upgrade", args=[draft.pk]))


def test_moving_a_half_filled_draft_carries_renews_and_drops(
    client, draft, v2, earlier, org_owner, org_editor
):
    before = stored_result(earlier)
    response = moved(client, org_owner, draft)
    new = Assessment.objects.get(upgraded_from=draft)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.version == v2 and new.status == "draft"
    carried = {
        a.question.code: (a.level, a.value, a.na_reason, a.comment)
        for a in new.answers.select_related("question")
    }
    assert carried == {
        "S01": (None, "domestic", "", ""),
        "S02": (None, 2_000_000, "", ""),
        "CSL-01": (2, None, "", "policy signed"),
        "PIPL-01": (None, None, "我们不处理此类信息", ""),
    }
    record = new.upgrade_record
    assert record["from_version"] == 1
    assert record["renew"] == {
        "CSL-02": {
            "from": "CSL-02",
            "answer": {"level": None, "value": True, "na_reason": "", "comment": ""},
            "reason": {"zh": "改为实施程度", "en": "Now asks how far it is in place"},
        }
    }
    assert record["dropped"] == [
        {
            "code": "CSL-03",
            "answer": {"level": None, "value": 5, "na_reason": "", "comment": ""},
            "reason": {"zh": "并入 CSL-02", "en": "Merged into CSL-02"},
        }
    ]
    # Scoping derived again on v2, the CSL assignment moved to v2's CSL section.
    assert (new.grade, sorted(new.modules)) == (draft.grade, sorted(draft.modules))
    assignment = SectionAssignment.objects.get(assessment=new)
    assert (assignment.section.version, assignment.section.module, assignment.user) == (
        v2,
        "CSL",
        org_editor,
    )
    # The old draft is kept as it was, read-only, linked to its successor.
    draft.refresh_from_db()
    assert draft.status == "superseded" and draft.upgraded_to == new
    assert draft.answers.count() == 6
    assert stored_result(earlier) == before
    event = AuditEvent.objects.get(verb="assessment.upgrade")
    assert (event.data["from_assessment"], event.data["carried"], event.data["renew"]) == (
        draft.pk,
        4,
        1,
    )


def test_the_evidence_of_a_carried_answer_downloads_from_the_new_draft(
    client, draft, v2, org_owner
):
    moved(client, org_owner, draft)
    evidence = Evidence.objects.get(answer__assessment__upgraded_from=draft)
    original = Evidence.objects.get(answer__assessment=draft)
    assert (evidence.file.name, evidence.sha256) == (original.file.name, original.sha256)
    response = client.get(reverse("assessments:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_overview_offers_the_move_with_its_preview_to_an_owner(client, draft, v2, org_owner):
    client.force_login(org_owner)
    client.cookies["django_language"] = "en"
    content = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="upgrade-offer"' in content and 'id="upgrade-button"' in content
    assert "4 answers carry over as they are." in content
    assert "Now asks how far it is in place" in content  # why CSL-02 needs a new answer
    assert "Merged into CSL-02" in content  # why CSL-03's answer is dropped
    assert "2 questions are new." in content


def test_other_members_see_that_an_owner_can_move_it(client, draft, v2, org_editor):
    client.force_login(org_editor)
    content = client.get(draft.get_absolute_url()).content.decode()
    assert 'id="upgrade-owner-notice"' in content
    assert 'id="upgrade-button"' not in content


def test_no_offer_without_a_newer_version(client, draft, org_owner):
    client.force_login(org_owner)
    assert 'id="upgrade-offer"' not in client.get(draft.get_absolute_url()).content.decode()


def test_the_new_drafts_section_shows_the_reason_and_the_old_answer(client, draft, v2, org_owner):
    moved(client, org_owner, draft)
    new = Assessment.objects.get(upgraded_from=draft)
    client.cookies["django_language"] = "en"
    content = client.get(reverse("assessments:section", args=[new.pk, "CSL"])).content.decode()
    assert (
        'class="alert alert-warning small mb-1 question-renewal" data-question="CSL-02"' in content
    )
    assert "Now asks how far it is in place" in content
    assert '<span class="renewal-old-answer">Yes</span>' in content
    overview = client.get(new.get_absolute_url()).content.decode()
    assert 'id="upgrade-moved"' in overview and "Merged into CSL-02" in overview


def test_the_old_draft_leaves_the_list_but_stays_reachable(client, draft, v2, org_owner):
    moved(client, org_owner, draft)
    new = Assessment.objects.get(upgraded_from=draft)
    listing = client.get(reverse("assessments:list")).content.decode()
    assert reverse("assessments:detail", args=[new.pk]) in listing
    assert reverse("assessments:detail", args=[draft.pk]) + '"' not in listing
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert 'id="upgrade-superseded"' in page.content.decode()


def test_a_member_who_is_not_an_owner_is_refused(client, draft, v2, org_editor, org_viewer):
    assert moved(client, org_editor, draft).status_code == 403
    assert moved(client, org_viewer, draft).status_code == 403
    with pytest.raises(PermissionDenied):
        services.assessment_upgrade(assessment=draft, to_version=v2, by=org_editor)
    assert not Assessment.objects.filter(upgraded_from=draft).exists()


def test_another_organisation_cannot_move_it(client, draft, v2, other_org_user):
    assert moved(client, other_org_user, draft).status_code == 404


def test_a_submitted_assessment_is_refused(earlier, draft, v2, org_owner):
    with pytest.raises(ValidationError) as refused:
        services.assessment_upgrade(assessment=earlier.assessment, to_version=v2, by=org_owner)
    assert refused.value.code == "not_draft"
    assert not Assessment.objects.filter(upgraded_from=earlier.assessment).exists()


def test_a_version_that_does_not_upgrade_the_drafts_is_refused(draft, v2, org_owner):
    v2.upgrade_from = None
    v2.save()
    with pytest.raises(ValidationError) as refused:
        services.assessment_upgrade(assessment=draft, to_version=v2, by=org_owner)
    assert refused.value.code == "target"


def test_a_failure_midway_leaves_the_draft_untouched(draft, v2, org_owner, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "assignments_carry", broken)
    counts = Assessment.objects.count(), Answer.objects.count(), Evidence.objects.count()
    with pytest.raises(RuntimeError):
        services.assessment_upgrade(assessment=draft, to_version=v2, by=org_owner)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert (Assessment.objects.count(), Answer.objects.count(), Evidence.objects.count()) == counts
    assert not AuditEvent.objects.filter(verb="assessment.upgrade").exists()


def test_a_double_post_creates_one_new_draft(client, draft, v2, org_owner):
    first = moved(client, org_owner, draft)
    second = moved(client, org_owner, draft)
    new = Assessment.objects.get(upgraded_from=draft)
    assert first["Location"] == second["Location"] == new.get_absolute_url()
    assert Assessment.objects.filter(version=v2).count() == 1
    with pytest.raises(ValidationError) as refused:
        services.assessment_upgrade(assessment=draft, to_version=v2, by=org_owner)
    assert refused.value.code == "superseded"


def test_the_old_draft_cannot_be_changed_after_the_move(draft, v2, org_owner):
    services.assessment_upgrade(assessment=draft, to_version=v2, by=org_owner)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        answer(draft, "PIPL-02", org_owner, level=1)


def test_the_offer_and_the_notes_add_a_fixed_number_of_queries(
    client, draft, v2, org_owner, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # counts the queries of rendering the pages
    client.force_login(org_owner)
    client.get(draft.get_absolute_url())  # warm the session and the caches
    with django_assert_max_num_queries(40) as few:
        client.get(draft.get_absolute_url())
    answer(draft, "PIPL-02", org_owner, level=1)  # one more answer to preview
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(draft.get_absolute_url())
    moved(client, org_owner, draft)
    new = Assessment.objects.get(upgraded_from=draft)
    section = reverse("assessments:section", args=[new.pk, "CSL"])
    client.get(section)
    with django_assert_max_num_queries(40) as notes:
        client.get(section)
    new.upgrade_record["renew"]["CSL-03"] = dict(new.upgrade_record["renew"]["CSL-02"])
    new.save()
    with django_assert_max_num_queries(len(notes.captured_queries)):
        assert 'question-renewal" data-question="CSL-03"' in client.get(section).content.decode()


def test_the_old_draft_cannot_be_deleted_while_its_successor_exists(draft, v2, org_owner):
    from django.db.models import ProtectedError

    services.assessment_upgrade(assessment=draft, to_version=v2, by=org_owner)
    with pytest.raises(ProtectedError):
        Assessment.objects.get(pk=draft.pk).delete()


def test_the_demo_answers_every_scoping_question_of_a_later_version(db):
    """seed_demo starts on the published version: its version-1 answers follow upgrade.from
    where they still fit, and a neutral answer fills the rest."""
    from assessments.demo import demo_scoping

    load_small_questionnaire()
    v2 = questionnaire_load(v2_spec()).version
    assert [(q.code, value) for q, value in demo_scoping(v2)] == [("S01", "domestic"), ("S02", 0)]
