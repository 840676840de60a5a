"""A private PostgreSQL server that a fault test can restart without touching the shared one.

The suite's own database server is shared (by the test run itself and, on a developer's machine,
by anything else using it), so restarting it would break more than the process under test. A
fault test instead copies the test database into a throwaway cluster of the same PostgreSQL
version (initdb, pg_dump | psql) and points the process under test at that copy.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.db import connection


def postgres_bin() -> Path | None:
    """The folder of the server programs (initdb, pg_ctl, pg_dump…), newest version first."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = candidates[0] if candidates else shutil.which("initdb")
    return Path(os.path.realpath(found)).parent if found else None


class PrivatePostgres:
    """initdb, start, restart and remove a cluster on a free loopback port (trust auth)."""

    def __init__(self, port: int):
        self.port, self.bin = port, postgres_bin()
        # Not under pytest's tmp_path: that folder is private to root and the server runs as
        # the postgres user when the tests run as root (initdb refuses root).
        self.folder = Path(tempfile.mkdtemp(prefix="hegui-fault-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{port}/hegui"

    def run(self, *command: str, **kwargs) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return subprocess.run([*prefix, *command], check=True, capture_output=True, **kwargs)

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", "60", *args,
        )  # fmt: skip

    def create(self) -> None:
        self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self.pg_ctl("start")

    def restart(self) -> None:
        """A fast restart: every open connection is cut, as when the server is restarted."""
        self.pg_ctl("-m", "fast", "restart")

    def is_ready(self) -> bool:
        command = [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"]
        return subprocess.run(command).returncode == 0

    def copy_test_database(self) -> None:
        """Copy the test database (schema and committed rows) into a database named hegui."""
        settings = connection.settings_dict
        source = [
            str(self.bin / "pg_dump"),
            "--no-owner",
            "--no-privileges",
            "-h", settings.get("HOST") or "127.0.0.1",
            "-p", str(settings.get("PORT") or 5432),
            "-U", settings["USER"],
            settings["NAME"],
        ]  # fmt: skip
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        dump = subprocess.run(source, check=True, capture_output=True, env=env).stdout
        target = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        subprocess.run([str(self.bin / "createdb"), *target, "hegui"], check=True)
        subprocess.run(
            [str(self.bin / "psql"), *target, "-q", "-v", "ON_ERROR_STOP=1", "-d", "hegui"],
            input=dump,
            check=True,
            capture_output=True,
        )

    def query(self, sql: str, *params):
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql, params).fetchall()

    def remove(self) -> None:
        if self.data.exists():
            try:
                self.pg_ctl("-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass  # not running
        time.sleep(0.1)
        shutil.rmtree(self.folder, ignore_errors=True)
