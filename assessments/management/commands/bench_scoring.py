"""Benchmark scoring: the pure function on a 100-question submission, and the worker on a burst.

    python manage.py bench_scoring                       # pure function + 1,000 submissions
    python manage.py bench_scoring --submissions 200 --runs 200
    python manage.py bench_scoring --real-worker 2       # a real `celery worker` (needs Redis)

The worker part writes clearly labelled scratch data (questionnaire BENCH-SCRATCH, organisation
"BENCH scratch …") to the configured database, scores it through the task exactly as a worker
does (sequentially, or with a real worker), and deletes all of it afterwards, also when
interrupted. Leftovers of an earlier crashed run are removed first.
"""

import datetime as dt
import logging
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assessments import scoring, tasks
from assessments.models import (
    Assessment,
    Choice,
    Citation,
    Finding,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    ScoreResult,
    Section,
    Submission,
)
from portal.models import Organisation, User

SCRATCH_CODE = "BENCH-SCRATCH"
SCRATCH_USCC = "BENCHSCRATCH000000"
SCRATCH_EMAIL = "bench-scratch@hegui.invalid"
AS_OF = dt.date(2026, 3, 1)
TYPES = ["level"] * 70 + ["yesno"] * 10 + ["number"] * 10 + ["date"] * 5 + ["choice"] * 5
NUMBER_RUNGS = [{"min": 95, "level": 3}, {"min": 90, "level": 1}, {"level": 0}]
DATE_RUNGS = [{"max_age_days": 365, "level": 3}, {"max_age_days": 730, "level": 1}, {"level": 0}]
CHOICES = [("done", 3), ("late", 1), ("pending", 1), ("none", 0)]


# --------------------------------------------------------------------------- synthetic data


def question_specs(count: int, rng: random.Random) -> list[dict]:
    """`count` questions spread over the seven modules, with every answer type."""
    specs = []
    for n in range(count):
        module = scoring.MODULES[n % len(scoring.MODULES)]
        kind = TYPES[n % len(TYPES)]
        specs.append(
            {
                "code": f"{module}-{n:03d}",
                "module": module,
                "type": kind,
                "weight": rng.choice([1, 2, 3, 3, 5]),
                "red_line": n % 5 == 0,
                "also": [scoring.MODULES[(n + 3) % 7]] if n % 9 == 0 else [],
                "thresholds": {"number": NUMBER_RUNGS, "date": DATE_RUNGS}.get(kind, []),
            }
        )
    return specs


def frozen_answer(spec: dict, rng: random.Random, on: dt.date) -> dict:
    level = rng.choices([0, 1, 2, 3], weights=[1, 2, 3, 6])[0]
    answer = {
        "level": None,
        "value": None,
        "na_reason": "",
        "comment": "",
        "evidence": ["0" * 64] if rng.random() < 0.7 else [],
    }
    if not spec["red_line"] and rng.random() < 0.04:
        return {**answer, "na_reason": "bench: not applicable"}
    value = {
        "level": None,
        "yesno": level >= 2,
        "number": [80, 91, 93, 97][level],
        "date": (on - dt.timedelta(days=[900, 500, 400, 30][level])).isoformat(),
        "choice": ["none", "late", "pending", "done"][level],
    }[spec["type"]]
    return {**answer, "level": level} if spec["type"] == "level" else {**answer, "value": value}


def scoring_question(spec: dict) -> scoring.Question:
    return scoring.Question(
        code=spec["code"],
        module=spec["module"],
        answer_type=spec["type"],
        weight=spec["weight"],
        red_line=spec["red_line"],
        also_modules=tuple(spec["also"]),
        thresholds=tuple(scoring.Threshold(**t) for t in spec["thresholds"]),
        choice_levels=tuple(CHOICES) if spec["type"] == "choice" else (),
        citations=(scoring.Citation(spec["module"], 1 + len(spec["code"]) % 20),),
        text_zh=f"{spec['code']} 是否落实？",
        text_en=f"Is {spec['code']} in place?",
        remediation_zh="按要求整改。",
        remediation_en="Fix it as required.",
    )


# --------------------------------------------------------------------------- scratch database


