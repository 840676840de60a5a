import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.assessments.factories import load_small_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, content_admin):
    content_admin.user_permissions.set(
        Permission.objects.filter(content_type__app_label="assessments")
    )
    client.force_login(content_admin)
    return client


def test_a_content_admin_reads_a_questionnaire_version(admin_client):
    version = load_small_questionnaire()
    url = reverse("admin:assessments_questionnaireversion_change", args=[version.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "CSL-01" in response.content.decode()


def test_a_version_cannot_be_changed_in_the_admin(admin_client):
    version = load_small_questionnaire()
    url = reverse("admin:assessments_questionnaireversion_change", args=[version.pk])
    response = admin_client.post(url, {"number": 9, "status": "retired"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert (version.number, version.status) == (1, "published")


def test_members_have_no_admin(client, org_owner):
    client.force_login(org_owner)
    response = client.get(reverse("admin:assessments_submission_changelist"))
    assert response.status_code == 302
