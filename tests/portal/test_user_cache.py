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
    """As production has it with a shared cache (portal/settings.py)."""
    settings.USER_CACHE_SECONDS = 60
    settings.SESSION_ENGINE = "portal.sessions"


class CacheReads:
    """Which keys each read of the shared cache asked for (one list per round trip)."""

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        self.calls: list[list[str]] = []
        backend = caches["default"]
        get, get_many = backend.get, backend.get_many
        inside = []  # local memory's get_many calls get once per key: one trip all the same

        def one(key, *args, **kwargs):
            if not inside:
                self.calls.append([key])
            return get(key, *args, **kwargs)

        def many(keys, *args, **kwargs):
            self.calls.append(list(keys))
            inside.append(True)
            try:
                return get_many(keys, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, "get", one)
        monkeypatch.setattr(backend, "get_many", many)

    def of(self, *fragments) -> list[list[str]]:
        """The round trips that asked for a key containing any of `fragments`."""
        return [c for c in self.calls if any(f in k for k in c for f in fragments)]


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


def test_the_session_and_its_user_are_read_in_one_round_trip(client, org_owner, monkeypatch):
    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert client.get(url).status_code == 200  # the store learns whose session this is
    reads = CacheReads(monkeypatch)
    response = client.get(url)
    assert response.status_code == 200 and response.wsgi_request.user == org_owner
    session_key = client.session.session_key
    trips = reads.of("sessions", "signed-in-user")
    assert len(trips) == 1
    assert any(session_key in key for key in trips[0])
    assert any(key.endswith(f"signed-in-user:{org_owner.pk}") for key in trips[0])


def test_a_wrong_guess_of_the_session_s_user_is_ignored(client, org_owner, org_viewer, monkeypatch):
    from portal import sessions

    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert client.get(url).status_code == 200
    assert client.get(url).wsgi_request.user.pk == org_owner.pk  # guessed right: one trip
    # Suppose the process remembered the session as someone else's: that user's entry is
    # fetched with the session, but the session's own data decides who is signed in.
    sessions._USER_OF[client.session.session_key] = str(org_viewer.pk)
    reads = CacheReads(monkeypatch)
    response = client.get(url)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == org_owner.pk
    keys = [key for trip in reads.of("signed-in-user") for key in trip]
    assert any(key.endswith(f"signed-in-user:{org_owner.pk}") for key in keys)
    assert sessions._USER_OF[client.session.session_key] == str(org_owner.pk)


def test_a_user_dropped_from_the_cache_is_read_from_the_database(client, org_owner):
    from portal import user_cache

    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert user_queries(client, url) == (200, 1)
    assert user_queries(client, url) == (200, 0)
    user_cache.forget(org_owner.pk)  # as any change to the user does
    assert user_queries(client, url) == (200, 1)  # the entry read with the session was absent
    assert user_queries(client, url) == (200, 0)


def test_the_offer_does_not_outlive_the_request(client, org_owner):
    from portal import user_cache

    client.force_login(org_owner)
    url = reverse("assessments:list")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert user_cache._OFFERED.get() is None


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
