"""Fill the database with labelled synthetic organisations and submissions (oversight.scale)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from oversight import scale


class Command(BaseCommand):
    help = (
        "Create synthetic organisations across all provinces and sectors with submissions, "
        "results and review decisions over two years (bulk inserts, labelled rows); "
        "--remove deletes the rows of a label."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=1000)
        parser.add_argument("--submissions", type=int, default=10000)
        parser.add_argument("--label", default="scale", help="at most 4 letters or digits count")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--remove", action="store_true", help="delete the label's rows")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_scale refuses to run in production mode.")
        label = options["label"]
        if not label.isalnum():
            raise CommandError("The label must be letters and digits only, e.g. scale1.")
        started = time.perf_counter()
        if options["remove"]:
            counts = scale.remove(label)
            self.stdout.write(f"Removed rows labelled {label}: {counts}")
            return
        orgs, submissions = options["orgs"], options["submissions"]
        if orgs < 1 or submissions < orgs:
            raise CommandError("Give at least one organisation and one submission for each.")
        try:
            counts = scale.seed(
                label=label,
                orgs=orgs,
                submissions=submissions,
                seed_value=options["seed"],
                out=self.stdout.write,
            )
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from error
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts} in {took:.1f} s (label {label}; remove with "
                f"`seed_scale --remove --label {label}`)"
            )  # fmt: skip
        )
