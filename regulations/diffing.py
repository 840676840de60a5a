"""Readable differences between two texts of an article, at character level.

Chinese has no spaces between words, so a word-level diff would mark whole sentences; a
character-level diff marks exactly the characters that changed.
"""

import difflib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Below this similarity the texts are different provisions (an article renumbered by an
# amendment): scattered common characters would only make the diff unreadable.
UNRELATED_BELOW = 0.4


def diff_html(old: str, new: str) -> SafeString:
    """HTML of ``new`` with deletions in <del> and insertions in <ins>; every piece is
    escaped before it is wrapped."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if old and new and matcher.ratio() < UNRELATED_BELOW:
        return mark_safe(f"<del>{escape(old)}</del><ins>{escape(new)}</ins>")  # noqa: S308
    parts: list[str] = []
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(old[a_start:a_end]))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(old[a_start:a_end])}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(new[b_start:b_end])}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above
