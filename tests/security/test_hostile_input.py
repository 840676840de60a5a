"""Random and hostile data posted to every form and htmx endpoint never gets a 500, and markup
that is stored comes back escaped.

Values: wrong types, huge strings (100k characters), control characters and NUL, mixed
scripts, HTML and SQL fragments, unicode edge cases. 200 examples per endpoint, derandomised,
no example database (deterministic in CI). The test client re-raises a view's exception, so a
500 fails the example that caused it.
"""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.support import world_fixture
from tests.supervision.workspace_support import draft_assessment

world = pytest.fixture(scope="module")(world_fixture)

HOSTILE = [
    "",
    "\x00",
    "a\x00b",
    "\x01\x07\x1b[31m",
    "\r\n\t",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE portal_user; --",
    "%00",
    "../../etc/passwd",
    "9" * 40,
    "-1",
    "1e309",
    "NaN",
    "²",
    "١٢٣",
    "0x10",
    "true",
    "null",
    "[]",
    "{}",
    "\u202e\u200b\ufeff",
    "\ud7ff\U0001f600\U000e0001",
    "Ｚ̷̢͝a̸l̵g̶o̷",
    "中文 русский العربية עברית",
    "x" * 100_000,
]
HUGE = "长" * 100_000
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
    st.just(HUGE),
)
# Query strings: the same, capped at 5,000 characters (a URL that long is already refused
# by any proxy; the filters run real queries per example, so 100k values only cost time).
query_values = st.one_of(
    st.sampled_from([v[:5000] for v in HOSTILE]), st.text(max_size=200), st.integers().map(str)
)
FAST = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def form(*names, strategy=values):
    return st.fixed_dictionaries({name: strategy for name in names})


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code


@pytest.fixture
def draft(world, db):
    return draft_assessment(world.own.organisation, world.people["owner"])


def signed_in(client, world, persona):
    client.force_login(world.people[persona])
    return client


# --- organisation side ------------------------------------------------------------------------

ANSWER_FIELDS = ("answer", "na", "na_reason", "comment", "revision")


@FAST
@given(data=form(*ANSWER_FIELDS), code=st.sampled_from(["CSL-01", "CSL-02", "CSL-03", "S02"]))
def test_answer_autosave_survives_hostile_data(client, world, draft, data, code):
    signed_in(client, world, "editor")
    url = reverse("assessments:answer", args=[draft.pk, code])
    posted = {f"{code}-{name}": value for name, value in data.items()}
    assert_no_server_error(client.post(url, posted, HTTP_HX_REQUEST="true"))


@FAST
@given(data=form("file", "name"))
def test_evidence_upload_fields_survive_hostile_data(client, world, draft, data):
    signed_in(client, world, "editor")
    url = reverse("assessments:evidence_upload", args=[draft.pk, "CSL-01"])
    assert_no_server_error(client.post(url, data, HTTP_HX_REQUEST="true"))


@FAST
@given(data=form("user"), module=st.sampled_from(["CSL", "PIPL", "SCOPING"]))
def test_section_assignment_survives_hostile_data(client, world, draft, data, module):
    signed_in(client, world, "owner")
    url = reverse("assessments:assign", args=[draft.pk, module])
    assert_no_server_error(client.post(url, data))


@FAST
@given(data=form("name", "role", "confirm"))
def test_submit_attestation_survives_hostile_data(client, world, draft, data):
    signed_in(client, world, "owner")
    url = reverse("assessments:submit", args=[draft.pk])
    assert_no_server_error(client.post(url, data))


@FAST
@given(data=form("email", "role"))
def test_invitation_form_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "owner")
    url = reverse("assessments:invite", args=[world.own.organisation.pk])
    assert_no_server_error(client.post(url, data))


@FAST
@given(data=form("full_name", "password1", "password2"))
def test_invitation_sign_up_survives_hostile_data(client, world, db, data):
    url = reverse("assessments:invitation_accept", args=[world.own.invitation.token])
    assert_no_server_error(client.post(url, data))
    client.logout()  # a valid example signs the newcomer in; the next one is anonymous again


@FAST
@given(data=form("body"))
def test_reply_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "editor")
    url = reverse("assessments:comment_reply", args=[world.own.assessment.pk, world.own.comment.pk])
    assert_no_server_error(client.post(url, data))


