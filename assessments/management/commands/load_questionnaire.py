"""Load a questionnaire data file (YAML or JSON) as a version, after validating all of it.

Without a file, every bundled questionnaire-vN.yaml is loaded in version order, so the newest
is the published one and the older ones are retired (loading them again changes nothing), then
every bundled schedule-vN.yaml (the reassessment schedule of version N, duedates.schedule). A
file given by name is loaded as a schedule when it has a `schedule_for` key.
"""

import re
from datetime import date
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from assessments.loading import QuestionnaireInvalid, questionnaire_load
from duedates.schedule import is_schedule
from duedates.services import ScheduleInvalid, schedule_load

CONTENT = Path(__file__).resolve().parents[2] / "content"
BUNDLED = CONTENT / "questionnaire-v1.yaml"
BUNDLED_NAME = re.compile(r"^questionnaire-v(\d+)\.yaml$")
SCHEDULE_NAME = re.compile(r"^schedule-v(\d+)\.yaml$")


def bundled_files(folder: Path | None = None, pattern: re.Pattern = BUNDLED_NAME) -> list[Path]:
    """The bundled questionnaire (or schedule) files, oldest version first."""
    folder = folder or CONTENT
    found = [(pattern.match(path.name), path) for path in folder.iterdir()]
    return [path for _, path in sorted((int(m.group(1)), path) for m, path in found if m)]


def read_spec(path: Path):
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot read the file ({error.strerror})") from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: the file is not UTF-8 (byte {error.start})") from error
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise CommandError(f"{path}{where}: not valid YAML or JSON ({reason})") from error


class Command(BaseCommand):
    help = "Validate a questionnaire file and load it as a published version (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default=None, help="YAML or JSON file (default: every bundled one)"
        )
        parser.add_argument("--draft", action="store_true", help="load as a draft version")
        parser.add_argument(
            "--on",
            type=date.fromisoformat,
            default=None,
            help="resolve citations against the editions in force on this date (default: today)",
        )

    def handle(self, *args, file, draft, on, **options):
        paths = [Path(file)] if file else bundled_files() + bundled_files(pattern=SCHEDULE_NAME)
        for path in paths:
            self.load(path, draft=draft, on=on)

    def load(self, path: Path, *, draft: bool, on: date | None) -> None:
        spec = read_spec(path)
        if is_schedule(spec):
            return self.load_schedule(path, spec)
        try:
            outcome = questionnaire_load(spec, publish=not draft, on=on)
        except QuestionnaireInvalid as invalid:
            lines = "\n".join(f"  {problem}" for problem in invalid.problems)
            raise CommandError(
                f"{path}: {len(invalid.problems)} problem(s), nothing was written:\n{lines}"
            ) from invalid
        version = outcome.version
        self.stdout.write(
            f"{version.questionnaire.code} v{version.number} ({version.status}): "
            f"{outcome.questions} questions, {outcome.status}"
        )

    def load_schedule(self, path: Path, spec) -> None:
        try:
            schedule, status = schedule_load(spec)
        except ScheduleInvalid as invalid:
            lines = "\n".join(f"  {problem}" for problem in invalid.problems)
            raise CommandError(
                f"{path}: {len(invalid.problems)} problem(s), nothing was written:\n{lines}"
            ) from invalid
        self.stdout.write(f"{schedule} reassessment schedule: {status}")
