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
from portal import page_cache
from portal.memo import ProcessMemo
from regulations import public_cache

HEADER_TEMPLATE = "assessments/partials/_question_head.html"
TIMEOUT = 24 * 3600  # a day: the content cannot change under a key, this only bounds memory
LOCAL_SIZE = 64  # sections × languages kept in each process in front of the shared cache

_local = ProcessMemo(LOCAL_SIZE)


def headers_key(version: QuestionnaireVersion, section_id: int, language: str, on) -> str:
    """The key carries the code's digest too: a deployment that changes the template or the
    translations must not be served headers rendered by the code before it."""
    digest = (version.source_sha256 or "none")[:16]
    law = f"{public_cache.stamp()}:{on.isoformat()}"
    code = page_cache.code_digest()
    return f"qhead:{version.pk}:{digest}:{section_id}:{language}:{law}:{code}"


def question_headers(version: QuestionnaireVersion, section: Section) -> dict[str, str]:
    """The rendered header of every question of `section` (applicable or not), by code: from
    this process's memory, else the shared cache, else rendered (what is under a key never
    changes, so a process may keep it)."""
    language = get_language() or ""
    on = timezone.localdate()
    key = headers_key(version, section.pk, language, on)
    return _local.get_or_make(key, lambda: _shared_headers(key, section, on))


def _shared_headers(key: str, section: Section, on) -> dict[str, str]:
    headers = cache.get(key)
    if headers is None:
        questions = selectors.question_header_rows(section, on)
        headers = {q.code: render_to_string(HEADER_TEMPLATE, {"question": q}) for q in questions}
        cache.set(key, headers, TIMEOUT)
    return headers


def question_header(
    version: QuestionnaireVersion, question: Question, headers: dict[str, str] | None = None
) -> str:
    """`question`'s header, rendered by our own template (hence safe); pass the section's
    `headers` when a page shows several questions of it."""
    if headers is None:
        headers = question_headers(version, question.section)
    return mark_safe(headers[question.code])  # noqa: S308


def clear_local() -> None:
    _local.clear()


# --------------------------------------------------------------------------- question blocks

BLOCK_TEMPLATE = "assessments/partials/_question.html"
BLOCK_TIMEOUT = 3600
# Stands for the request's CSRF token in a cached block. A NUL byte cannot come from a user
# (portal.middleware refuses control characters; the database would not store it), so the
# replacement can never touch an answer or a comment; it is marked safe so that the
# `{% csrf_token %}` tag writes it as it is.
CSRF_SENTINEL = mark_safe("\x00csrf\x00")  # noqa: S308


def block_key(context: dict) -> str:
    """The cache key of one question's block on the section page: a digest of everything the
    block template reads (see `question_blocks`)."""
    from hashlib import sha256

    from django.utils import timezone

    answer = context["answer"]
    answer_part = None
    if answer is not None:
        evidence = [(e.pk, e.original_name, e.size, e.sha256) for e in answer.evidence.all()]
        answer_part = (
            answer.pk,
            answer.revision,
            answer.updated_at.isoformat() if answer.updated_at else "",
            answer.level,
            repr(answer.value),
            answer.is_na,
            answer.is_answered,
            answer.na_reason,
            answer.comment,
            str(answer.updated_by) if answer.updated_by_id else "",
            evidence,
        )
    version = context["assessment"].version
    material = repr(
        (
            2,  # the layout of this tuple
            page_cache.code_digest(),  # a deployment's new template or translations: new keys
            version.pk,
            version.source_sha256,
            context["assessment"].pk,
            context["question"].code,
            get_language() or "",
            timezone.get_current_timezone_name(),
            bool(context["can_write"]),
            context["evidence_state"],
            str(context["head"]),
            answer_part,
        )
    )
    return "qblock:" + sha256(material.encode()).hexdigest()


def question_blocks(request, contexts: list[dict], build_form) -> list[str]:
    """The rendered `_question.html` of each question on a section page, from the cache when
    nothing the block reads has changed (one round trip for the page), else rendered and
    stored. A block holds no user-specific secret: the CSRF token is put in on the way out.

    `contexts`: each block's context without its form; `build_form(context)` makes the form
    for a block that has to be rendered."""
    from django.middleware.csrf import get_token

    keys = [block_key(context) for context in contexts]
    found = cache.get_many(keys) if keys else {}
    missing = {}
    blocks = []
    for key, context in zip(keys, contexts, strict=True):
        html = found.get(key)
        if html is None:
            html = render_to_string(
                BLOCK_TEMPLATE,
                {**context, "form": build_form(context), "csrf_token": CSRF_SENTINEL},
            )
            missing[key] = html
        blocks.append(html)
    if missing:
        cache.set_many(missing, BLOCK_TIMEOUT)
    token = get_token(request)
    return [mark_safe(html.replace(CSRF_SENTINEL, token)) for html in blocks]  # noqa: S308