@FAST
@given(data=form("delivery", "language"))
def test_notification_preferences_survive_hostile_data(client, world, db, data):
    signed_in(client, world, "viewer")
    assert_no_server_error(client.post(reverse("notifications:preferences"), data))


@FAST
@given(data=form("old_password", "new_password1", "new_password2"))
def test_password_change_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "viewer")
    assert_no_server_error(client.post(reverse("password_change"), data))


@FAST
@given(data=form("username", "password"))
def test_sign_in_survives_hostile_data(client, db, data):
    assert_no_server_error(client.post(reverse("login"), data))


# --- regulator side ---------------------------------------------------------------------------


@FAST
@given(data=form("body", "question_code", "next"))
def test_review_comment_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "regulator")
    url = reverse("supervision:comment", args=[world.own.assessment.pk])
    assert_no_server_error(client.post(url, data))


@FAST
@given(data=form("action", "note", "seen_status", "seen_submission", "next"))
def test_decision_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "regulator")
    url = reverse("supervision:decide", args=[world.own.assessment.pk])
    assert_no_server_error(client.post(url, data))


@FAST
@given(data=form("submission", "tier", "reason"))
def test_tier_override_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "regulator")
    url = reverse("supervision:override", args=[world.own.assessment.pk])
    assert_no_server_error(client.post(url, data))


QUEUE_FILTERS = (
    "status", "tier", "module", "red_lines", "province", "sector", "grade",
    "submitted_from", "submitted_to", "sort", "page", "q",
)  # fmt: skip


@FAST
@given(data=form(*QUEUE_FILTERS, strategy=query_values))
def test_queue_filters_survive_hostile_data(client, world, db, data):
    signed_in(client, world, "regulator")
    assert_no_server_error(client.get(reverse("supervision:queue"), data))


@FAST
@given(data=form("q", "on", "page", strategy=query_values))
def test_regulation_search_survives_hostile_data(client, db, data):
    assert_no_server_error(client.get(reverse("regulations:search"), data))


# --- stored markup renders escaped ------------------------------------------------------------

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_review_comment_with_markup_renders_escaped_on_both_sides(client, world, db):
    signed_in(client, world, "regulator")
    url = reverse("supervision:comment", args=[world.own.assessment.pk])
    client.post(url, {"body": MARKUP, "question_code": ""})
    review = client.get(reverse("supervision:review", args=[world.own.assessment.pk]))
    signed_in(client, world, "owner")
    overview = client.get(world.own.assessment.get_absolute_url())
    for page in (review, overview):
        html = page.content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<script>alert(" not in html and "<img src=x" not in html


def test_an_answer_comment_and_na_reason_with_markup_render_escaped(client, world, draft):
    from tests.assessments.factories import answer

    answer(draft, "PIPL-01", world.people["owner"], na_reason=MARKUP, comment=MARKUP)
    signed_in(client, world, "owner")
    html = client.get(reverse("assessments:section", args=[draft.pk, "PIPL"])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert(" not in html and "<img src=x" not in html


# --- onboarding -------------------------------------------------------------------------------

REGISTRATION_FIELDS = (
    "name",
    "uscc",
    "province",
    "sector",
    "size",
    "applicant_name",
    "applicant_email",
)


@FAST
@given(data=form(*REGISTRATION_FIELDS))
def test_registration_survives_hostile_data(client, db, data):
    assert_no_server_error(client.post(reverse("onboarding:register"), data))


@FAST
@given(data=form("decision", "reason"))
def test_registration_decision_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "regulator")
    url = reverse("onboarding:request", args=[world.extra["registration_own"].pk])
    assert_no_server_error(client.post(url, data))


@FAST
@given(data=form("email", "full_name", "authority", "provinces", "sectors"))
def test_regulator_account_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "platform_admin")
    assert_no_server_error(client.post(reverse("onboarding:regulator_new"), data))


@FAST
@given(data=form("authority", "provinces", "sectors", "active"))
def test_jurisdiction_change_survives_hostile_data(client, world, db, data):
    signed_in(client, world, "platform_admin")
    url = reverse("onboarding:regulator_change", args=[world.extra["profile_own"].pk])
    assert_no_server_error(client.post(url, data))
