"""In the browser: a save of a card with nothing to clear leaves the card in place (the person
keeps typing where they were) and updates only its revision, its "saved" line, its evidence
badge and the section counter; after a refused save, the next one clears the message."""

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from tests.e2e.conftest import htmx_idle, owner_on_a_draft

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 30_000


@pytest.fixture
def section(page, live_server):
    # A grade that asks for evidence on CSL-01 (a million people or more: "G2-big").
    page, assessment = owner_on_a_draft(
        page, live_server, timeout=WAIT, S01="domestic", S02=2_000_000
    )
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/section/CSL/")
    return page, assessment


def test_saves_update_the_card_in_place(section):
    page, assessment = section
    card = page.locator("#q-CSL-01")
    card.evaluate("card => { card.dataset.original = 'yes'; }")  # gone if the card is replaced
    counter = page.locator("#section-progress")
    expect(counter).to_have_text("0/3")

    page.check("input[name='CSL-01-answer'][value='3']")
    expect(card).to_have_attribute("data-state", "saved", timeout=WAIT)
    expect(card.locator(".saved-indicator .saved")).to_be_visible(timeout=WAIT)
    expect(counter).to_have_text("1/3", timeout=WAIT)
    expect(card.locator("[data-evidence=capped]")).to_be_visible(timeout=WAIT)
    expect(card).to_have_attribute("data-original", "yes")
    expect(card.locator("input[name='CSL-01-revision']")).to_have_value("1", timeout=WAIT)

    # Typing a comment: the save happens when the field is left; the card is still the same
    # element and a second save goes over the new revision (no conflict).
    card.locator("summary").click()
    comment = card.locator("textarea[name='CSL-01-comment']")
    comment.fill("等保测评报告见附件")
    page.check("input[name='CSL-01-answer'][value='1']")  # the comment's change fires first
    htmx_idle(page)
    expect(card.locator("input[name='CSL-01-revision']")).to_have_value("3", timeout=WAIT)
    expect(card.locator("[data-evidence]")).to_have_count(0, timeout=WAIT)
    expect(card).to_have_attribute("data-original", "yes")
    expect(card).to_have_attribute("data-state", "saved")
    expect(comment).to_have_value("等保测评报告见附件")
    stored = Answer.objects.get(assessment=assessment, question__code="CSL-01")
    assert (stored.level, stored.comment, stored.revision) == (1, "等保测评报告见附件", 3)


def test_a_refused_save_then_a_good_one_clears_the_message(section):
    page, assessment = section
    card = page.locator("#q-CSL-03")
    field = page.locator("input[name='CSL-03-answer']")
    field.fill("-3")
    page.keyboard.press("Tab")
    expect(card).to_have_attribute("data-state", "invalid", timeout=WAIT)
    expect(card.locator(".answer-error")).to_be_visible(timeout=WAIT)
    htmx_idle(page)  # the refused card has settled: typing goes into its field
    page.locator("input[name='CSL-03-answer']").fill("12")
    page.keyboard.press("Tab")
    expect(card).to_have_attribute("data-state", "saved", timeout=WAIT)
    expect(card.locator(".answer-error")).to_have_count(0, timeout=WAIT)
    expect(card.locator(".saved-indicator .saved")).to_be_visible(timeout=WAIT)
    assert Answer.objects.get(assessment=assessment, question__code="CSL-03").value == 12
