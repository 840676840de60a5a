from pathlib import Path

from django.core.management.base import BaseCommand

from regulations.catalogue import CATALOGUE_PATH, load_catalogue


class Command(BaseCommand):
    help = (
        "Create or update the bundled catalogue of regulations: metadata, known editions and "
        "key points (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=CATALOGUE_PATH,
            help="catalogue folder (one YAML file per regulation) or one YAML file",
        )

    def handle(self, *args, file, **options):
        counts = load_catalogue(file)
        self.stdout.write(
            f"catalogue: {counts['regulations']} regulations, {counts['editions']} known "
            f"editions, {counts['key_points']} key points"
        )
