"""Rendered fragments of published questionnaire content, cached by version and language.

A question's header (code, wording, badges, help and legal basis) depends on the questionnaire
version, the language and the law: versions never change once loaded (a changed file is a new
version with new rows, and the key carries the version's content hash as well), and the legal
basis shows each cited article's number in the edition in force today, resolved through the
lineage (assessments.selectors.question_header_rows), so the key also carries the regulations'
stamp (bumped by every edition, lineage or article write, regulations.public_cache) and the
day (an upcoming edition comes into force on a date). These fragments are rendered once per
section, language, law stamp and day and then served from the cache (Redis in production,
local memory otherwise). Everything that depends on an organisation's answers is rendered per
request.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from assessments import selectors
from assessments.models import Question, QuestionnaireVersion, Section
from regulations import public_cache

HEADER_TEMPLATE = "assessments/partials/_question_head.html"
TIMEOUT = 24 * 3600  # a day: the content cannot change under a key, this only bounds memory


def headers_key(version: QuestionnaireVersion, section_id: int, language: str, on) -> str:
    digest = (version.source_sha256 or "none")[:16]
    law = f"{public_cache.stamp()}:{on.isoformat()}"
    return f"qhead:{version.pk}:{digest}:{section_id}:{language}:{law}"


def question_headers(version: QuestionnaireVersion, section: Section) -> dict[str, str]:
    """The rendered header of every question of `section` (applicable or not), by code."""
    language = get_language() or ""
    on = timezone.localdate()
    key = headers_key(version, section.pk, language, on)
    headers = cache.get(key)
    if headers is None:
        questions = selectors.question_header_rows(section, on)
        headers = {q.code: render_to_string(HEADER_TEMPLATE, {"question": q}) for q in questions}
        cache.set(key, headers, TIMEOUT)
    return headers


def question_header(version: QuestionnaireVersion, question: Question) -> str:
    """`question`'s header, rendered by our own template (hence safe)."""
    return mark_safe(question_headers(version, question.section)[question.code])  # noqa: S308
