import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import Env, check_production, check_secret_key
from tests.support import REPO_ROOT

STRONG_KEY = "k3y-" + "".join(chr(65 + (i * 7) % 26) for i in range(60))
PRODUCTION_ENV = {
    "HEGUI_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "hegui.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_django(args, env_overrides):
    inherited = set(PRODUCTION_ENV) | {"REDIS_URL", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_reports_no_issues_in_production_mode():
    result = run_django(["check", "--deploy"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL"),
        ({"HEGUI_ENV": "staging"}, "HEGUI_ENV"),
        ({"DEBUG": "maybe"}, "DEBUG"),
    ],
)
def test_production_start_up_fails_naming_the_variable(overrides, named):
    env = {**PRODUCTION_ENV, **overrides}
    if not env["SECRET_KEY"]:
        del env["SECRET_KEY"]
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.splitlines()[-1]


def test_development_mode_starts_without_any_variable():
    result = run_django(["check"], {"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode == 0, result.stderr


class TestEnv:
    def test_it_reads_booleans(self):
        env = Env({"A": "yes", "B": "0", "C": " True "})
        assert (env.bool("A", False), env.bool("B", True), env.bool("C", False)) == (
            True,
            False,
            True,
        )
        assert env.bool("MISSING", True) is True

    def test_it_rejects_a_bad_integer_naming_it(self):
        with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
            Env({"EMAIL_PORT": "smtp"}).int("EMAIL_PORT", 25)

    def test_it_rejects_an_integer_below_the_minimum(self):
        with pytest.raises(ImproperlyConfigured, match="AXES_FAILURE_LIMIT must be at least 1"):
            Env({"AXES_FAILURE_LIMIT": "0"}).int("AXES_FAILURE_LIMIT", 5, minimum=1)

    def test_it_splits_lists_and_drops_blanks(self):
        assert Env({"H": "a.example, ,b.example,"}).list("H") == ["a.example", "b.example"]

    def test_it_checks_url_schemes(self):
        env = Env({"DATABASE_URL": "postgres://db/hegui"})
        assert env.url("DATABASE_URL", ("postgres",)) == "postgres://db/hegui"
        with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
            env.url("DATABASE_URL", ("sqlite",))


@pytest.mark.parametrize(
    "key",
    ["", "django-insecure-" + "x" * 60, "a" * 80, "abcd" * 20, STRONG_KEY[:49]],
)
def test_weak_secret_keys_are_refused(key):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_secret_key(key)


def test_a_strong_secret_key_passes():
    check_secret_key(STRONG_KEY)
    check_production(secret_key=STRONG_KEY, debug=False, allowed_hosts=["hegui.example.com"])


@pytest.mark.parametrize(
    ("overrides", "engine", "cache"),
    [
        (
            {},
            "django.contrib.sessions.backends.db",
            "django.core.cache.backends.locmem.LocMemCache",
        ),
        ({"CACHE_URL": "redis://127.0.0.1:6379/1"}, "portal.sessions", "portal.cache.RedisCache"),
    ],
)
def test_sessions_use_the_cache_only_when_it_is_shared(overrides, engine, cache):
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"
    )
    result = run_django(["shell", "-c", code], {**PRODUCTION_ENV, **overrides})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [engine, cache]


@pytest.mark.parametrize(
    ("overrides", "options"),
    [
        ({}, {"server_side_binding": True, "prepare_threshold": 5}),
        ({"DATABASE_PREPARED_STATEMENTS": "false"}, {}),
        ({"DATABASE_URL": "sqlite:///:memory:"}, {}),
    ],
)
def test_postgresql_prepares_repeated_queries_unless_switched_off(overrides, options):
    code = (
        "from django.conf import settings; "
        "o = settings.DATABASES['default'].get('OPTIONS', {}); "
        "print(sorted((k, v) for k, v in o.items() "
        "if k in ('server_side_binding', 'prepare_threshold')))"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u@127.0.0.1:5432/x", **overrides}
    result = run_django(["shell", "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(sorted(options.items()))
