"""Score an answer document and print the result as JSON; nothing is written.

    python manage.py score_answers answers.json
    python manage.py score_answers - < answers.json

The document: {"questionnaire": "AIDC-SELF", "version": 1, "scoping": {"S01": "domestic", …},
"answers": {"CSL-01": {"level": 3, "evidence": true}, "PIPL-07": {"na": "reason"}, …}}.
Yes/no, number, date and choice questions take "value" instead of "level". An optional
"as_of" (YYYY-MM-DD, default today) is the day dates are judged on.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.scoring_inputs import DocumentInvalid, inputs_from_document


def read_document(file: str):
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"{file}: cannot read the file ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{file}: the file is not UTF-8 (byte {error.start})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"{file}:{error.lineno}:{error.colno}"
        raise CommandError(f"{where}: not valid JSON ({error.msg})") from error


class Command(BaseCommand):
    help = "Score a JSON answer document with the method of methodology §11 (writes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help='JSON answer document, or "-" for standard input')

    def handle(self, *args, file, **options):
        document = read_document(file)
        try:
            prepared = inputs_from_document(document, as_of=timezone.localdate())
        except DocumentInvalid as invalid:
            lines = "\n".join(f"  {problem}" for problem in invalid.problems)
            raise CommandError(f"{file}: {len(invalid.problems)} problem(s):\n{lines}") from None
        for note in prepared.notes:
            self.stderr.write(f"note: {note}")
        result = prepared.inputs.score().to_dict()
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
