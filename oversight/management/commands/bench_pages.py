"""Median server time and query count of the pages that grow with the data (one line each).

Requests go through Django's test client in this process (middleware, views, templates,
the database), signed in as the regulator seed_scale made; the network is not measured.
`--export-memory` also writes a CSV and an XLSX of every submission in the jurisdiction and
reports their peak memory (tracemalloc peak and the growth of the process's maximum RSS).
"""

import itertools
import resource
import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse

from assessments.models import Assessment
from oversight import exports, scale, selectors
from portal.models import User
from supervision import queue


class Command(BaseCommand):
    help = "Print the median server time and the query count of the regulator's pages."

    def add_arguments(self, parser):
        parser.add_argument("--label", default="scale", help="the seed_scale label to sign in as")
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--province", default="440000")
        parser.add_argument("--export-rows", type=int, default=10000)
        parser.add_argument("--export-memory", action="store_true")

    def handle(self, *args, **options):
        email = f"{scale.email_prefix(options['label'])}regulator@{scale.EMAIL_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No regulator {email}: run seed_scale --label {options['label']}.")
        setup_test_environment()
        client = Client()
        client.force_login(user)
        assessment = (
            Assessment.objects.filter(
                organisation__uscc__startswith=scale.label_prefix(options["label"]),
                submissions__number=2,
            )  # fmt: skip
            .order_by("pk")
            .first()
        )
        pages = [
            ("queue", reverse("supervision:queue"), {}),
            (
                "queue (one province)",
                reverse("supervision:queue"),
                {"province": options["province"]},
            ),
            ("dashboard", reverse("oversight:dashboard"), {}),
            ("dashboard (one sector)", reverse("oversight:dashboard"), {"sector": "internet"}),
        ]
        if assessment is not None:
            pages += [
                ("review page", reverse("supervision:review", args=[assessment.pk]), {}),
                ("organisation history",
                 reverse("oversight:history", args=[assessment.organisation_id]), {}),
            ]  # fmt: skip
        for name, url, params in pages:
            self.measure(name, lambda u=url, p=params: self.fetch(client, u, p), options["repeat"])
        rows = options["export_rows"]
        self.measure(
            f"csv export ({rows} rows)",
            lambda: self.csv_export(user, rows),
            max(3, options["repeat"] // 2),
        )
        if options["export_memory"]:
            self.export_memory(user)

    def fetch(self, client, url, params):
        response = client.get(url, params)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)

    def csv_export(self, user, rows):
        """The export's whole pipeline (query, rows, CSV text) for `rows` rows of every
        submission (the queue has one row per assessment; this needs more)."""
        source = selectors.export_rows(user, queue.QueueFilters(), every_submission=True)
        header = exports.header_block({}, "bench")
        size = 0
        for part in exports.csv_lines(header, itertools.islice(source, rows)):
            size += len(part)
        return size

    def measure(self, name, call, repeat):
        call()  # warm: connections, caches, the questionnaire in the per-process cache
        times = []
        with CaptureQueriesContext(connection) as captured:
            start = len(captured)
            call()
            queries = len(captured) - start
        for _ in range(repeat):
            reset_queries()
            began = time.perf_counter()
            call()
            times.append((time.perf_counter() - began) * 1000)
        median = statistics.median(times)
        self.stdout.write(f"{name}: median {median:.1f} ms, {queries} queries")

    def export_memory(self, user):
        for kind in ("csv", "xlsx"):
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            tracemalloc.start()
            began = time.perf_counter()
            count = 0

            def counted(rows):
                nonlocal count
                for row in rows:
                    count += 1
                    yield row

            source = counted(
                selectors.export_rows(user, queue.QueueFilters(), every_submission=True)
            )
            header = exports.header_block({}, "bench")
            if kind == "csv":
                size = sum(len(part.encode()) for part in exports.csv_lines(header, source))
            else:
                out = exports.xlsx_file(header, source)
                size = out.seek(0, 2)
                out.close()
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            took = time.perf_counter() - began
            self.stdout.write(
                f"{kind} export of {count} rows: {took:.1f} s, {size / 1e6:.1f} MB file, "
                f"python peak {peak / 1e6:.1f} MB, max RSS {after / 1024:.0f} MB "
                f"(grew {max(0, after - before) / 1024:.0f} MB)"
            )
