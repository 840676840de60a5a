"""Reading and validating configuration from environment variables.

Every helper names the variable in its error, so a bad deployment fails at start-up with a
message an operator can act on instead of a stack trace later.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
MODES = ("development", "production")
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5


class Env:
    """A typed view over a mapping of environment variables."""

    def __init__(self, environ: Mapping[str, str]):
        self.environ = environ

    def str(self, name: str, default: str = "") -> str:
        return self.environ.get(name, default).strip()

    def bool(self, name: str, default: bool) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}.")

    def int(self, name: str, default: int, *, minimum: int = 0) -> int:
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
        if value < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
        return value

    def list(self, name: str) -> list[str]:
        return [part.strip() for part in self.environ.get(name, "").split(",") if part.strip()]

    def networks(self, name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        """Comma-separated IP addresses or CIDR networks, e.g. `10.0.0.5, 172.16.0.0/12`."""
        networks = []
        for part in self.list(name):
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name} must list IP addresses or networks (10.0.0.5, 172.16.0.0/12), "
                    f"not {part!r}."
                ) from None
        return networks

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.str(name, default) or default
        if value not in choices:
            raise ImproperlyConfigured(
                f"{name} must be one of {', '.join(choices)}, not {value!r}."
            )
        return value

    def url(self, name: str, schemes: tuple[str, ...], default: str = "") -> str:
        value = self.str(name, default)
        if not value:
            return ""
        scheme = urlsplit(value).scheme
        if scheme not in schemes:
            raise ImproperlyConfigured(
                f"{name} must start with one of {', '.join(s + '://' for s in schemes)}; "
                f"got scheme {scheme or '(none)'!r}."
            )
        return value


def check_secret_key(key: str) -> None:
    """Reject a missing or weak SECRET_KEY (the same test as Django's security.W009)."""
    if not key:
        raise ImproperlyConfigured("SECRET_KEY is not set; production mode needs one.")
    if key.startswith("django-insecure-"):
        raise ImproperlyConfigured("SECRET_KEY is a development key; generate a new one.")
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} characters "
            f"with at least {SECRET_KEY_MIN_UNIQUE} different ones."
        )


def check_production(*, secret_key: str, debug: bool, allowed_hosts: list[str]) -> None:
    """Stop start-up in production mode when a setting would make the site unsafe."""
    check_secret_key(secret_key)
    if debug:
        raise ImproperlyConfigured("DEBUG must be off in production mode.")
    if not allowed_hosts:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