def scratch_delete() -> None:
    """Remove every row the benchmark creates (children first; several relations PROTECT)."""
    submissions = Submission.objects.filter(assessment__version__questionnaire__code=SCRATCH_CODE)
    with transaction.atomic():
        Finding.objects.filter(result__submission__in=submissions).delete()
        ScoreResult.objects.filter(submission__in=submissions).delete()
        submissions.delete()
        Assessment.objects.filter(version__questionnaire__code=SCRATCH_CODE).delete()
        QuestionnaireVersion.objects.filter(questionnaire__code=SCRATCH_CODE).delete()
        Questionnaire.objects.filter(code=SCRATCH_CODE).delete()
        Organisation.objects.filter(uscc=SCRATCH_USCC).delete()
        User.objects.filter(email=SCRATCH_EMAIL).delete()


@transaction.atomic
def scratch_create(specs: list[dict], submissions: int, rng: random.Random) -> list[int]:
    """A 100-question version, one organisation, and `submissions` frozen submissions."""
    questionnaire = Questionnaire.objects.create(
        code=SCRATCH_CODE, title_zh="基准测试（临时）", title_en="Benchmark scratch"
    )
    # Retired: immutable like a published version (so the worker caches its questions as in
    # production) but never offered to anyone starting an assessment.
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=1,
        status=QuestionnaireVersion.Status.RETIRED,
        source_sha256=secrets.token_hex(32),
    )
    sections = {
        module: Section.objects.create(
            version=version, module=module, order=n, title_zh=module, title_en=module
        )
        for n, module in enumerate(scoring.MODULES)
    }
    rows = Question.objects.bulk_create(
        Question(
            version=version,
            section=sections[s["module"]],
            code=s["code"],
            order=n,
            text_zh=f"{s['code']} 是否落实？",
            text_en=f"Is {s['code']} in place?",
            answer_type=s["type"],
            weight=s["weight"],
            red_line=s["red_line"],
            also_modules=s["also"],
            thresholds=s["thresholds"],
            remediation_zh="按要求整改。",
            remediation_en="Fix it as required.",
            penalty={"regulation": s["module"], "article": 60, "zh": "罚款。", "en": "A fine."},
        )
        for n, s in enumerate(specs)
    )
    Choice.objects.bulk_create(
        Choice(question=row, value=value, label_zh=value, label_en=value, level=level, order=n)
        for row in rows
        if row.answer_type == "choice"
        for n, (value, level) in enumerate(CHOICES)
    )
    Citation.objects.bulk_create(
        Citation(question=row, regulation_code=row.section.module, article_number=1 + n % 20)
        for n, row in enumerate(rows)
    )
    return scratch_submissions(version, specs, submissions, rng)


def scratch_submissions(version, specs, count: int, rng: random.Random) -> list[int]:
    user = User.objects.create(email=SCRATCH_EMAIL, full_name="BENCH scratch user")
    organisation = Organisation.objects.create(
        name="BENCH scratch organisation (deleted after bench_scoring)",
        uscc=SCRATCH_USCC,
        sector="internet",
        province="110000",
        size="large",
    )
    scoping = {
        "grade": "G3",
        "modules": list(scoring.MODULES),
        "raised_impact_modules": ["PIPL"],
        "incident_modules": ["ALGO"],
    }
    assessments = Assessment.objects.bulk_create(
        Assessment(
            organisation=organisation,
            version=version,
            status="submitted",
            grade="G3",
            modules=list(scoring.MODULES),
            created_by=user,
        )
        for _ in range(count)
    )
    now = timezone.now()
    on = timezone.localdate(now)
    submissions = Submission.objects.bulk_create(
        Submission(
            assessment=assessment,
            number=1,
            version=version,
            grade="G3",
            scoping=scoping,
            answers={s["code"]: frozen_answer(s, rng, on) for s in specs},
            submitted_by=user,
            submitted_at=now,
            scoring_enqueued_at=now,
        )
        for assessment in assessments
    )
    return [s.pk for s in submissions]


# --------------------------------------------------------------------------- the command


