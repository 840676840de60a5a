import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from regulations.importers import import_path


class _Rollback(Exception):
    pass


def default_folder() -> Path:
    """$HEGUI_REGULATIONS_DIR, else the shared texts beside the repository."""
    configured = os.environ.get("HEGUI_REGULATIONS_DIR")
    return Path(configured) if configured else settings.BASE_DIR.parent / "shared" / "regulations"


class Command(BaseCommand):
    help = (
        "Time the import of every text of a folder, then a re-import of the same texts. "
        "Rolls everything back unless --keep is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", type=Path, help="default: the shared texts")
        parser.add_argument("--keep", action="store_true", help="keep the imported editions")

    def handle(self, *args, folder, keep, **options):
        folder = folder or default_folder()
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder")
        try:
            with transaction.atomic():
                self._run(folder)
                if not keep:
                    raise _Rollback
        except _Rollback:
            self.stdout.write("rolled back (use --keep to keep the editions)")

    def _run(self, folder: Path) -> None:
        for label in ("import", "re-import"):
            started = time.perf_counter()
            outcomes = import_path(folder)
            elapsed = time.perf_counter() - started
            articles = sum(outcome.articles for outcome in outcomes)
            statuses = ", ".join(sorted({outcome.status for outcome in outcomes}))
            self.stdout.write(
                f"{label}: {len(outcomes)} texts, {articles} articles "
                f"in {elapsed:.2f} s ({statuses})"
            )
