"""Issue 9: a strict Content-Security-Policy on every page, in development and production mode,
and markup that needs nothing the policy forbids (inline script, inline style, eval)."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments import results
from portal.management.commands.seed_demo import content_admin_permissions
from tests.assessments.results_support import SMALL_SCOPING, make_submission, small_questionnaire
from tests.portal.test_settings import PRODUCTION_ENV, run_django
from tests.regulations.factories import (
    KeyPointFactory,
    RegulationFactory,
    content_admin_with_permissions,
    edition_with_articles,
)

pytestmark = pytest.mark.django_db

EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}


def directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def assert_strict(header: str | None) -> None:
    assert header is not None, "no Content-Security-Policy header"
    assert directives(header) == EXPECTED_POLICY
    assert "unsafe" not in header  # neither 'unsafe-inline', 'unsafe-eval' nor 'unsafe-hashes'


class InlineCodeFinder(HTMLParser):
    """Collects what the policy would block: inline <script> and <style>, style="" and event
    handler attributes, and the htmx attributes that evaluate JavaScript."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        for name, value in attrs:
            if name == "style" or (name.startswith("on") and name != "on"):
                self.found.append(f"<{tag} {name}=…>")
            if name.startswith(("hx-on", "data-hx-on")) or name in ("hx-vars", "data-hx-vars"):
                self.found.append(f"<{tag} {name}=…>")
            if name.startswith(("hx-", "data-hx-")) and (value or "").lstrip().startswith(
                ("js:", "javascript:")
            ):
                self.found.append(f"<{tag} {name}=js:…>")
            if name in ("href", "action", "src") and (value or "").lstrip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def scored(organisation):
    submission = make_submission(
        organisation,
        small_questionnaire(),
        SMALL_SCOPING,
        answers={"CSL-01": {"level": 0}, "PIPL-01": {"level": 1}},
    )
    results.submission_score(submission.pk)
    return submission


@pytest.fixture
def regulation():
    regulation = RegulationFactory(code="CSPT")
    edition_with_articles(regulation=regulation, articles=3)
    KeyPointFactory(regulation=regulation, article_number=1)
    return regulation


@pytest.fixture
def demo_content_admin(content_admin):
    content_admin.user_permissions.set(content_admin_permissions())
    return content_admin


# (who is signed in, URL name, arguments from fixtures) for pages that need no object.
SIMPLE_PAGES = [
    (None, "home"),
    (None, "login"),
    (None, "password_reset"),
    (None, "regulations:list"),
    (None, "regulations:search"),
    ("org_owner", "assessments:list"),
    ("org_owner", "notifications:preferences"),
    ("org_owner", "password_change"),
    ("org_owner", "twofactor:overview"),
    ("org_owner", "twofactor:enrol"),
    ("regulator", "supervision:queue"),
    ("demo_content_admin", "admin:index"),
]


@pytest.mark.parametrize(("persona", "name"), SIMPLE_PAGES)
def test_every_page_carries_exactly_the_strict_policy(client, request, persona, name):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_strict(response.headers.get("Content-Security-Policy"))


