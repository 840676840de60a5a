"""Rendered fragments of published questionnaire content, cached by version and language.

A question's header (code, wording, badges, help and legal basis) depends only on the
questionnaire version and the language: versions never change once loaded (a changed file is a
new version with new rows, and the key carries the version's content hash as well), so these
fragments are rendered once per section and language and then served from the cache (Redis in
production, local memory otherwise). Everything that depends on an organisation's answers is
rendered per request.
"""

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from assessments.models import Citation, Question, QuestionnaireVersion, Section

HEADER_TEMPLATE = "assessments/partials/_question_head.html"
TIMEOUT = 24 * 3600  # a day: the content cannot change under a key, this only bounds memory


def headers_key(version: QuestionnaireVersion, section_id: int, language: str) -> str:
    digest = (version.source_sha256 or "none")[:16]
    return f"qhead:{version.pk}:{digest}:{section_id}:{language}"


def question_headers(version: QuestionnaireVersion, section: Section) -> dict[str, str]:
    """The rendered header of every question of `section` (applicable or not), by code."""
    language = get_language() or ""
    key = headers_key(version, section.pk, language)
    headers = cache.get(key)
    if headers is None:
        questions = section.questions.prefetch_related(
            Prefetch("citations", queryset=Citation.objects.order_by("order"))
        )
        headers = {q.code: render_to_string(HEADER_TEMPLATE, {"question": q}) for q in questions}
        cache.set(key, headers, TIMEOUT)
    return headers


def question_header(version: QuestionnaireVersion, question: Question) -> str:
    """`question`'s header, rendered by our own template (hence safe)."""
    return mark_safe(question_headers(version, question.section)[question.code])  # noqa: S308
