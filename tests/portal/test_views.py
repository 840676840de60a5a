import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


class TestLanguages:
    def test_the_default_language_is_simplified_chinese(self, client):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        assert response["Content-Language"] == "zh-hans"
        body = response.content.decode()
        assert '<html lang="zh-hans">' in body
        assert "登录" in body

    def test_english_renders_when_chosen(self, client):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = client.get(reverse("login"))
        body = response.content.decode()
        assert response["Content-Language"] == "en"
        assert "Sign in" in body
        assert "登录" not in body

    def test_the_home_page_greets_a_member_in_each_language(self, client, org_owner, organisation):
        client.force_login(org_owner)
        chinese = client.get(reverse("home")).content.decode()
        assert "你的单位" in chinese and organisation.name in chinese
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        english = client.get(reverse("home")).content.decode()
        assert "Your organisations" in english and "Owner" in english

    def test_no_asset_is_loaded_from_another_host(self, client):
        body = client.get(reverse("login")).content.decode()
        assert 'src="http' not in body and 'href="http' not in body
        assert "/static/vendor/bootstrap/css/bootstrap.min.css" in body
        assert "/static/vendor/htmx/htmx.min.js" in body


class TestNavigation:
    def test_a_content_admin_sees_the_administration_link(self, client, content_admin):
        client.force_login(content_admin)
        assert reverse("admin:index") in client.get(reverse("home")).content.decode()

    def test_a_member_does_not(self, client, org_editor):
        client.force_login(org_editor)
        assert reverse("admin:index") not in client.get(reverse("home")).content.decode()


class TestHealthz:
    def test_it_is_up_when_the_database_answers(self, client, settings):
        settings.REDIS_URL = ""
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "broker": "not configured"},
        }

    def test_it_is_503_when_the_database_is_down(self, client, settings, monkeypatch):
        settings.REDIS_URL = ""

        def broken_cursor(*args, **kwargs):
            raise connection.Database.OperationalError("connection refused")

        monkeypatch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["database"] == "error: OperationalError"

    def test_it_is_503_when_the_broker_is_down(self, client, settings):
        settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["broker"].startswith("error")

    def test_it_reports_the_broker_when_configured_and_up(self, client, settings):
        import os

        url = os.environ.get("REDIS_URL")
        if not url:
            pytest.skip("REDIS_URL is not set: no broker to check (CI always sets it)")
        settings.REDIS_URL = url
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json()["checks"]["broker"] == "ok"


class TestSignIn:
    def test_a_member_signs_in_with_email_and_password(self, client, org_owner):
        response = client.post(
            reverse("login"), {"username": org_owner.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("home")

    def test_a_wrong_password_is_refused_with_a_message(self, client, org_owner):
        response = client.post(reverse("login"), {"username": org_owner.email, "password": "x"})
        assert response.status_code == 200
        assert "请输入一个正确的电子邮箱和密码" in response.content.decode()

    def test_the_account_locks_after_repeated_failures(self, client, org_owner, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": org_owner.email, "password": "wrong"})
        response = client.post(
            reverse("login"), {"username": org_owner.email, "password": PASSWORD}
        )
        assert response.status_code == 429
        body = response.content.decode()
        assert "登录失败次数过多" in body
        assert "15" in body
        assert "_auth_user_id" not in client.session

    def test_a_success_before_the_limit_resets_the_count(self, client, org_owner, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            client.post(reverse("login"), {"username": org_owner.email, "password": "wrong"})
        ok = client.post(reverse("login"), {"username": org_owner.email, "password": PASSWORD})
        assert ok.status_code == 302

    def test_sign_out_requires_post_and_ends_the_session(self, client, org_owner):
        client.force_login(org_owner)
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_password_reset_sends_a_link(self, client, org_owner, mailoutbox):
        response = client.post(reverse("password_reset"), {"email": org_owner.email})
        assert response.status_code == 302
        assert len(mailoutbox) == 1
        assert "/accounts/password/reset/" in mailoutbox[0].body

    def test_password_change_needs_the_old_password(self, client, org_owner):
        client.force_login(org_owner)
        response = client.post(
            reverse("password_change"),
            {
                "old_password": "nope",
                "new_password1": "Ab!23456789x",
                "new_password2": "Ab!23456789x",
            },
        )
        assert response.status_code == 200
        org_owner.refresh_from_db()
        assert org_owner.check_password(PASSWORD)


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response["Content-Language"] == "en"
