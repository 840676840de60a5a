"""A scratch PostgreSQL database of its own for a test (created empty, dropped afterwards).

The server is $HEGUI_TEST_PG, else the one the suite runs on (CI's DATABASE_URL), else the local
server as `postgres`; without one the test is skipped locally (and fails in CI, where every test
must run). The role needs CREATEDB.
"""

import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support import REPO_ROOT


def server_url() -> str:
    """$HEGUI_TEST_PG, else the suite's own PostgreSQL server (CI), else the local one."""
    if os.environ.get("HEGUI_TEST_PG"):
        return os.environ["HEGUI_TEST_PG"]
    suite = os.environ.get("DATABASE_URL", "")
    if suite.startswith(("postgres://", "postgresql://")):
        return suite
    return "postgres://postgres@127.0.0.1:5432/postgres"


# CREATE and DROP DATABASE go through the maintenance database of that server.
SERVER = urlunsplit(urlsplit(server_url())._replace(path="/postgres"))
VENV_BIN = str(Path(sys.executable).parent)


def database_url(name: str) -> str:
    parts = urlsplit(SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(sql: str) -> None:
    subprocess.run(
        ["psql", SERVER, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )


def server_available() -> bool:
    try:
        admin_sql("SELECT 1")
    except (OSError, subprocess.SubprocessError):
        return False
    return True


@contextmanager
def scratch_database(prefix: str):
    """The URL of a new, empty database, dropped when the block ends."""
    if not server_available():
        pytest.skip(f"no PostgreSQL server at {SERVER}")
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clean_env(**overrides) -> dict:
    """The environment of a server process: this one's, less the test suite's settings."""
    drop = {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "HEGUI_ENV", "SECRET_KEY", "DEBUG"}
    drop |= {"ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "HEGUI_ADMIN_PASSWORD"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")
    env.update(overrides)
    return env


def run(args, env, *, shell=False, timeout=300):
    return subprocess.run(
        args,
        cwd=REPO_ROOT,
        env=env,
        shell=shell,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
