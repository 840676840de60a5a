"""Who may open every URL of the regulator's workspace: an explicit table of statuses.

The review workspace belongs to regulators whose jurisdiction (province and, when given,
sector) covers the organisation. Members of the organisation see the review on their own
pages, so here they get the same 404 as a stranger; anonymous visitors are sent to sign in.
"""

import pytest
from django.urls import reverse

from tests.factories import RegulatorProfileFactory, UserFactory
from tests.supervision.workspace_support import (  # noqa: F401 - fast_passwords is a fixture
    draft_assessment,
    fast_passwords,
    submitted_assessment,
)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "owner",
    "editor",
    "viewer",
    "other_org",
    "regulator",
    "out_of_province",
    "out_of_sector",
    "content_admin",
    "anonymous",
)
GET_URLS = ("queue", "review", "submission")
POST_URLS = ("claim", "unclaim", "comment", "decide", "override")

# 200 / 403 / 404, "login" (redirect to sign in), "done" (the action ran and redirected back).
EXPECTED = {
    "queue": {
        "regulator": 200, "out_of_province": 200, "out_of_sector": 200,
        "owner": 403, "editor": 403, "viewer": 403, "other_org": 403, "content_admin": 403,
        "anonymous": "login",
    },
    "review": {"regulator": 200, "anonymous": "login"},
    "submission": {"regulator": 200, "anonymous": "login"},
    **{name: {"regulator": "done", "anonymous": "login"} for name in POST_URLS},
}  # fmt: skip


def expected(url_name: str, persona: str):
    return EXPECTED[url_name].get(persona, 404)


@pytest.fixture
def people(org_owner, org_editor, org_viewer, other_org_user, regulator, content_admin):
    return {
        "owner": org_owner,
        "editor": org_editor,
        "viewer": org_viewer,
        "other_org": other_org_user,
        "regulator": regulator,
        "out_of_province": RegulatorProfileFactory(provinces=["440000"]).user,
        "out_of_sector": RegulatorProfileFactory(provinces=["110000"], sectors=["finance"]).user,
        "content_admin": content_admin,
        "anonymous": None,
    }


@pytest.fixture
def submitted(organisation, org_owner):
    return submitted_assessment(organisation, org_owner)


def url_for(name: str, assessment) -> str:
    if name == "queue":
        return reverse("supervision:queue")
    if name == "submission":
        return reverse("supervision:submission", args=[assessment.pk, 1])
    return reverse(f"supervision:{name}", args=[assessment.pk])


POST_DATA = {
    "claim": {},
    "unclaim": {},
    "comment": {"body": "请补充", "question_code": "CSL-01"},
    "decide": {"action": "close", "seen_status": "scored", "seen_submission": "0", "note": ""},
    "override": {"submission": "1", "tier": "high", "reason": "现场检查发现问题"},
}


def request(client, people, persona, name, assessment):
    user = people[persona]
    if user is not None:
        client.force_login(user)
    if name in POST_URLS:
        return client.post(url_for(name, assessment), POST_DATA[name])
    return client.get(url_for(name, assessment))


def outcome(response) -> object:
    if response.status_code == 302:
        return "login" if response["Location"].startswith(reverse("login")) else "done"
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", GET_URLS + POST_URLS)
def test_each_persona_gets_the_expected_status(client, people, submitted, persona, name):
    response = request(client, people, persona, name, submitted)
    assert outcome(response) == expected(name, persona)


@pytest.mark.parametrize("name", ("review", "submission") + POST_URLS)
def test_a_draft_is_never_reachable_even_in_jurisdiction(client, people, organisation, name):
    draft = draft_assessment(organisation, people["owner"])
    assert outcome(request(client, people, "regulator", name, draft)) == 404


@pytest.mark.parametrize("name", ("review", "submission") + POST_URLS)
def test_a_submission_outside_the_jurisdiction_is_a_404(client, people, other_organisation, name):
    elsewhere = submitted_assessment(other_organisation, UserFactory())
    assert outcome(request(client, people, "regulator", name, elsewhere)) == 404


def test_the_queue_lists_only_submissions_in_jurisdiction_and_never_drafts(
    client, people, organisation, other_organisation, submitted
):
    draft = draft_assessment(organisation, people["owner"])
    elsewhere = submitted_assessment(other_organisation, UserFactory())
    client.force_login(people["regulator"])
    html = client.get(reverse("supervision:queue")).content.decode()
    assert f'data-assessment="{submitted.pk}"' in html
    assert f'data-assessment="{draft.pk}"' not in html
    assert f'data-assessment="{elsewhere.pk}"' not in html


@pytest.mark.parametrize("persona", ("out_of_province", "out_of_sector"))
def test_a_regulator_of_another_jurisdiction_has_an_empty_queue(client, people, submitted, persona):
    client.force_login(people[persona])
    html = client.get(reverse("supervision:queue")).content.decode()
    assert 'class="queue-row"' not in html
    assert f'data-assessment="{submitted.pk}"' not in html


def test_a_refused_write_changes_nothing(client, people, submitted):
    from supervision.models import Decision, ReviewComment, TierOverride

    for persona in ("owner", "out_of_sector", "content_admin", "anonymous"):
        for name in POST_URLS:
            request(client, people, persona, name, submitted)
            client.logout()
    assert not Decision.objects.exists()
    assert not ReviewComment.objects.exists() and not TierOverride.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == "scored"
