"""Issue 15, acceptance 1: from an empty PostgreSQL database to a signed-in administrator,
with the commands the compose stack runs (its `migrate` service, then `createadmin`)."""

import json

import pytest
import yaml

from tests.operations.postgres import clean_env, run, scratch_database
from tests.portal.test_settings import STRONG_KEY
from tests.support import REPO_ROOT

ADMIN_EMAIL = "ops@hegui.example.cn"
ADMIN_PASSWORD = "Qiang-mima-2026-ops!"

SIGN_IN = f"""
import json
from django.test import Client
from portal.roles import is_platform_admin, is_content_admin
from portal.models import User, Organisation, Membership, RegulatorProfile
from regulations.models import Regulation
from assessments.models import QuestionnaireVersion
c = Client()
login = {{"username": "{ADMIN_EMAIL.upper()}", "password": "{ADMIN_PASSWORD}"}}
r = c.post("/accounts/login/", login)
user = User.objects.get(email="{ADMIN_EMAIL}")
home = c.get("/")
print(json.dumps({{
  "login": r.status_code, "location": r.get("Location", ""),
  "home": home.status_code, "session": c.session.get("_auth_user_id") == str(user.pk),
  "platform": is_platform_admin(user), "content": is_content_admin(user),
  "superuser": user.is_superuser,
  "users": User.objects.count(), "organisations": Organisation.objects.count(),
  "memberships": Membership.objects.count(), "regulators": RegulatorProfile.objects.count(),
  "regulations": Regulation.objects.count(),
  "published": list(
    QuestionnaireVersion.objects.filter(status="published").values_list("number", flat=True)
  ),
}}))
"""


def migrate_command() -> str:
    services = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    command = services["services"]["migrate"]["command"]
    assert command[:2] == ["sh", "-c"]
    return command[2]


def production(url: str, **extra) -> dict:
    return clean_env(
        HEGUI_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="hegui.example.cn",
        SITE_URL="https://hegui.example.cn",
        DATABASE_URL=url,
        **extra,
    )


def test_compose_first_run_on_an_empty_database_then_the_administrator_signs_in():
    with scratch_database("hegui_firstrun") as url:
        env = production(url)
        for _ in range(2):  # every `docker compose up` runs it again: nothing changes
            result = run(migrate_command(), env, shell=True)
            assert result.returncode == 0, result.stderr[-3000:]

        weak = run(
            ["python", "manage.py", "createadmin", "--no-input"],
            {**env, "HEGUI_ADMIN_EMAIL": ADMIN_EMAIL, "HEGUI_ADMIN_PASSWORD": "12345678"},
        )
        assert weak.returncode != 0
        assert "The password is too weak" in weak.stderr

        admin_env = {**env, "HEGUI_ADMIN_EMAIL": ADMIN_EMAIL}
        admin_env["HEGUI_ADMIN_PASSWORD"] = ADMIN_PASSWORD
        created = run(["python", "manage.py", "createadmin", "--no-input"], admin_env)
        assert created.returncode == 0, created.stderr
        assert f"Created the platform administrator {ADMIN_EMAIL}" in created.stdout
        again = run(["python", "manage.py", "createadmin", "--no-input"], admin_env)
        assert again.returncode == 0 and "nothing changed" in again.stdout

        # Signing in: the development settings on the same database (no HTTPS redirect, no
        # second factor to enrol), through the real sign-in view.
        signed = run(
            ["python", "manage.py", "shell", "-c", SIGN_IN],
            clean_env(DATABASE_URL=url, TWO_FACTOR_REQUIRED="false"),
        )
        assert signed.returncode == 0, signed.stderr[-3000:]
        state = json.loads(signed.stdout.strip().splitlines()[-1])
    assert state["login"] == 302 and state["session"] and state["home"] == 200
    assert state["platform"] and not state["content"] and not state["superuser"]
    # Bundled content only: no demo organisation, member or regulator.
    assert (state["users"], state["organisations"], state["memberships"]) == (1, 0, 0)
    assert state["regulators"] == 0
    assert state["regulations"] >= 12
    assert state["published"] == [max(state["published"])] and state["published"]


@pytest.mark.django_db
class TestCreateAdmin:
    def call(self, monkeypatch, *args, **env):
        from django.core.management import call_command

        for key in ("HEGUI_ADMIN_EMAIL", "HEGUI_ADMIN_PASSWORD", "HEGUI_ADMIN_NAME"):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        from django.utils import translation

        with translation.override("en"):
            return call_command("createadmin", "--no-input", *args)

    def test_a_password_like_the_address_is_refused_and_nothing_is_written(self, monkeypatch):
        from django.core.management import CommandError

        from portal.models import User

        with pytest.raises(CommandError, match="too weak.*too similar"):
            self.call(
                monkeypatch,
                HEGUI_ADMIN_EMAIL="wangfang2026@example.cn",
                HEGUI_ADMIN_PASSWORD="wangfang2026",
            )
        assert not User.objects.exists()

    def test_missing_address_or_password_is_a_clear_message(self, monkeypatch):
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="No e-mail address"):
            self.call(monkeypatch)
        with pytest.raises(CommandError, match="No password"):
            self.call(monkeypatch, HEGUI_ADMIN_EMAIL="a@example.cn")
        with pytest.raises(CommandError, match="not an e-mail address"):
            self.call(monkeypatch, "--email", "nobody", HEGUI_ADMIN_PASSWORD=ADMIN_PASSWORD)

    def test_a_content_administrator_and_an_existing_account(self, monkeypatch, org_owner):
        from django.core.management import CommandError

        from portal.models import AuditEvent, User
        from portal.roles import is_content_admin, is_platform_admin

        self.call(
            monkeypatch,
            "--role",
            "content",
            "--email",
            "Editor@Example.cn",
            HEGUI_ADMIN_PASSWORD=ADMIN_PASSWORD,
        )
        user = User.objects.get(email="editor@example.cn")
        assert is_content_admin(user) and not is_platform_admin(user)
        assert AuditEvent.objects.filter(verb="admin.create", object_id=str(user.pk)).exists()
        with pytest.raises(CommandError, match="already has an account"):
            self.call(monkeypatch, "--email", org_owner.email, HEGUI_ADMIN_PASSWORD=ADMIN_PASSWORD)
