import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regulations import selectors
from regulations.importers import parse_day


class Command(BaseCommand):
    help = "Print a regulation and the articles of the edition in force on a day, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("code", help="regulation code, e.g. CSL")
        parser.add_argument("--on", type=parse_day, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, code, on, **options):
        on = on or timezone.localdate()
        regulation = selectors.regulation_by_code(code)
        if regulation is None:
            raise CommandError(f"no regulation with the code {code!r}")
        edition = selectors.edition_in_force(regulation, on)
        if edition is None:
            raise CommandError(f"no edition of {regulation.code} is in force on {on.isoformat()}")
        articles = edition.articles.select_related("chapter", "section").order_by("number")
        document = {
            "code": regulation.code,
            "title_zh": regulation.title_zh,
            "title_en": regulation.title_en,
            "on": on.isoformat(),
            "effective_from": edition.effective_from.isoformat(),
            "effective_to": edition.effective_to.isoformat() if edition.effective_to else None,
            "articles": [
                {
                    "number": article.number,
                    "chapter": article.chapter.number if article.chapter else None,
                    "section": article.section.number if article.section else None,
                    "text": article.text,
                }
                for article in articles
            ],
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
