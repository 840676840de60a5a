"""Issue 9: under the strict Content-Security-Policy every page of the journeys works in a real
browser and the browser reports no violation: no inline script or style, no eval, htmx and
Bootstrap included."""

import pytest
from playwright.sync_api import expect

from tests.assessments.factories import ensure_test_regulation, load_small_questionnaire
from tests.e2e.conftest import htmx_idle, sign_in
from tests.e2e.test_review_loop import prepared_assessment
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    RegulatorProfileFactory,
    UserFactory,
)
from tests.regulations.factories import (
    KeyPointFactory,
    content_admin_with_permissions,
    edition_with_articles,
)

pytestmark = pytest.mark.django_db(transaction=True)

LONG = 30_000  # ms: shared machines are slow; wait for what the page shows, generously

# Runs in every document before its own scripts: records each violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""
# Let queued violation events fire, then hand over (and forget) what was recorded.
HARVEST = """() => new Promise((resolve) => setTimeout(
  () => resolve((window.__cspViolations || []).splice(0)), 100))"""


class Watcher:
    """A browser context of one persona whose pages report CSP violations, page by page."""

    def __init__(self, browser, live_server):
        self.live_server = live_server
        self.context = browser.new_context(locale="zh-CN")
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(LONG)
        self.page.on("console", self.console)
        self.violations: list[tuple[str, object]] = []

    def console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append((self.page.url, message.text))

    def harvest(self):
        self.page.wait_for_load_state("load")
        for violation in self.page.evaluate(HARVEST):
            self.violations.append((self.page.url, violation))

    def goto(self, path, *, shows):
        """Open a page and wait for the element that proves it rendered."""
        self.harvest()  # what the previous page reported, before it goes
        self.page.goto(f"{self.live_server.url}{path}")
        expect(self.page.locator(shows).first).to_be_visible()
        htmx_idle(self.page)
        self.harvest()

    def sign_in(self, user):
        sign_in(self.page, self.live_server, user.email, PASSWORD)
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)
        self.harvest()

    def close(self):
        self.harvest()
        self.context.close()


@pytest.fixture
def watchers(browser, live_server):
    expect.set_options(timeout=LONG)
    opened = []

    def open_watcher():
        opened.append(Watcher(browser, live_server))
        return opened[-1]

    yield open_watcher
    for watcher in opened:
        watcher.context.close()


def test_a_violation_is_detected_when_there_is_one(watchers):
    """The detector can fail: an inline <style> added by a script is blocked and reported."""
    watcher = watchers()
    watcher.goto("/", shows="main")
    watcher.page.evaluate(
        "() => { const s = document.createElement('style');"
        " s.textContent = 'body { color: red }'; document.head.appendChild(s); }"
    )
    watcher.harvest()
    directives = [v["directive"] for _url, v in watcher.violations if isinstance(v, dict)]
    assert directives and directives[0].startswith("style-src")


def test_every_page_of_the_journeys_runs_without_a_csp_violation(
    watchers, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    regulation = ensure_test_regulation()
    edition_with_articles(regulation=regulation, articles=3)
    KeyPointFactory(regulation=regulation, article_number=1, zh="测试要点", en="Test key point")
    load_small_questionnaire()
    organisation = OrganisationFactory(province="110000", sector="internet", name="CSP示范公司")
    owner = MembershipFactory(organisation=organisation, role="owner").user
    regulator = RegulatorProfileFactory(provinces=["110000"], sectors=["internet"]).user
    admin = content_admin_with_permissions(UserFactory(is_staff=True))
    assessment = prepared_assessment(owner, organisation)
    seen = []

    # Anyone: the home page, the sign-in page, the regulation library.
    visitor = watchers()
    visitor.goto("/", shows="main")
    visitor.goto("/accounts/login/", shows="input[name=username]")
    visitor.goto("/regulations/", shows="main a[href='/regulations/TST/']")
    visitor.goto("/regulations/TST/", shows="#art-1")
    visitor.goto("/regulations/search/?q=个人信息", shows="main mark")
    visitor.goto("/regulations/TST/articles/1/", shows="main")
    # The language switch submits itself through the static script (no inline handler).
    visitor.page.select_option("#language-select", "en")
    expect(visitor.page.locator("html")).to_have_attribute("lang", "en")
    visitor.harvest()
    seen.append(visitor)

    # The organisation: list, overview, a section with an autosave and a citation, submit,
    # the result with its chart, notification preferences.
    member = watchers()
    member.sign_in(owner)
    member.goto("/assessments/", shows=f"main a[href='/assessments/{assessment.pk}/']")
    # Bootstrap's script works under the policy: the account menu opens.
    member.page.click("nav .dropdown-toggle")
    expect(member.page.locator("nav .dropdown-menu")).to_be_visible()
    member.goto(f"/assessments/{assessment.pk}/", shows="#overall-progress")
    bar = member.page.locator(".progress-bar")
    expected_width = bar.get_attribute("data-progress") + "%"
    member.page.wait_for_function(
        "(width) => document.querySelector('.progress-bar').style.width === width",
        arg=expected_width,
    )
    member.goto(f"/assessments/{assessment.pk}/section/CSL/", shows="#q-CSL-03")
    member.page.fill("input[name='CSL-03-answer']", "7")
    member.page.keyboard.press("Tab")
    expect(member.page.locator("#q-CSL-03")).to_have_attribute("data-state", "saved")
    htmx_idle(member.page)
    member.page.locator("#q-CSL-01 button.citation").first.click()
    expect(member.page.locator("#cite-CSL-01")).to_contain_text("测试要点")
    htmx_idle(member.page)
    member.harvest()
    member.goto(f"/assessments/{assessment.pk}/submit/", shows="#submit-summary")
    member.page.fill("input[name='role']", "法定代表人")
    member.page.check("#attestation-form input[type=checkbox]")
    member.page.click("#confirm-submit")
    member.page.wait_for_url("**/submissions/**")
    expect(member.page.locator("#result")).to_have_attribute("data-state", "scored")
    expect(member.page.locator("svg.module-chart")).to_be_visible()
    member.harvest()
    member.goto("/notifications/preferences/", shows="main form")
    member.goto("/accounts/two-factor/enrol/", shows="#two-factor-qr svg")
    seen.append(member)

    # The regulator: the queue and the review page.
    officer = watchers()
    officer.sign_in(regulator)
    officer.goto("/review/", shows="#queue")
    officer.goto(f"/review/{assessment.pk}/", shows="#review-status")
    seen.append(officer)

    # The content admin: the admin index, a list and the edition page we extended.
    editor = watchers()
    editor.sign_in(admin)
    editor.goto("/admin/", shows="#content-main")
    editor.goto("/admin/regulations/regulation/", shows="#changelist")
    edition = regulation.editions.get()
    editor.goto(f"/admin/regulations/edition/{edition.pk}/change/", shows="#content-main")
    seen.append(editor)

    for watcher in seen:
        watcher.harvest()
    violations = [v for watcher in seen for v in watcher.violations]
    assert violations == []
