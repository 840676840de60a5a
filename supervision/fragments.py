"""The review page's answer rows, rendered once per frozen submission and language.

A submission's answers, the questions they answer and the editions they cite are frozen when it
is submitted, so each row's body (question, answer in words, N/A reason, comment, legal basis,
evidence) can only change with the language or with the evidence files still on record: the key
carries both. The regulator's comments and forms beside each row are rendered per request.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

BODY_TEMPLATE = "supervision/partials/_answer_body.html"
TIMEOUT = 24 * 3600


def evidence_stamp(evidence: dict) -> str:
    """A short digest of which stored files answer which digests right now."""
    pairs = sorted((digest, getattr(row, "pk", None)) for digest, row in evidence.items())
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]


def with_bodies(submission, groups: list, evidence: dict) -> list:
    """`groups` with each row's `body` filled from the cache (rendered on a miss)."""
    key = f"review-rows:{submission.pk}:{get_language() or ''}:{evidence_stamp(evidence)}"
    bodies = cache.get(key)
    if bodies is None:
        bodies = {
            row.question.code: render_to_string(BODY_TEMPLATE, {"row": row})
            for group in groups
            for row in group.rows
        }
        cache.set(key, bodies, TIMEOUT)
    for group in groups:
        for row in group.rows:
            row.body = mark_safe(bodies.get(row.question.code, ""))  # noqa: S308 (our template)
    return groups
