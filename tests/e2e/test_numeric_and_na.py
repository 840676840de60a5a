"""In the browser: an out-of-range number shows the server's message and keeps what was typed;
ticking "not applicable" sends nothing until the reason is filled in (issue 11)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer
from tests.e2e.conftest import htmx_idle, owner_on_a_draft

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 30_000


@pytest.fixture
def member_page(page, live_server):
    return owner_on_a_draft(page, live_server, timeout=WAIT, S01="domestic", S02=500)


def answer_posts(page, assessment, code) -> list[str]:
    """The URLs of the autosave requests for one question, as the browser sends them."""
    url = reverse("assessments:answer", args=[assessment.pk, code])
    posts = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.url)
            if request.method == "POST" and request.url.endswith(url)
            else None
        ),
    )
    return posts


def test_an_out_of_range_number_shows_the_message_and_keeps_the_value(member_page, live_server):
    page, assessment = member_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/section/CSL/")
    page.fill("input[name='CSL-03-answer']", "-3")
    page.keyboard.press("Tab")
    card = page.locator("#q-CSL-03")
    expect(card).to_have_attribute("data-state", "invalid", timeout=WAIT)
    htmx_idle(page)
    expect(card.locator(".answer-error")).to_be_visible()
    expect(card.locator(".answer-error")).to_contain_text("1,200")
    expect(page.locator("input[name='CSL-03-answer']")).to_have_value("-3")
    assert not Answer.objects.filter(question__code="CSL-03").exists()

    page.fill("input[name='CSL-03-answer']", "6")
    page.keyboard.press("Tab")
    expect(card).to_have_attribute("data-state", "saved", timeout=WAIT)
    assert Answer.objects.get(question__code="CSL-03").value == 6


def test_not_applicable_waits_for_the_reason(member_page, live_server):
    page, assessment = member_page
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/section/PIPL/")
    posts = answer_posts(page, assessment, "PIPL-01")
    card = page.locator("#q-PIPL-01")

    page.check("input[name='PIPL-01-na']")
    expect(card.locator(".na-reason-hint")).to_be_visible(timeout=WAIT)
    expect(card.locator(".na-reason-hint")).not_to_be_empty()
    htmx_idle(page)
    page.wait_for_timeout(500)  # time enough for a request that should not be sent
    assert posts == []
    assert card.get_attribute("data-state") != "invalid"

    page.fill("textarea[name='PIPL-01-na_reason']", "仅处理员工信息，已单独评估")
    page.keyboard.press("Tab")
    expect(card).to_have_attribute("data-state", "saved", timeout=WAIT)
    htmx_idle(page)
    assert len(posts) == 1
    answer = Answer.objects.get(question__code="PIPL-01")
    assert answer.is_na and answer.na_reason == "仅处理员工信息，已单独评估"