def test_redirects_errors_and_htmx_fragments_carry_it_too(client, org_owner, regulation):
    assert_strict(client.get(reverse("assessments:list")).headers.get("Content-Security-Policy"))
    missing = client.get("/regulations/NOPE/")
    assert missing.status_code == 404
    assert_strict(missing.headers.get("Content-Security-Policy"))
    client.force_login(org_owner)
    fragment = client.get(
        reverse("assessments:article", args=[regulation.code, 1]), headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert_strict(fragment.headers.get("Content-Security-Policy"))


def test_the_policy_is_not_relaxed_for_the_admin(client, demo_content_admin):
    client.force_login(demo_content_admin)
    response = client.get(reverse("admin:regulations_regulation_changelist"))
    assert response.status_code == 200
    assert_strict(response.headers.get("Content-Security-Policy"))


# A script that migrates an in-memory database and fetches pages the way a browser behind the
# TLS proxy would; the production storage needs collected files, so the plain one is used here.
PRODUCTION_PAGES = """
import json
from django.core.management import call_command
from django.test import Client, override_settings
call_command("migrate", verbosity=0)
plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
out = {}
with override_settings(STORAGES=plain):
    client = Client(HTTP_HOST="hegui.example.com")
    for path in ("/accounts/login/", "/regulations/", "/no-such-page/"):
        response = client.get(path, secure=True)
        out[path] = [response.status_code, response.headers.get("Content-Security-Policy")]
print(json.dumps(out))
"""


def test_production_mode_sends_the_same_strict_policy():
    result = run_django(["shell", "-c", PRODUCTION_PAGES], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    assert [status for status, _ in pages.values()] == [200, 200, 404]
    for _status, header in pages.values():
        assert_strict(header)


class TestMarkupNeedsNoInlineCode:
    """What the browser test proves for the journeys, checked here on every kind of page fast:
    the markup itself holds nothing the policy would block."""

    def assert_clean(self, client, user, url):
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url

    def test_the_finder_sees_each_kind_of_inline_code(self):
        html = (
            '<style>p{}</style><script>alert(1)</script><script src="/s.js"></script>'
            '<p style="color:red" onclick="x()">x</p><a href="javascript:x()">x</a>'
            '<div hx-on:click="x()" hx-vars="a:1" hx-get="/ok" hx-vals="js:{a:1}"></div>'
        )
        assert len(inline_code(html)) == 8
        assert inline_code('<p class="one" data-online="1"><script src="/a.js"></script>') == []

    @pytest.mark.parametrize(("persona", "name"), SIMPLE_PAGES)
    def test_pages_without_an_object(self, client, request, persona, name):
        user = request.getfixturevalue(persona) if persona else None
        self.assert_clean(client, user, reverse(name))

    def test_the_assessment_pages(self, client, org_owner, scored):
        assessment = scored.assessment
        for url in (
            reverse("assessments:detail", args=[assessment.pk]),
            reverse("assessments:section", args=[assessment.pk, "CSL"]),
            reverse("assessments:submission", args=[scored.pk]),
            reverse("assessments:invite", args=[assessment.organisation_id]),
        ):
            self.assert_clean(client, org_owner, url)

    def test_the_progress_bar_is_sized_by_the_static_script(self, client, org_owner, scored):
        client.force_login(org_owner)
        html = client.get(reverse("assessments:detail", args=[scored.assessment.pk])).content
        assert b'class="progress-bar" data-progress="' in html
        assert b"js/hegui.js" in html

    def test_the_review_pages(self, client, regulator, scored):
        self.assert_clean(
            client, regulator, reverse("supervision:review", args=[scored.assessment_id])
        )

    def test_the_regulation_library(self, client, regulation):
        for url in (
            reverse("regulations:detail", args=[regulation.code]),
            reverse("regulations:article_history", args=[regulation.code, 1]),
            reverse("regulations:search") + "?q=个人信息",
        ):
            self.assert_clean(client, None, url)

    def test_the_admin_pages_of_a_content_admin(self, client, regulation):
        admin = content_admin_with_permissions()
        edition = regulation.editions.get()
        for url in (
            reverse("admin:index"),
            reverse("admin:regulations_regulation_changelist"),
            reverse("admin:regulations_edition_changelist"),
            reverse("admin:regulations_edition_change", args=[edition.pk]),
            reverse("admin:regulations_article_changelist"),
        ):
            self.assert_clean(client, admin, url)

    def test_the_language_switch_has_no_inline_handler(self, client):
        html = client.get(reverse("home")).content.decode()
        assert "data-submit-on-change" in html
        assert "onchange" not in html

    def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(self, client):
        html = client.get(reverse("home")).content.decode()
        start = html.index('name="htmx-config" content=\'') + len('name="htmx-config" content=\'')
        config = json.loads(html[start : html.index("'", start)])
        assert config["includeIndicatorStyles"] is False
        assert config["allowEval"] is False
        assert config["allowScriptTags"] is False