class Command(BaseCommand):
    help = "Time the pure scoring function and the worker on a burst of queued submissions."

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, default=100)
        parser.add_argument("--runs", type=int, default=1000, help="pure-function repetitions")
        parser.add_argument("--submissions", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--real-worker",
            type=int,
            default=0,
            metavar="CONCURRENCY",
            help="score with a real `celery worker` of this concurrency (needs REDIS_URL)",
        )
        parser.add_argument("--skip-worker", action="store_true")

    def handle(self, *args, questions, runs, submissions, seed, real_worker, skip_worker, **_):
        specs = question_specs(questions, random.Random(seed))
        self.bench_pure(specs, runs, random.Random(seed))
        if skip_worker:
            return
        if real_worker and not settings.REDIS_URL:
            raise CommandError("--real-worker needs REDIS_URL (a broker the worker can read)")
        scratch_delete()
        try:
            ids = scratch_create(specs, submissions, random.Random(seed))
            if real_worker:
                self.bench_real_worker(ids, real_worker)
            else:
                self.bench_worker(ids)
        finally:
            scratch_delete()
            self.stdout.write("scratch data deleted")

    def bench_pure(self, specs: list[dict], runs: int, rng: random.Random) -> None:
        questions = [scoring_question(s) for s in specs]
        scope = scoring.Scope("G3", AS_OF, frozenset({"PIPL"}), frozenset({"ALGO"}))
        answer_sets = [
            {s["code"]: _answer(frozen_answer(s, rng, AS_OF)) for s in specs} for _ in range(20)
        ]
        for answers in answer_sets:  # warm up
            scoring.score(questions, answers, scope)
        timings = []
        for n in range(runs):
            answers = answer_sets[n % len(answer_sets)]
            start = time.perf_counter()
            scoring.score(questions, answers, scope)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings) * 1000
        p95 = statistics.quantiles(timings, n=20)[-1] * 1000
        self.stdout.write(
            f"pure scoring, {len(specs)} questions: median {median:.3f} ms, p95 {p95:.3f} ms "
            f"({runs} runs; {median * 1000 / len(specs):.1f} µs per question)"
        )

    def bench_worker(self, ids: list[int]) -> None:
        """The task as a worker runs it (Celery's tracer included), one after the other."""
        timings = []
        logging.disable(logging.INFO)  # a line per task on the console would be timed too
        try:
            start = time.perf_counter()
            for submission_id in ids:
                began = time.perf_counter()
                tasks.score_submission.apply(args=(submission_id,), throw=True)
                timings.append(time.perf_counter() - began)
            elapsed = time.perf_counter() - start
        finally:
            logging.disable(logging.NOTSET)
        self.report_worker(ids, elapsed, "sequential task bodies", timings)

    def bench_real_worker(self, ids: list[int], concurrency: int) -> None:
        """Queue every submission first, then time a fresh worker draining the queue."""
        for submission_id in ids:
            tasks.score_submission.delay(submission_id)
        with tempfile.TemporaryDirectory() as folder:
            log_path = Path(folder) / "worker.log"
            with open(log_path, "w") as log:
                worker = start_worker(concurrency, log)
                try:
                    wait_until(lambda: "ready." in log_path.read_text(), 60, "the worker", 0.01)
                    start = time.perf_counter()
                    scored = ScoreResult.objects.filter(submission_id__in=ids)
                    wait_until(lambda: scored.count() == len(ids), 600, "every result")
                    elapsed = time.perf_counter() - start
                finally:
                    worker.terminate()
                    worker.wait(30)
                    runtimes = [
                        float(x)
                        for x in re.findall(r"succeeded in ([0-9.]+)s", log_path.read_text())
                    ]
        self.report_worker(ids, elapsed, f"a celery worker, concurrency {concurrency}", runtimes)

    def report_worker(self, ids, elapsed: float, how: str, timings: list[float]) -> None:
        stored = ScoreResult.objects.filter(submission_id__in=ids).count()
        if stored != len(ids):
            raise CommandError(f"only {stored} of {len(ids)} submissions were scored")
        median = f", median {statistics.median(timings) * 1000:.2f} ms each" if timings else ""
        self.stdout.write(
            f"worker on {connection.vendor}: {len(ids)} queued submissions scored in "
            f"{elapsed:.2f} s by {how} = {len(ids) / elapsed:.0f} submissions/s{median}"
        )


def _answer(frozen: dict) -> scoring.Answer:
    from assessments.scoring_inputs import answer_from_frozen

    return answer_from_frozen(frozen)


def start_worker(concurrency: int, log) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--hostname=bench@%h",
    ]
    return subprocess.Popen(command, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)


def wait_until(condition, timeout: float, what: str, every: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise CommandError(f"timed out waiting for {what}")
        time.sleep(every)
