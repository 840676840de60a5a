from pathlib import Path

from django.core.management.base import BaseCommand

from regulations.importers import import_path, parse_day


class Command(BaseCommand):
    help = (
        "Import the official text of a regulation (or every *.md of a folder, except "
        "README.md) as a published edition. Atomic: on any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a regulation text (.md) or a folder of them")
        parser.add_argument("--code", help="regulation code, when the text has no front matter")
        parser.add_argument(
            "--effective",
            type=parse_day,
            help="YYYY-MM-DD the edition takes effect, when the text has no front matter",
        )

    def handle(self, *args, path, code, effective, **options):
        for outcome in import_path(path, code=code, effective=effective):
            self.stdout.write(outcome.summary())
