import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Invitation, SectionAssignment
from portal.models import Membership, User
from tests.assessments.factories import load_small_questionnaire, start_assessment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(client, organisation, email, role="editor"):
    return client.post(
        reverse("assessments:invite", args=[organisation.pk]), {"email": email, "role": role}
    )


class TestInvitations:
    def test_an_owner_invites_by_email(
        self, client, org_owner, organisation, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(org_owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(client, organisation, "New.Person@Example.com")
        assert response.status_code == 302
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role) == ("new.person@example.com", "editor")
        assert len(mailoutbox) == 1
        assert (
            f"http://testserver/assessments/invitations/{invitation.token}/" in mailoutbox[0].body
        )

    def test_an_editor_cannot_invite(self, client, org_editor, organisation):
        client.force_login(org_editor)
        assert invite(client, organisation, "x@example.com").status_code == 403
        assert Invitation.objects.count() == 0

    def test_an_outsider_gets_a_404(self, client, other_org_user, organisation):
        client.force_login(other_org_user)
        assert invite(client, organisation, "x@example.com").status_code == 404

    def test_an_existing_member_is_not_invited_twice(
        self, client, org_owner, org_editor, organisation
    ):
        client.force_login(org_owner)
        response = invite(client, organisation, org_editor.email)
        assert response.status_code == 200
        assert (
            "already a member" in response.content.decode()
            or "已是成员" in response.content.decode()
        )
        assert Invitation.objects.count() == 0

    def test_someone_new_creates_an_account_and_joins(self, client, org_owner, organisation):
        client.force_login(org_owner)
        invite(client, organisation, "new@example.com", role="viewer")
        client.logout()
        url = reverse("assessments:invitation_accept", args=[Invitation.objects.get().token])
        weak = client.post(url, {"full_name": "新人", "password1": "123", "password2": "123"})
        assert weak.status_code == 200
        assert not User.objects.filter(email="new@example.com").exists()
        response = client.post(
            url,
            {
                "full_name": "新人",
                "password1": "Hegui!2026-secure",
                "password2": "Hegui!2026-secure",
            },
        )
        assert response.status_code == 302
        user = User.objects.get(email="new@example.com")
        assert Membership.objects.get(user=user, organisation=organisation).role == "viewer"
        assert client.get(url).url == reverse("assessments:list")  # signed in, joined
        assert Client().get(url).status_code == 410  # used up

    def test_an_invitation_for_someone_else_is_refused(self, client, org_owner, organisation):
        client.force_login(org_owner)
        invite(client, organisation, "someone@example.com")
        stranger = UserFactory()
        client.force_login(stranger)
        url = reverse("assessments:invitation_accept", args=[Invitation.objects.get().token])
        assert client.post(url).status_code == 403
        assert not Membership.objects.filter(user=stranger).exists()


class TestAssignments:
    @pytest.fixture
    def assessment(self, organisation, org_owner):
        load_small_questionnaire()
        return start_assessment(organisation, org_owner, S01="domestic", S02=10)

    def assign(self, client, assessment, module, user):
        return client.post(
            reverse("assessments:assign", args=[assessment.pk, module]),
            {"user": user.pk if user else ""},
        )

    def test_an_owner_assigns_a_section_to_an_editor(
        self, client, org_owner, org_editor, assessment
    ):
        client.force_login(org_owner)
        assert self.assign(client, assessment, "CSL", org_editor).status_code == 302
        assignment = SectionAssignment.objects.get()
        assert (assignment.section.module, assignment.user) == ("CSL", org_editor)
        page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
        assert f'value="{org_editor.pk}" selected' in page

    def test_a_viewer_cannot_be_assigned(self, client, org_owner, org_viewer, assessment):
        client.force_login(org_owner)
        self.assign(client, assessment, "CSL", org_viewer)
        assert SectionAssignment.objects.count() == 0

    def test_only_the_owner_assigns(self, client, org_editor, assessment):
        client.force_login(org_editor)
        assert self.assign(client, assessment, "CSL", org_editor).status_code == 403

    def test_someone_from_another_organisation_cannot_be_assigned(
        self, client, org_owner, other_org_user, assessment
    ):
        client.force_login(org_owner)
        assert self.assign(client, assessment, "CSL", other_org_user).status_code == 404
        assert SectionAssignment.objects.count() == 0
