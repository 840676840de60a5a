"""The signed-in user read from the shared cache (portal/user_cache.py): no query for the user
on the next page, and every change that matters is seen by the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Membership
from tests.supervision.workspace_support import submitted_assessment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("shared_cache")]


@pytest.fixture(autouse=True)
def user_cache_on(settings):
    settings.USER_CACHE_SECONDS = 60


def user_queries(client, url) -> tuple[int, int]:
    table = get_user_model()._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, sum(f'FROM "{table}"' in q["sql"] for q in queries)


def test_the_second_page_reads_no_user_row(client, org_owner):
    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert user_queries(client, url) == (200, 1)
    assert user_queries(client, url) == (200, 0)


def test_without_a_shared_cache_every_page_reads_the_user(client, org_owner, settings):
    settings.USER_CACHE_SECONDS = 0
    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert user_queries(client, url) == (200, 1)
    assert user_queries(client, url) == (200, 1)


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, org_owner):
    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert client.get(url).status_code == 200
    org_owner.is_active = False
    org_owner.save(update_fields=["is_active"])
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_password_signs_the_old_session_out(client, org_owner):
    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert client.get(url).status_code == 200
    org_owner.set_password("a-new-long-passphrase-2026")
    org_owner.save()
    assert client.get(url).status_code == 302


def test_a_narrowed_jurisdiction_applies_on_the_next_request(
    client, organisation, org_owner, regulator
):
    assessment = submitted_assessment(organisation, org_owner)
    client.force_login(regulator)
    url = reverse("supervision:review", args=[assessment.pk])
    assert client.get(url).status_code == 200
    profile = regulator.regulator_profile
    profile.provinces = ["440000"]
    profile.save()
    assert client.get(url).status_code == 404


def test_a_new_membership_shows_in_the_user_s_navigation(client, organisation, regulator):
    client.force_login(regulator)
    url = reverse("assessments:list")
    page = reverse("regulations:list")
    before = client.get(page)
    assert before.status_code == 200
    nav_link = f'class="nav-link" href="{url}"'
    had_link = nav_link in before.content.decode()
    Membership.objects.create(user=regulator, organisation=organisation, role="viewer")
    after = client.get(page).content.decode()
    assert nav_link in after and not had_link
