"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: we point it at the system Chromium
(HEGUI_CHROMIUM, default /usr/bin/chromium), which .ci/run installs with apt-get.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HEGUI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def owner_on_a_draft(page, live_server, *, timeout, **scoping):
    """An organisation's owner signed in, with a draft of the small questionnaire scoped by
    `scoping` (S01="domestic", …): (page, assessment); every wait of the page up to `timeout`."""
    from tests.assessments.factories import load_small_questionnaire, start_assessment
    from tests.factories import PASSWORD, MembershipFactory

    load_small_questionnaire()
    owner = MembershipFactory(role="owner").user
    assessment = start_assessment(owner.memberships.get().organisation, owner, **scoping)
    sign_in(page, live_server, owner.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/**")
    page.set_default_timeout(timeout)
    return page, assessment


def sign_in(page, live_server, email, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


def htmx_idle(page):
    """Wait until htmx has no request in flight and has finished swapping and settling, so the
    next interaction reaches the new elements with their listeners attached (a person never
    types within the 20 ms settle; a test can)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
