"""Issue 9, defect 2: content admins do not read organisations' submissions in /admin."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from assessments.models import ScoreResult
from portal.management.commands.seed_demo import content_admin_permissions
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment, submit

pytestmark = pytest.mark.django_db

TENANT_MODELS = {
    "assessment",
    "answer",
    "evidence",
    "sectionassignment",
    "invitation",
    "submission",
    "scoreresult",
    "finding",
}


@pytest.fixture
def submission(organisation, org_owner, django_capture_on_commit_callbacks):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    for code in ("CSL-01", "CSL-02", "CSL-03", "PIPL-01"):
        answer(assessment, code, org_owner, level=2)
    with django_capture_on_commit_callbacks(execute=True):
        return submit(assessment, org_owner)


def with_every_assessments_permission(user):
    """The old content-admin group: every `assessments.*` permission."""
    group = Group.objects.create(name="everything")
    group.permissions.set(Permission.objects.filter(content_type__app_label="assessments"))
    user.groups.add(group)
    return user


def test_the_demo_content_admin_group_holds_no_permission_on_tenant_data():
    models = set(content_admin_permissions().values_list("content_type__model", flat=True))
    assert models & TENANT_MODELS == set()
    assert {"questionnaireversion", "question", "edition", "article"} <= models


@pytest.mark.parametrize("model", ["submission", "scoreresult"])
def test_a_content_admin_gets_403_on_the_changelist(client, content_admin, model):
    client.force_login(with_every_assessments_permission(content_admin))
    response = client.get(reverse(f"admin:assessments_{model}_changelist"))
    assert response.status_code == 403


def test_a_content_admin_gets_403_on_a_submission_and_its_result(client, content_admin, submission):
    client.force_login(with_every_assessments_permission(content_admin))
    result = ScoreResult.objects.get(submission=submission)
    for url in (
        reverse("admin:assessments_submission_change", args=[submission.pk]),
        reverse("admin:assessments_scoreresult_change", args=[result.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_admin_index_does_not_list_submissions_for_a_content_admin(client, content_admin):
    client.force_login(with_every_assessments_permission(content_admin))
    body = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:assessments_questionnaireversion_changelist") in body
    assert reverse("admin:assessments_submission_changelist") not in body


def test_the_questionnaire_admin_still_works_for_a_content_admin(client, content_admin):
    load_small_questionnaire()
    content_admin.user_permissions.set(content_admin_permissions())
    client.force_login(content_admin)
    response = client.get(reverse("admin:assessments_questionnaireversion_changelist"))
    assert response.status_code == 200
    assert "TEST-Q" in response.content.decode() or "测试问卷" in response.content.decode()


def test_a_superuser_still_sees_submissions(client, admin_user, submission):
    client.force_login(admin_user)
    response = client.get(reverse("admin:assessments_submission_change", args=[submission.pk]))
    assert response.status_code == 200
