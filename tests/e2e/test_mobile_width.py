"""On a phone (390 × 844), no page of the member's journey is wider than the screen, and a
number out of range shows its message and keeps what was typed (issue 11).

Built on the bundled questionnaire (long wording, many modules, a red-line table), so the
widths measured are those of real content."""

import pytest
from playwright.sync_api import expect

from assessments import results
from assessments.models import Question
from tests.assessments.factories import answer, start_assessment
from tests.assessments.results_support import (
    BUNDLED_SCOPING,
    bundled_questionnaire,
    make_submission,
)
from tests.e2e.conftest import htmx_idle, sign_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 30_000
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def journey(page, live_server):
    """An owner with a draft (some answers, one capped for missing evidence) and a scored
    submission with red lines; the browser signed in on a phone-sized screen."""
    version = bundled_questionnaire()
    owner = MembershipFactory(role="owner", organisation__name="北京智言示范科技有限公司").user
    organisation = owner.memberships.get().organisation
    submission = make_submission(
        organisation, version, BUNDLED_SCOPING, level=1, evidence=False, by=owner
    )
    results.submission_score(submission.pk)
    draft = start_assessment(organisation, owner, **BUNDLED_SCOPING)
    scored = Question.objects.filter(version=version, answer_type="level").exclude(
        section__module="SCOPING"
    )
    first = scored.filter(section__module__in=draft.modules).first()
    answer(draft, first.code, owner, level=3)
    page.set_viewport_size(PHONE)
    page.set_default_timeout(WAIT)
    sign_in(page, live_server, owner.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/**")
    return {"draft": draft, "submission": submission, "module": first.section.module}


def overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def widest(page) -> list[str]:
    """The elements that reach past the screen's right edge, innermost first (for the report)."""
    return page.evaluate(
        """() => {
            const past = e => e.getBoundingClientRect().right > window.innerWidth + 1;
            const name = e =>
                e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + '.' + [...e.classList].join('.');
            return [...document.querySelectorAll('body *')]
                .filter(past)
                .filter(e => ![...e.children].some(past))
                .slice(0, 5)
                .map(name);
        }"""
    )


def test_no_page_of_the_journey_is_wider_than_a_phone(page, live_server, journey):
    draft, submission = journey["draft"], journey["submission"]
    paths = [
        "/",
        "/assessments/",
        f"/assessments/{draft.pk}/",
        f"/assessments/{draft.pk}/section/{journey['module']}/",
        f"/assessments/{draft.pk}/submit/",
        f"/assessments/submissions/{submission.pk}/",
    ]
    too_wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        width, screen = overflow(page)
        if width > screen:
            too_wide[path] = (width, widest(page))
    assert too_wide == {}, f"wider than {PHONE['width']}px: {too_wide}"
    expect(page.locator("#red-lines")).to_be_visible()  # the result page had its table


def test_an_out_of_range_number_on_a_phone_keeps_the_value(page, live_server, journey):
    draft = journey["draft"]
    question = (
        Question.objects.filter(
            version=draft.version,
            answer_type="number",
            section__module__in=draft.modules,
        )
        .select_related("section")
        .first()
    )
    page.goto(f"{live_server.url}/assessments/{draft.pk}/section/{question.section.module}/")
    field = page.locator(f"input[name='{question.code}-answer']")
    field.fill("-5")
    page.keyboard.press("Tab")
    card = page.locator(f"#q-{question.code}")
    expect(card).to_have_attribute("data-state", "invalid", timeout=WAIT)
    htmx_idle(page)
    expect(card.locator(".answer-error")).to_be_visible()
    expect(field).to_have_value("-5")
    width, screen = overflow(page)
    assert width <= screen
