"""The signed-in user is read once per request with what every page's navigation needs."""

import pytest
from django.urls import reverse

from portal.auth import EmailBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_comes_with_the_membership_flag_and_no_profile(
    org_owner, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = EmailBackend().get_user(org_owner.pk)
        assert user.has_membership is True
        assert not hasattr(user, "regulator_profile")


def test_a_regulator_comes_with_the_profile(regulator, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = EmailBackend().get_user(regulator.pk)
        assert user.has_membership is False
        assert user.regulator_profile.provinces == ["110000"]


def test_an_inactive_account_is_not_signed_in():
    user = UserFactory(is_active=False)
    assert EmailBackend().get_user(user.pk) is None


def test_the_navigation_costs_no_query_of_its_own(client, org_owner, regulator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    backend = "portal.auth.EmailBackend"
    counts = {}
    for who in (org_owner, regulator):
        client.force_login(who, backend=backend)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("notifications:preferences"))
        assert page.status_code == 200
        counts[who.pk] = [q["sql"] for q in captured.captured_queries]
        assert not any(
            '"portal_regulatorprofile"' in sql and "portal_user" not in sql
            for sql in counts[who.pk]
        )
        assert not any(
            sql.startswith('SELECT 1 AS "a" FROM "portal_membership"') for sql in counts[who.pk]
        )
    queue = f'href="{reverse("supervision:queue")}"'
    client.force_login(org_owner, backend=backend)
    assert queue not in client.get(reverse("notifications:preferences")).content.decode()
    client.force_login(regulator, backend=backend)
    assert queue in client.get(reverse("notifications:preferences")).content.decode()
