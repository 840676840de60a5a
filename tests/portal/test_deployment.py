"""Issue 9, defects 7 and 9: production cookies, trusted proxies, the compose stack."""

import json
from ipaddress import ip_network

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from portal.env import Env
from tests.portal.test_settings import PRODUCTION_ENV, run_django
from tests.support import REPO_ROOT

PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) "
    "for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', "
    "'LANGUAGE_COOKIE_SECURE', 'LANGUAGE_COOKIE_HTTPONLY', 'SESSION_COOKIE_AGE', "
    "'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS']}))"
)


def production_settings(**overrides) -> dict:
    result = run_django(["shell", "-c", PRINT_SETTINGS], {**PRODUCTION_ENV, **overrides})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def compose() -> dict:
    return yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_production_cookies_are_secure_and_http_only():
    values = production_settings()
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["LANGUAGE_COOKIE_SECURE"]
    assert values["LANGUAGE_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000


def test_the_idle_time_out_comes_from_the_environment():
    assert production_settings(SESSION_IDLE_MINUTES="30")["SESSION_COOKIE_AGE"] == 30 * 60


def test_forwarded_proto_is_believed_only_with_trusted_proxies():
    assert production_settings()["SECURE_PROXY_SSL_HEADER"] is None
    with_proxy = production_settings(TRUSTED_PROXIES="172.18.0.1")
    assert with_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_bad_trusted_proxy_stops_start_up_naming_the_variable():
    result = run_django(["check"], {**PRODUCTION_ENV, "TRUSTED_PROXIES": "10.0.0.1, proxy.lan"})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr.splitlines()[-1]


class TestEnvNetworks:
    def test_it_reads_addresses_and_networks(self):
        env = Env({"P": " 10.0.0.5, 172.16.0.0/12 ,::1"})
        assert env.networks("P") == [
            ip_network("10.0.0.5"),
            ip_network("172.16.0.0/12"),
            ip_network("::1"),
        ]
        assert env.networks("MISSING") == []

    def test_it_rejects_a_host_name(self):
        with pytest.raises(ImproperlyConfigured, match="P must list IP addresses"):
            Env({"P": "proxy.lan"}).networks("P")


class TestComposeStack:
    def test_gunicorn_honours_forwarded_headers_from_the_trusted_proxies_only(self):
        command = compose()["services"]["web"]["command"]
        assert "--forwarded-allow-ips=${TRUSTED_PROXIES:-127.0.0.1,::1}" in command
        assert not any("forwarded-allow-ips=*" in part for part in command)

    def test_gunicorn_is_published_on_loopback_only(self):
        (port,) = compose()["services"]["web"]["ports"]
        assert port == "${WEB_PUBLISH:-127.0.0.1:8000}:8000"

    def test_the_app_receives_the_trusted_proxies(self):
        assert "TRUSTED_PROXIES" in compose()["x-app"]["environment"]

    def test_the_health_check_calls_healthz_on_loopback(self):
        test = compose()["services"]["web"]["healthcheck"]["test"]
        assert test[-1] == "http://127.0.0.1:8000/healthz"

    def test_redis_evicts_only_what_expires_when_memory_runs_short(self):
        """Cached pages fill memory over time; queued tasks and the page-cache stamps, which
        never expire, must never be the ones evicted (portal/page_cache.py)."""
        command = compose()["services"]["redis"]["command"]
        assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"
        assert command[command.index("--maxmemory") + 1] == "${REDIS_MAXMEMORY:-1gb}"
