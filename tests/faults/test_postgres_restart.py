"""PostgreSQL restarted under a running web process and a running worker: both recover alone.

A real gunicorn (two workers) and a real `celery worker` run against a private copy of the test
database (tests/faults/postgres.py), so restarting that server cuts every connection they hold
without disturbing the suite's own. Requests made while the server is down may fail; once it
answers again, none may, and neither process is restarted.

The other faults are covered in tests/assessments/test_faults.py: Redis stopped and started (a
submission made while it is down is kept and scored once it returns, by the sweep), a whole
worker or a pool process killed mid-task (scored exactly once), and one task delivered twice at
once (one result).
"""

import http.cookiejar
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from assessments import tasks
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire
from tests.assessments.test_faults import (
    WAIT,
    RedisServer,
    celery_broker,
    free_port,
    wait_for,
)
from tests.factories import MembershipFactory
from tests.faults.postgres import PrivatePostgres, postgres_bin

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PAGE = "/assessments/"  # signed in: reads the session, the user and the memberships


def require_postgres_tools():
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("fault tests need REDIS_URL and DATABASE_URL=postgres:// (CI sets both)")
    if postgres_bin() is None:
        pytest.skip("the PostgreSQL server programs (initdb, pg_ctl) are not installed")


@pytest.fixture
def member_session(organisation):
    """A signed-in owner; the session row is in the test database, copied with it."""
    user = MembershipFactory(organisation=organisation, role="owner").user
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def private_postgres(transactional_db):
    """A private server holding a copy of the test database as it is when the fixture runs."""
    require_postgres_tools()
    server = PrivatePostgres(free_port())
    try:
        server.create()
        yield server
    finally:
        server.remove()


def environment(server: PrivatePostgres, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "HEGUI_ENV")}
    return {**env, "DATABASE_URL": server.url, "DEBUG": "false", **extra}


class Gunicorn:
    def __init__(self, server: PrivatePostgres, folder: Path):
        self.port = free_port()
        self.log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "portal.wsgi:application",
                f"--bind=127.0.0.1:{self.port}", "--workers=2", "--timeout=30",
            ],
            cwd=REPO,
            env=environment(server),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.opener = None

    def sign_in(self, session_key: str):
        jar = http.cookiejar.CookieJar()
        jar.set_cookie(
            http.cookiejar.Cookie(
                0, settings.SESSION_COOKIE_NAME, session_key, None, False, "127.0.0.1", False,
                False, "/", True, False, None, False, None, None, {},
            )
        )  # fmt: skip
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str = PAGE) -> int:
        """The status of one request; 0 when no HTTP answer came at all."""
        try:
            with self.opener.open(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0

    def workers(self) -> set[int]:
        command = ["pgrep", "-P", str(self.process.pid)]
        output = subprocess.run(command, capture_output=True, text=True).stdout
        return {int(pid) for pid in output.split()}

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


@pytest.fixture
def gunicorn(private_postgres, tmp_path):
    web = Gunicorn(private_postgres, tmp_path)
    yield web
    web.stop()


class Hammer(threading.Thread):
    """Requests one after another until stopped, recording (time, status)."""

    def __init__(self, web: Gunicorn):
        super().__init__(daemon=True)
        self.web, self.results, self.stopping = web, [], threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.results.append((time.monotonic(), self.web.get()))
            time.sleep(0.01)

    def stop(self):
        self.stopping.set()
        self.join(15)


def test_the_web_process_serves_again_once_postgresql_is_back_without_a_restart(
    member_session, private_postgres, gunicorn
):
    private_postgres.copy_test_database()
    gunicorn.sign_in(member_session)
    wait_for(lambda: gunicorn.get() == 200, "gunicorn to serve the signed-in page")
    assert [gunicorn.get() for _ in range(20)] == [200] * 20  # both workers hold a connection
    workers = gunicorn.workers()
    assert len(workers) == 2

    # Restarted while requests keep coming: those made while it is down may fail.
    hammer = Hammer(gunicorn)
    hammer.start()
    time.sleep(0.3)
    private_postgres.restart()
    wait_for(private_postgres.is_ready, "PostgreSQL to accept connections again")
    back = time.monotonic()
    time.sleep(0.5)
    hammer.stop()
    before = [status for at, status in hammer.results if at < back]
    after = [status for at, status in hammer.results if at >= back]
    assert before.count(200) >= 1
    assert after + [gunicorn.get() for _ in range(10)] == [200] * (len(after) + 10)

    # Restarted while the portal is idle: the first requests after it find kept connections
    # that are dead, and must not fail for that.
    assert [gunicorn.get() for _ in range(10)] == [200] * 10
    private_postgres.restart()
    wait_for(private_postgres.is_ready, "PostgreSQL to accept connections again")
    assert [gunicorn.get() for _ in range(20)] == [200] * 20

    assert gunicorn.process.poll() is None
    assert gunicorn.workers() == workers  # the same processes: nothing was restarted


class CeleryWorker:
    def __init__(self, server: PrivatePostgres, redis_url: str, folder: Path):
        self.path = folder / "worker.log"
        self.log = open(self.path, "w")  # noqa: SIM115 - closed in stop
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
                "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname=pgfault@%h",
            ],
            cwd=REPO,
            env=environment(server, REDIS_URL=redis_url),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(lambda: "ready." in self.output() or self.process.poll() is not None, "worker")
        assert self.process.poll() is None, self.output()

    def output(self) -> str:
        return self.path.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def results_for(server: PrivatePostgres, submission_id: int) -> int:
    sql = "SELECT count(*) FROM assessments_scoreresult WHERE submission_id = %s"
    return server.query(sql, submission_id)[0][0]


def test_a_worker_scores_again_once_postgresql_is_back_and_stores_each_result_once(
    organisation, private_postgres, tmp_path
):
    version = small_questionnaire()
    answers = {"CSL-01": {"level": 1}}
    before, after = (
        make_submission(organisation, version, SMALL_SCOPING, answers=answers) for _ in range(2)
    )
    private_postgres.copy_test_database()
    redis = RedisServer(tmp_path)
    redis.start()
    worker = None
    try:
        with celery_broker(redis.url):
            worker = CeleryWorker(private_postgres, redis.url, tmp_path)
            tasks.score_submission.delay(before.pk)
            wait_for(lambda: results_for(private_postgres, before.pk), "the first result")

            private_postgres.restart()  # the worker's kept connection is now dead
            wait_for(private_postgres.is_ready, "PostgreSQL to accept connections again")
            tasks.score_submission.delay(after.pk)
            wait_for(lambda: results_for(private_postgres, after.pk), "the second result", WAIT)
            tasks.score_submission.delay(after.pk)  # a late duplicate stores nothing
            wait_for(lambda: worker.output().count("succeeded in") >= 3, "the duplicate")
            assert worker.process.poll() is None  # the same process throughout
    finally:
        if worker:
            worker.stop()
        redis.stop()
    assert results_for(private_postgres, before.pk) == 1
    assert results_for(private_postgres, after.pk) == 1
    assert worker.output().count("'already scored'") == 1
