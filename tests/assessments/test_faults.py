"""Fault tests against a real Redis and PostgreSQL, with real `celery worker` processes.

Each test starts its own redis-server on a free port (never the shared one), points the Celery
app at it, and runs workers as subprocesses on the same test database. They need REDIS_URL
(CI sets it) and PostgreSQL; elsewhere they skip, which CI's strict mode turns into failures.

A hook installed in the worker (see WORKER below) can hold a task at a chosen point of
`assessments.results` until a file disappears, so a test can kill the worker mid-task.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from assessments import services, tasks
from assessments.models import Assessment, Finding, ScoreResult, Submission
from portal.celery import app
from tests.assessments import factories
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
WAIT = 30  # seconds; generous for a loaded CI machine

# The worker: the project's Celery app, plus a hold hook enabled by environment variables.
WORKER = """
import os, pathlib, sys, time
from celery.signals import task_prerun
from portal.celery import app

def install_hold(**_):
    from assessments import results
    name = os.environ.get("HEGUI_TEST_HOLD_AT")
    if not name or getattr(results, "_test_hold_installed", False):
        return
    results._test_hold_installed = True
    folder = pathlib.Path(os.environ["HEGUI_TEST_DIR"])
    parties = int(os.environ.get("HEGUI_TEST_PARTIES", "1"))
    original = getattr(results, name)

    def held(**kwargs):
        (folder / f"started-{os.getpid()}").touch()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            (folder / "hold").exists() or len(list(folder.glob("started-*"))) < parties
        ):
            time.sleep(0.02)
        return original(**kwargs)

    setattr(results, name, held)

task_prerun.connect(install_hold, weak=False)
app.worker_main(["worker", *sys.argv[1:]])
"""


def require_real_services():
    if not os.environ.get("REDIS_URL") or connection.vendor != "postgresql":
        pytest.skip("fault tests need REDIS_URL and DATABASE_URL=postgres:// (CI sets both)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A throwaway redis-server (no persistence) that a test can stop and start again."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, "redis-server to answer")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        wait_for(lambda: not self.ping(), "redis-server to stop")

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.ConnectionError:
            return False

    def client(self):
        import redis

        return redis.Redis(port=self.port)


@contextmanager
def celery_broker(url: str):
    """Point this process's Celery app at `url`, dropping pooled connections to the old one."""
    previous = app.conf.broker_url
    app.conf.broker_url = url
    app._after_fork()  # forget cached connection and producer pools
    try:
        yield
    finally:
        app.conf.broker_url = previous
        app._after_fork()


@pytest.fixture
def redis_server(tmp_path):
    require_real_services()
    server = RedisServer(tmp_path)
    server.start()
    with celery_broker(server.url):
        yield server
    server.stop()


class Workers:
    """`celery worker` subprocesses on the test database and the test's redis-server."""

    def __init__(self, redis_url: str, folder: Path):
        self.redis_url, self.folder, self.processes, self.logs = redis_url, folder, [], []

    def start(self, *options: str, hold_at: str = "", parties: int = 1, pool: str = "solo"):
        n = len(self.processes)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.redis_url,
            "HEGUI_TEST_DIR": str(self.folder),
            "HEGUI_TEST_HOLD_AT": hold_at,
            "HEGUI_TEST_PARTIES": str(parties),
        }
        log = open(self.folder / f"worker-{n}.log", "w")  # noqa: SIM115 - closed in stop_all
        self.logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                "--loglevel=INFO",
                f"--pool={pool}",
                f"--hostname=fault{n}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *options,
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        wait_for(lambda: "ready." in self.log(n) or process.poll() is not None, "worker ready")
        assert process.poll() is None, self.log(n)
        return process

    def log(self, n: int) -> str:
        return (self.folder / f"worker-{n}.log").read_text(errors="replace")

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        for log in self.logs:
            log.close()


def database_url() -> str:
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


@pytest.fixture
def workers(redis_server, tmp_path):
    pool = Workers(redis_server.url, tmp_path)
    yield pool
    pool.stop_all()


@pytest.fixture
def submission(organisation):
    return make_submission(
        organisation, small_questionnaire(), SMALL_SCOPING, answers={"CSL-01": {"level": 1}}
    )


def started(folder: Path) -> list[int]:
    return [int(p.name.split("-")[1]) for p in folder.glob("started-*")]


def scored_once(submission_id: int) -> bool:
    return ScoreResult.objects.filter(submission_id=submission_id).exists()


