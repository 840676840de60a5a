"""Reading official texts from files and folders for the import commands."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from regulations import services
from regulations.parsing import ParsedRegulation, ParseError, parse_regulation

SKIPPED_NAMES = {"README.md"}


def text_files(path: Path) -> list[Path]:
    """The file itself, or every *.md of a folder except its README, sorted by name."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.md") if p.name not in SKIPPED_NAMES)
        if not files:
            raise CommandError(f"{path}: no *.md regulation text in this folder")
        return files
    if not path.exists():
        raise CommandError(f"{path}: no such file or folder")
    return [path]


def parse_files(files: list[Path]) -> list[ParsedRegulation]:
    """Parse every file before anything is written; a bad one stops the whole import."""
    parsed = []
    for file in files:
        try:
            parsed.append(parse_regulation(file.read_bytes(), path=str(file)))
        except ParseError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
    return parsed


def import_path(
    path: Path, *, code: str | None = None, effective: datetime.date | None = None, by=None
) -> list[services.ImportOutcome]:
    """Parse and import a file or a folder, all in one transaction."""
    files = text_files(path)
    if len(files) > 1 and (code or effective):
        raise CommandError("--code and --effective apply to a single file, not to a folder")
    parsed = parse_files(files)
    for text in parsed:
        if not (code or text.code):
            raise CommandError(
                f"{text.path}:1: no regulation code: the text has no front matter "
                "regulation_code; give --code"
            )
    try:
        return services.editions_import(parsed, code=code, effective=effective, by=by)
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from None


def parse_day(value: str) -> datetime.date:
    """argparse type for YYYY-MM-DD options."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date written YYYY-MM-DD: {value!r}") from None
