"""Issue 11: 403, 404 and 500 pages in the portal's look and the user's language, saying what
the person can do instead; and /favicon.ico answers."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.defaults import server_error

from portal.urls import urlpatterns as portal_urlpatterns
from tests.portal.test_csp_headers import assert_strict, inline_code


def broken_view(request):
    raise RuntimeError("something broke")


def forbidden_view(request):
    raise PermissionDenied("no")


# Used by @pytest.mark.urls below: the portal's own addresses plus one that fails.
urlpatterns = [
    *portal_urlpatterns,
    path("test-broken/", broken_view),
    path("test-forbidden/", forbidden_view),
]


def translated(language: str, message: str) -> str:
    """The text as the catalogue renders it in `language`."""
    with translation.override(language):
        return gettext(message)


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
class TestForbidden:
    def invite_page(self, client, org_viewer, organisation):
        client.force_login(org_viewer)
        return client.get(reverse("assessments:invite", args=[organisation.pk]))

    def test_a_viewer_on_the_invite_page_gets_the_styled_page_in_chinese(
        self, client, org_viewer, organisation
    ):
        response = self.invite_page(client, org_viewer, organisation)
        assert response.status_code == 403
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        assert "css/hegui.css" in html and "navbar" in html
        assert "403 Forbidden" not in html
        assert translated("zh-hans", "You do not have permission to open this page.") in html
        assert "首页" in html  # the navigation, in Chinese
        assert f'href="{reverse("assessments:list")}"' in html

    def test_and_in_english(self, client, org_viewer, organisation):
        response = self.invite_page(in_english(client), org_viewer, organisation)
        assert response.status_code == 403
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "You do not have permission to open this page." in html
        assert "Ask an owner of your organisation" in html
        assert "Your assessments" in html
        assert "首页" not in html

    @pytest.mark.urls("tests.portal.test_error_pages")
    def test_an_anonymous_visitor_is_offered_to_sign_in(self, client):
        response = in_english(client).get("/test-forbidden/")
        assert response.status_code == 403
        html = response.content.decode()
        assert f'href="{reverse("login")}"' in html
        assert f'href="{reverse("assessments:list")}"' not in html


@pytest.mark.django_db
class TestNotFound:
    def test_an_unknown_address_gets_the_styled_page_in_chinese(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        assert "css/hegui.css" in html
        assert "Not Found" not in html
        assert translated("zh-hans", "This page does not exist.") in html
        assert f'href="{reverse("home")}"' in html
        assert f'href="{reverse("login")}"' in html  # not signed in: offered to sign in

    def test_and_in_english_with_a_way_back_for_a_member(self, client, org_owner):
        client.force_login(org_owner)
        response = in_english(client).get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "This page does not exist." in html
        assert "Your assessments" in html
        assert f'href="{reverse("assessments:list")}"' in html

    def test_another_organisations_assessment_reads_the_same(self, client, other_org_user):
        client.force_login(other_org_user)
        response = in_english(client).get(reverse("assessments:detail", args=[999_999]))
        assert response.status_code == 404
        assert "This page does not exist." in response.content.decode()


class TestServerError:
    def test_it_renders_without_a_database_or_context_processors(self):
        # No django_db mark: any query here fails the test.
        request = RequestFactory().get("/")
        with translation.override("en"):
            response = server_error(request)
        assert response.status_code == 500
        html = response.content.decode()
        assert '<html lang="en">' in html
        assert "css/hegui.css" in html
        assert "Something went wrong on our side." in html
        assert 'href="/"' in html

    @pytest.mark.django_db
    @pytest.mark.urls("tests.portal.test_error_pages")
    def test_a_failing_page_shows_it_in_each_language(self):
        client = Client(raise_request_exception=False)
        chinese = client.get("/test-broken/")
        assert chinese.status_code == 500
        assert '<html lang="zh-hans">' in chinese.content.decode()
        assert translated("zh-hans", "Something went wrong on our side.") in (
            chinese.content.decode()
        )
        english = in_english(client).get("/test-broken/")
        assert english.status_code == 500
        html = english.content.decode()
        assert '<html lang="en">' in html
        assert "Something went wrong on our side." in html
        assert "Server Error" not in html


@pytest.mark.django_db
class TestFavicon:
    def test_the_favicon_address_leads_to_our_icon(self, client):
        response = client.get("/favicon.ico")
        assert response.status_code == 302
        assert response["Location"] == static("favicon.svg")
        assert client.head("/favicon.ico").status_code == 302
        with open(finders.find("favicon.svg"), "rb") as icon:
            assert icon.read().lstrip().startswith(b"<svg")

    def test_every_page_links_the_icon(self, client):
        html = client.get(reverse("home")).content.decode()
        assert 'rel="icon"' in html and "favicon.svg" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.test_error_pages")
def test_error_pages_need_no_inline_code_and_carry_the_policy(client, org_viewer, organisation):
    client.force_login(org_viewer)
    for url, status in (
        (reverse("assessments:invite", args=[organisation.pk]), 403),
        ("/no-such-page/", 404),
    ):
        response = client.get(url)
        assert response.status_code == status
        assert inline_code(response.content.decode()) == [], url
        assert_strict(response.headers.get("Content-Security-Policy"))
    broken = Client(raise_request_exception=False).get("/test-broken/")
    assert broken.status_code == 500
    assert inline_code(broken.content.decode()) == []
    assert_strict(broken.headers.get("Content-Security-Policy"))
