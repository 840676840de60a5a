"""Issue 11: home pages and the assessment list tell each person what the portal is and what
to do next."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.assessments.factories import load_small_questionnaire, start_assessment
from tests.portal.test_csp_headers import inline_code

pytestmark = pytest.mark.django_db


def translated(language: str, message: str) -> str:
    """The text as the catalogue renders it in `language`."""
    with translation.override(language):
        return gettext(message)


def page(client, name, *, language="zh-hans"):
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


ABOUT = (
    "Hegui helps organisations check themselves against China's rules on data, personal "
    "information and AI, and lets regulators review the results."
)
HOW_TO_JOIN = (
    "Accounts are by invitation: ask an owner of your organisation to invite you from the "
    "portal. Regulators get their accounts from the platform administrator."
)

READ_ONLY = (
    "You have read-only access: you can read your organisation's assessments and results but "
    "not change answers. To take part, ask an owner to make you an editor."
)


class TestAnonymousHome:
    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_it_says_what_the_portal_is_and_how_to_get_an_account(self, client, language):
        html = page(client, "home", language=language)
        assert translated(language, ABOUT) in html
        assert translated(language, HOW_TO_JOIN) in html
        assert f'href="{reverse("login")}"' in html

    def test_the_english_page_is_english(self, client):
        html = page(client, "home", language="en")
        assert "ask an owner of your organisation to invite you" in html
        assert "platform administrator" in html


class TestOwnerHome:
    def test_without_an_assessment_it_offers_to_start_one(self, client, org_owner):
        client.force_login(org_owner)
        html = page(client, "home", language="en")
        assert "Start your first assessment" in html
        assert f'href="{reverse("assessments:list")}"' in html

    def test_with_an_assessment_it_leads_back_to_the_latest(self, client, org_owner, organisation):
        load_small_questionnaire()
        start_assessment(organisation, org_owner)
        latest = start_assessment(organisation, org_owner)
        client.force_login(org_owner)
        for language in ("zh-hans", "en"):
            html = page(client, "home", language=language)
            assert translated(language, "Continue your latest assessment") in html
            assert f'href="{latest.get_absolute_url()}"' in html
        assert "Start your first assessment" not in html

    def test_it_shows_no_read_only_notice(self, client, org_owner):
        client.force_login(org_owner)
        assert "read-only" not in page(client, "home", language="en")


class TestViewerHome:
    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_a_viewer_is_told_the_access_is_read_only(self, client, org_viewer, language):
        client.force_login(org_viewer)
        html = page(client, "home", language=language)
        assert translated(language, READ_ONLY) in html
        assert "Start your first assessment" not in html

    def test_in_english(self, client, org_viewer):
        client.force_login(org_viewer)
        html = page(client, "home", language="en")
        assert "You have read-only access" in html
        assert "ask an owner" in html


class TestEmptyAssessmentList:
    @pytest.mark.parametrize("persona", ["org_owner", "org_editor"])
    def test_a_writer_is_told_to_start_one(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        for language in ("zh-hans", "en"):
            html = page(client, "assessments:list", language=language)
            assert translated(language, "No assessments yet.") in html
            assert translated(language, "Start a new assessment to answer the questionnaire.") in (
                html
            )

    def test_a_viewer_is_told_to_ask_an_owner(self, client, org_viewer):
        client.force_login(org_viewer)
        for language in ("zh-hans", "en"):
            html = page(client, "assessments:list", language=language)
            assert translated(language, "No assessments yet.") in html
            assert (
                translated(language, "Ask an owner or an editor of your organisation to start one.")
                in html
            )
            assert (
                translated(language, "Start a new assessment to answer the questionnaire.")
                not in html
            )

    def test_a_list_with_assessments_has_no_empty_state(self, client, org_owner, organisation):
        load_small_questionnaire()
        start_assessment(organisation, org_owner)
        client.force_login(org_owner)
        assert "No assessments yet." not in page(client, "assessments:list", language="en")


def test_the_new_home_and_list_markup_needs_no_inline_code(
    client, org_owner, org_viewer, organisation
):
    load_small_questionnaire()
    start_assessment(organisation, org_owner)
    pages = [
        (None, "home"),
        (org_owner, "home"),
        (org_viewer, "home"),
        (org_viewer, "assessments:list"),
    ]
    for user, name in pages:
        if user:
            client.force_login(user)
        assert inline_code(page(client, name)) == [], (user, name)