def queue_is_drained(server: RedisServer) -> bool:
    client = server.client()
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def assert_scored_exactly_once(submission_id: int):
    assert ScoreResult.objects.filter(submission_id=submission_id).count() == 1
    result = ScoreResult.objects.get(submission_id=submission_id)
    # CSL-01 at level 1 is the only gap: one finding, once.
    assert list(Finding.objects.filter(result=result).values_list("question_code", flat=True)) == [
        "CSL-01"
    ]
    assert Assessment.objects.get(submissions__pk=submission_id).status == "scored"


def test_a_whole_worker_killed_mid_task_leaves_the_submission_to_be_scored_exactly_once(
    redis_server, workers, submission, tmp_path
):
    (tmp_path / "hold").touch()
    first = workers.start(hold_at="findings_store")  # holds after inserting the result row
    services.enqueue_scoring(submission.pk)
    wait_for(lambda: started(tmp_path), "the task to reach the hold point")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    # The worker died inside its transaction: nothing was stored, the message is unacked.
    assert not scored_once(submission.pk)
    assert redis_server.client().hlen("unacked") == 1
    (tmp_path / "hold").unlink()

    workers.start()
    assert tasks.sweep_unscored(older_than_seconds=0) == 1
    wait_for(lambda: scored_once(submission.pk), "the new worker to score the submission")

    # Later Redis redelivers the original message (visibility timeout): it stores nothing.
    channel = app.connection_for_write().default_channel
    for tag in redis_server.client().hkeys("unacked"):
        channel.qos.restore_by_tag(tag)
    wait_for(lambda: queue_is_drained(redis_server), "the redelivered message to be handled")
    assert "'already scored'" in workers.log(1)
    assert_scored_exactly_once(submission.pk)


def test_a_pool_process_killed_mid_task_is_redelivered_and_scored_exactly_once(
    redis_server, workers, submission, tmp_path
):
    (tmp_path / "hold").touch()
    workers.start("--concurrency=1", pool="prefork", hold_at="findings_store")
    services.enqueue_scoring(submission.pk)
    [child] = wait_for(lambda: started(tmp_path), "the task to reach the hold point")
    (tmp_path / f"started-{child}").unlink()
    (tmp_path / "hold").unlink()  # the next attempt may go through…
    os.kill(child, signal.SIGKILL)  # …but this one dies before committing
    # acks_late + reject_on_worker_lost: the worker requeues the message itself.
    wait_for(lambda: scored_once(submission.pk), "the redelivered task to score it")
    wait_for(lambda: queue_is_drained(redis_server), "the queue to drain")
    assert "WorkerLostError" in workers.log(0)
    assert_scored_exactly_once(submission.pk)


def test_a_submission_made_while_redis_is_down_is_kept_and_scored_once_it_returns(
    redis_server, workers, organisation
):
    small_questionnaire()
    owner = factories.writer(organisation)
    assessment = factories.start_assessment(organisation, owner, S01="domestic", S02=2_000_000)
    for code, data in {
        "CSL-01": {"level": 1},
        "CSL-02": {"value": True},
        "CSL-03": {"value": 6},
        "PIPL-01": {"level": 3},
        "PIPL-02": {"level": 3},
    }.items():
        factories.answer(assessment, code, owner, **data)

    redis_server.stop()
    began = time.monotonic()
    submission = services.assessment_submit(
        assessment=assessment, by=owner, attestation=factories.ATTESTATION
    )
    assert time.monotonic() - began < 10  # the member is not kept waiting on the broker
    submission = Submission.objects.get(pk=submission.pk)  # committed and kept
    assert submission.scoring_enqueued_at is None
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"

    redis_server.start()  # same port, empty: the message was never published
    assert redis_server.client().llen("celery") == 0
    workers.start()
    assert tasks.sweep_unscored(older_than_seconds=0) == 1
    wait_for(lambda: scored_once(submission.pk), "the worker to score the submission")
    wait_for(lambda: queue_is_drained(redis_server), "the queue to drain")
    assert ScoreResult.objects.filter(submission=submission).count() == 1
    assert Submission.objects.get(pk=submission.pk).scoring_enqueued_at is not None


def test_the_same_task_delivered_twice_at_once_stores_one_result(
    redis_server, workers, submission, tmp_path
):
    # Both deliveries pass the "already scored?" check, then meet at the insert.
    workers.start("--concurrency=2", pool="prefork", hold_at="result_store", parties=2)
    message = tasks.score_submission.apply_async(args=(submission.pk,))
    tasks.score_submission.apply_async(args=(submission.pk,), task_id=message.id)
    wait_for(lambda: len(started(tmp_path)) == 2, "both deliveries to run at once")
    wait_for(lambda: queue_is_drained(redis_server), "both deliveries to finish")
    wait_for(lambda: workers.log(0).count("succeeded in") == 2, "two successes in the log")
    assert workers.log(0).count("'already scored'") == 1
    assert_scored_exactly_once(submission.pk)
