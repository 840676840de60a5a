"""Every UI string has a Chinese translation, and the catalogue is in sync with the code."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def untranslated(catalogue: polib.POFile) -> list[str]:
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        values = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags or not all(v.strip() for v in values):
            missing.append(entry.msgid)
    return missing


def test_the_committed_catalogue_is_complete():
    assert untranslated(polib.pofile(str(PO))) == []


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, settings):
    """Re-extract the strings into a copy of the catalogue; nothing may come out untranslated."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (.ci/run installs it)")
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(PO, copy)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    # makemessages also rewrites ./locale of the working directory (the repository's own
    # catalogue): put it back exactly as it was, whatever happens.
    original = PO.read_bytes()
    try:
        call_command(
            "makemessages",
            locale=["zh_Hans"],
            ignore_patterns=[".venv", "node_modules", "tests"],
            verbosity=0,
        )
    finally:
        PO.write_bytes(original)
    missing = untranslated(polib.pofile(str(copy)))
    assert missing == [], f"{len(missing)} string(s) need a translation: {missing[:20]}"
