import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal import access
from tests.factories import OrganisationFactory, RegulatorProfileFactory

pytestmark = pytest.mark.django_db


class TestOrganisationsForUser:
    def test_a_member_sees_only_their_organisation(
        self, org_owner, organisation, other_organisation
    ):
        assert list(access.organisations_for_user(org_owner)) == [organisation]

    def test_a_viewer_sees_their_organisation(self, org_viewer, organisation):
        assert list(access.organisations_for_user(org_viewer)) == [organisation]

    def test_an_outsider_sees_nothing_of_another_organisation(self, other_org_user, organisation):
        assert organisation not in access.organisations_for_user(other_org_user)

    def test_a_regulator_is_not_a_member(self, regulator, organisation):
        assert list(access.organisations_for_user(regulator)) == []

    def test_a_content_admin_is_not_a_member(self, content_admin, organisation):
        assert list(access.organisations_for_user(content_admin)) == []

    def test_anonymous_sees_nothing(self, organisation):
        assert list(access.organisations_for_user(AnonymousUser())) == []

    def test_an_inactive_member_sees_nothing(self, org_owner, organisation):
        org_owner.is_active = False
        org_owner.save()
        assert list(access.organisations_for_user(org_owner)) == []


class TestGetOrganisationForUser:
    def test_it_returns_the_organisation_to_a_member(self, org_viewer, organisation):
        assert access.get_organisation_for_user(org_viewer, organisation.pk) == organisation

    def test_it_allows_writes_to_owners_and_editors(self, org_owner, org_editor, organisation):
        for user in (org_owner, org_editor):
            found = access.get_organisation_for_user(user, organisation.pk, write=True)
            assert found == organisation

    def test_it_refuses_writes_to_a_viewer_with_403(self, org_viewer, organisation):
        with pytest.raises(PermissionDenied):
            access.get_organisation_for_user(org_viewer, organisation.pk, write=True)

    def test_another_organisation_is_a_404(self, other_org_user, organisation):
        with pytest.raises(Http404):
            access.get_organisation_for_user(other_org_user, organisation.pk)

    def test_a_regulator_cannot_open_it_as_a_member(self, regulator, organisation):
        with pytest.raises(Http404):
            access.get_organisation_for_user(regulator, organisation.pk)

    def test_only_an_owner_passes_require_owner(self, org_owner, org_editor, organisation):
        assert access.require_owner(org_owner, organisation).role == "owner"
        with pytest.raises(PermissionDenied):
            access.require_owner(org_editor, organisation)


class TestJurisdiction:
    def test_a_regulator_sees_organisations_in_their_provinces(
        self, regulator, organisation, other_organisation
    ):
        assert list(access.organisations_in_jurisdiction(regulator)) == [organisation]

    def test_an_out_of_jurisdiction_regulator_sees_none(
        self, out_of_jurisdiction_regulator, organisation, other_organisation
    ):
        assert list(access.organisations_in_jurisdiction(out_of_jurisdiction_regulator)) == []

    def test_sectors_narrow_the_jurisdiction(self, db):
        finance = OrganisationFactory(province="110000", sector="finance")
        OrganisationFactory(province="110000", sector="internet")
        user = RegulatorProfileFactory(provinces=["110000"], sectors=["finance"]).user
        assert list(access.organisations_in_jurisdiction(user)) == [finance]

    def test_members_and_admins_have_no_jurisdiction(self, org_owner, content_admin, organisation):
        assert list(access.organisations_in_jurisdiction(org_owner)) == []
        assert list(access.organisations_in_jurisdiction(content_admin)) == []
