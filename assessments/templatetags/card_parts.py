"""`{% saved_line %}`, `{% evidence_badge %}`, `{% section_progress_oob %}`: the parts of a
question card that a save changes, written once in assessments/card_parts.py for the card and
for the autosave's brief answer."""

from django import template

from assessments import card_parts

register = template.Library()

register.simple_tag(card_parts.saved_line, name="saved_line")
register.simple_tag(card_parts.evidence_badge, name="evidence_badge")
register.simple_tag(card_parts.section_progress, name="section_progress_oob")
