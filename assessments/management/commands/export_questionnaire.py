"""Print a questionnaire version as JSON, with every field the data file can hold."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.exporting import questionnaire_export
from assessments.models import QuestionnaireVersion


class Command(BaseCommand):
    help = "Print a questionnaire version as JSON (default: the published one)."

    def add_arguments(self, parser):
        # Our --version is the questionnaire's version number, not the program's.
        # argparse checks conflicts in the group that holds the option, so set both.
        for container in (parser, parser._optionals):
            container.conflict_handler = "resolve"
        parser.add_argument(
            "--code", default=None, help="questionnaire code (default: the only one)"
        )
        parser.add_argument("--version", dest="number", type=int, default=None)

    def handle(self, *args, code, number, **options):
        versions = QuestionnaireVersion.objects.select_related("questionnaire")
        if code:
            versions = versions.filter(questionnaire__code=code)
        if number is not None:
            versions = versions.filter(number=number)
        else:
            versions = versions.filter(status=QuestionnaireVersion.Status.PUBLISHED)
        found = list(versions[:2])
        if not found:
            raise CommandError("No such questionnaire version (load one with load_questionnaire).")
        if len(found) > 1:
            raise CommandError("Several questionnaires match: name one with --code.")
        data = questionnaire_export(found[0])
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
