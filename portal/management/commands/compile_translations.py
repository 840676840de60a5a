"""Compile the .po catalogues to .mo with polib, so set-up needs no system gettext."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po catalogue to its .mo file."

    def handle(self, *args, **options):
        catalogues = sorted(
            po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po")
        )
        if not catalogues:
            raise CommandError("No .po catalogue found under LOCALE_PATHS.")
        for po_path in catalogues:
            self.compile(po_path)

    def compile(self, po_path: Path) -> None:
        try:
            catalogue = polib.pofile(str(po_path), encoding="utf-8")
        except (OSError, ValueError) as error:
            raise CommandError(f"{po_path}: {error}") from error
        mo_path = po_path.with_suffix(".mo")
        catalogue.save_as_mofile(str(mo_path))
        untranslated = len(catalogue.untranslated_entries())
        self.stdout.write(
            f"{po_path.parent.parent.name}: {len(catalogue.translated_entries())} translated, "
            f"{untranslated} untranslated"
        )
