"""Issue 9, defects 5 (NUL bytes), 7 (headers, sessions) and 9 (health check, proxy headers)."""

import time
from datetime import timedelta
from ipaddress import ip_network
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence
from portal import middleware
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def assessment(organisation, org_owner):
    load_small_questionnaire()
    return start_assessment(organisation, org_owner, S01="domestic", S02=500)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


class TestControlCharacters:
    @pytest.mark.parametrize(
        "path",
        [
            "/regulations/search/?q=%00",
            "/regulations/search/?q=a%00b",
            "/regulations/%00/",
            "/regulations/TST/articles/1/?on=%00",
            "/assessments/invitations/%00abc/",
            "/assessments/?x=%01",
            "/%00",
        ],
    )
    def test_a_nul_byte_in_a_public_url_is_a_400(self, english, path):
        response = english.get(path)
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert "not allowed" in response.content.decode()

    def test_the_message_is_in_the_default_language_unless_chosen(self, client):
        from django.utils import translation

        with translation.override("zh-hans"):
            expected = translation.gettext(
                "The address or the form contains a character that is not allowed."
            )
        assert client.get("/regulations/%00/").content.decode() == expected

    def test_a_nul_byte_in_a_member_url_is_a_400(self, client, org_owner, assessment):
        client.force_login(org_owner)
        pk = assessment.pk
        for path in (
            f"/assessments/{pk}/section/%00/",
            f"/assessments/{pk}/section/CSL/?tab=%00",
            f"/assessments/{pk}/answer/CSL-01%00/",
            "/assessments/evidence/1/?download=%00",
        ):
            assert client.get(path).status_code == 400, path

    def test_a_nul_byte_in_a_posted_value_is_a_400_before_the_view(
        self, client, org_owner, assessment
    ):
        client.force_login(org_owner)
        pk = assessment.pk
        posts = [
            (f"/assessments/{pk}/assign/CSL/", {"assignee": "1\x00"}),
            (f"/assessments/{pk}/answer/CSL-01/", {"CSL-01-comment": "x\x00y"}),
            (f"/assessments/{pk}/answer/CSL-01/", {"CSL-01-revision\x00": "0"}),
            (f"/assessments/{pk}/answer/CSL-01%00/evidence/", {}),
        ]
        for path, data in posts:
            assert client.post(path, data).status_code == 400, path
        assert not assessment.answers.filter(question__code="CSL-01").exists()

    def test_new_lines_and_tabs_in_a_comment_are_kept(self, client, org_owner, assessment):
        client.force_login(org_owner)
        url = reverse("assessments:answer", args=[assessment.pk, "CSL-01"])
        data = {"CSL-01-revision": 0, "CSL-01-answer": "3", "CSL-01-comment": "a\r\n\tb"}
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert assessment.answers.get(question__code="CSL-01").comment == "a\r\n\tb"

    def test_a_sign_in_with_a_nul_byte_is_refused_without_counting(self, client, org_owner):
        from axes.models import AccessAttempt

        response = client.post(reverse("login"), {"username": "a\x00@b.cn", "password": "x"})
        assert response.status_code == 400
        assert AccessAttempt.objects.count() == 0


class TestPrivacyHeaders:
    def test_every_response_has_a_permissions_policy(self, client):
        policy = client.get(reverse("login"))["Permissions-Policy"]
        assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy

    def test_a_page_for_a_signed_in_user_is_not_stored(self, client, org_owner):
        client.force_login(org_owner)
        for url in (reverse("home"), reverse("regulations:list")):
            cache_control = client.get(url)["Cache-Control"]
            assert "no-store" in cache_control and "private" in cache_control, url

    def test_a_public_page_for_an_anonymous_visitor_may_be_cached(self, client):
        assert "no-store" not in client.get(reverse("regulations:list")).get("Cache-Control", "")

    def test_an_evidence_download_is_not_stored(
        self, client, org_owner, assessment, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        answer(assessment, "CSL-01", org_owner, level=3)
        client.force_login(org_owner)
        client.post(
            reverse("assessments:evidence_upload", args=[assessment.pk, "CSL-01"]),
            {"file": SimpleUploadedFile("制度.pdf", PDF_BYTES)},
        )
        response = client.get(reverse("assessments:evidence", args=[Evidence.objects.get().pk]))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


class Clock:
    """Moves the time the session machinery sees, without sleeping."""

    def __init__(self, monkeypatch):
        self.offset = timedelta()
        real_now, real_time = timezone.now, time.time
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)
        fake_time = SimpleNamespace(time=lambda: real_time() + self.offset.total_seconds())
        monkeypatch.setattr(middleware, "time", fake_time)

    def advance(self, **delta):
        self.offset += timedelta(**delta)


class TestSessions:
    def test_a_session_lasts_eight_hours_by_default(self, settings):
        assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60

    def test_an_idle_session_ends_after_the_time_out(self, client, org_owner, monkeypatch):
        clock = Clock(monkeypatch)
        client.force_login(org_owner)
        clock.advance(hours=8, minutes=1)
        response = client.get(reverse("assessments:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_activity_keeps_the_session_alive(self, client, org_owner, monkeypatch):
        clock = Clock(monkeypatch)
        client.force_login(org_owner)
        for _ in range(3):
            clock.advance(hours=6)
            assert client.get(reverse("assessments:list")).status_code == 200

    def test_a_page_soon_after_sign_in_does_not_write_the_session(self, client, org_owner):
        from django.contrib.sessions.models import Session

        client.force_login(org_owner)
        before = Session.objects.get().expire_date
        client.get(reverse("home"))
        assert Session.objects.get().expire_date == before


class TestHealthCheck:
    def test_the_probe_on_loopback_is_answered_whatever_the_host(self, client, settings):
        settings.ALLOWED_HOSTS = ["hegui.example.com"]
        settings.REDIS_URL = ""
        response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000", REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200
        assert response.json()["status"] == "ok"

    def test_an_unknown_host_from_outside_is_still_refused(self, client, settings):
        settings.ALLOWED_HOSTS = ["hegui.example.com"]
        response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000", REMOTE_ADDR="192.0.2.1")
        assert response.status_code == 400


class TestForwardedProto:
    @pytest.fixture
    def https_only(self, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        settings.TRUSTED_PROXIES = [ip_network("10.0.0.2")]

    def test_a_client_cannot_claim_https_over_plain_http(self, client, https_only):
        response = client.get(
            reverse("login"), REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_PROTO="https"
        )
        assert response.status_code == 301
        assert response["Location"].startswith("https://")

    def test_the_trusted_proxy_can(self, client, https_only):
        response = client.get(
            reverse("login"), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https"
        )
        assert response.status_code == 200
