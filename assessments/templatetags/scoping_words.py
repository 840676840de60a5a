"""The scoping outcome in words: modules by name, their reasons joined as sentences."""

from django import template

from assessments.results import MODULE_LABELS, label, language

register = template.Library()

END = {"zh": "。", "en": "."}
JOIN = {"zh": "；", "en": "; "}


def joined(reasons, lang: str) -> str:
    """Reasons as one sentence: each without its own full stop, joined, then one full stop
    (never "。;")."""
    parts = [(getattr(r, lang, "") or getattr(r, "zh", "") or "").strip() for r in reasons]
    parts = [p.rstrip("。.;；") for p in parts if p]
    return JOIN[lang].join(parts) + END[lang] if parts else ""


@register.simple_tag
def module_reasons(outcome) -> list[dict]:
    """[{code, name, reasons}] for the modules that apply, in the outcome's order."""
    lang = language()
    return [
        {"code": code, "name": label(MODULE_LABELS, code), "reasons": joined(reasons, lang)}
        for code, reasons in outcome.module_reasons.items()
    ]
