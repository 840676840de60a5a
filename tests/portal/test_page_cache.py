"""The whole-page cache of the member pages (portal/page_cache.py): a page read again is not
rendered again, and every change it shows is on the next request — an answer, a decision, a
new questionnaire version, a published edition, a role, a name, the language, the day."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.urls import reverse

from assessments import views, views_results
from assessments.models import Submission
from portal import page_cache, stamps
from portal.models import Membership
from supervision import services as review_services
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment
from tests.supervision.workspace_support import submitted_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def page(client, url, language="zh-hans") -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def rendered(monkeypatch) -> list[str]:
    """The names of the member pages rendered (not served from the cache) from now on."""
    calls = []
    for module, name in (
        (views, "render_assessment_list"),
        (views, "render_assessment_detail"),
        (views, "render_section_page"),
        (views_results, "render_submission_detail"),
    ):
        original = getattr(module, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return calls


@pytest.fixture
def draft(organisation, org_owner):
    load_small_questionnaire()
    return start_assessment(organisation, org_owner, S01="domestic", S02=500)


def member_urls(assessment):
    return [
        reverse("assessments:list"),
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:section", args=[assessment.pk, "CSL"]),
    ]


def test_a_page_read_again_is_not_rendered_again(client, org_owner, draft, monkeypatch):
    client.force_login(org_owner)
    calls = rendered(monkeypatch)
    first = [page(client, url) for url in member_urls(draft)]
    assert len(calls) == 3
    again = [page(client, url) for url in member_urls(draft)]
    assert len(calls) == 3
    assert [page_cache.cut_tokens(html) for html in again] == [
        page_cache.cut_tokens(html) for html in first
    ]


def test_without_the_setting_every_page_is_rendered(client, org_owner, draft, monkeypatch):
    from django.conf import settings

    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(org_owner)
    calls = rendered(monkeypatch)
    for _ in range(2):
        for url in member_urls(draft):
            page(client, url)
    assert len(calls) == 6


def test_a_saved_answer_shows_on_every_member_page(client, org_owner, draft):
    client.force_login(org_owner)
    overview, section = member_urls(draft)[1:]
    chosen = re.compile(r'name="CSL-01-answer" value="2"[^>]*checked')
    before = page(client, overview)
    assert not chosen.search(page(client, section))
    answer(draft, "CSL-01", org_owner, level=2)
    assert chosen.search(page(client, section))
    assert page(client, overview) != before


def test_an_autosave_over_http_shows_on_the_next_page(client, org_owner, draft):
    client.force_login(org_owner)
    section = member_urls(draft)[2]
    assert "整改计划已上报" not in page(client, section)
    response = client.post(
        reverse("assessments:answer", args=[draft.pk, "CSL-01"]),
        {"CSL-01-revision": 0, "CSL-01-answer": 2, "CSL-01-comment": "整改计划已上报"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "整改计划已上报" in page(client, section)


def test_a_regulator_s_decision_shows_on_the_overview_and_the_result(
    client, organisation, org_owner, regulator
):
    assessment = submitted_assessment(organisation, org_owner, csl01=1)
    submission = Submission.objects.get(assessment=assessment)
    client.force_login(org_owner)
    overview = reverse("assessments:detail", args=[assessment.pk])
    result = reverse("assessments:submission", args=[submission.pk])
    note = "请补充数据出境安全评估材料。"
    assert note not in page(client, overview) and note not in page(client, result)
    review_services.review_decide(
        assessment=assessment, by=regulator, action="request_changes", note=note
    )
    assert note in page(client, overview)
    assert note in page(client, result)


def test_a_new_questionnaire_version_is_offered_on_the_overview(client, org_owner, draft):
    from assessments.loading import questionnaire_load
    from tests.assessments.test_loading_v2 import v2_spec

    client.force_login(org_owner)
    url = member_urls(draft)[1]
    assert 'id="upgrade-offer"' not in page(client, url)
    questionnaire_load(v2_spec())
    assert 'id="upgrade-offer"' in page(client, url)


def test_a_published_edition_is_a_new_key(client, org_owner, draft):
    from regulations import public_cache

    client.force_login(org_owner)
    url = member_urls(draft)[2]
    page(client, url)
    key = page_cache.page_key(client.get(url).wsgi_request, "x", [draft.organisation_id], ())
    public_cache.bump()
    request = client.get(url).wsgi_request
    assert page_cache.page_key(request, "x", [draft.organisation_id], ()) != key


def test_a_changed_role_and_a_changed_name_show_at_once(client, org_owner, org_editor, draft):
    answer(draft, "CSL-01", org_owner, level=2)
    client.force_login(org_editor)
    url = member_urls(draft)[2]
    assert "<fieldset disabled>" not in page(client, url)
    Membership.objects.filter(user=org_editor).update(role="viewer")
    page_cache.bump_organisations([draft.organisation_id])  # .update() sends no signal
    assert "<fieldset disabled>" in page(client, url)
    assert "赵六新名" not in page(client, url)
    org_owner.full_name = "赵六新名"
    org_owner.save(update_fields=["full_name"])
    assert "赵六新名" in page(client, url)  # "last saved by" on CSL-01


def test_a_membership_saved_through_the_orm_bumps_its_organisation(org_owner, organisation):
    scope = page_cache.organisation_scope(organisation.pk)
    before = stamps.get(scope)
    membership = Membership.objects.get(user=org_owner)
    membership.role = "viewer"
    membership.save()
    assert stamps.get(scope) != before


def test_the_language_and_the_day_are_part_of_the_key(client, org_owner, draft):
    client.force_login(org_owner)
    url = member_urls(draft)[1]
    english = page(client, url, "en")
    chinese = page(client, url, "zh-hans")
    assert english != chinese
    request = client.get(url).wsgi_request
    today = page_cache.page_key(request, "x", [1], ())
    with mock.patch(
        "django.utils.timezone.localdate", return_value=dt.date.today() + dt.timedelta(days=1)
    ):
        assert page_cache.page_key(request, "x", [1], ()) != today


def test_each_reader_gets_their_own_csrf_token(org_owner, org_editor, draft):
    url = member_urls(draft)[2]
    first = Client()
    first.force_login(org_owner)
    page(first, url)  # fills the cache
    second = Client(enforce_csrf_checks=True)
    second.force_login(org_owner)
    html = page(second, url)
    assert page_cache.SENTINEL not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = second.post(
        reverse("assessments:answer", args=[draft.pk, "CSL-01"]),
        {
            "csrfmiddlewaretoken": token,
            "CSL-01-revision": 0,
            "CSL-01-answer": 1,
            "CSL-01-comment": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200


def test_a_reader_with_a_flash_message_gets_the_page_rendered(
    client, org_owner, draft, monkeypatch
):
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    client.force_login(org_owner)
    url = member_urls(draft)[1]
    page(client, url)
    calls = rendered(monkeypatch)
    page(client, url)
    assert calls == []
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(messages.SUCCESS, "邀请已发送。")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "邀请已发送。" in page(client, url)
    assert calls == ["render_assessment_detail"]


def test_a_viewer_never_gets_the_owner_s_page(client, org_owner, org_viewer, draft):
    url = member_urls(draft)[2]
    client.force_login(org_owner)
    assert "<fieldset disabled>" not in page(client, url)
    client.force_login(org_viewer)
    assert "<fieldset disabled>" in page(client, url)


def test_another_organisation_still_gets_a_404(client, other_org_user, org_owner, draft):
    client.force_login(org_owner)
    for url in member_urls(draft)[1:]:
        page(client, url)
    client.force_login(other_org_user)
    for url in member_urls(draft)[1:]:
        assert client.get(url).status_code == 404


def test_a_rolled_back_transaction_does_not_stop_the_next_one_bumping(organisation):
    scope = page_cache.organisation_scope(organisation.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        page_cache.bump_organisations([organisation.pk])
        raise RuntimeError
    before = stamps.get(scope)
    with transaction.atomic():
        page_cache.bump_organisations([organisation.pk])
        assert stamps.get(scope) != before


def test_every_project_model_is_covered_or_listed_as_unshown():
    covered = set(page_cache.ORGANISATION_PATHS)
    for model in page_cache.project_models():
        label = model._meta.label
        assert (
            model in covered
            or label in page_cache.GLOBAL_MODELS
            or label in page_cache.UNSHOWN_MODELS
            or model._meta.app_label == page_cache.LIBRARY_APP
        ), f"{label}: say whether the cached pages show it (portal/page_cache.py)"


def test_the_rows_of_an_assessment_find_their_organisation(organisation, org_owner, draft):
    saved = answer(draft, "CSL-01", org_owner, level=2)
    fresh = type(saved).objects.get(pk=saved.pk)  # nothing loaded with it
    assert page_cache.organisation_id_of(fresh) == organisation.pk
    assert page_cache.organisation_id_of(draft) == organisation.pk
    assert page_cache.organisation_id_of(organisation) == organisation.pk


def test_a_page_from_the_cache_costs_one_query_whatever_its_size(
    client, org_owner, organisation, django_assert_num_queries
):
    """Served from the cache, each member page reads only the membership that lets the reader
    in (the session and the user come from the cache too, with a shared one); a bigger
    assessment costs the same."""
    from django.conf import settings as live

    from tests.supervision.workspace_support import complete

    load_small_questionnaire(extra_csl_questions=6)
    small = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    big = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    complete(big, org_owner)
    client.force_login(org_owner)
    session_queries = 0 if live.USER_CACHE_SECONDS else 2  # the session and the user
    for assessment in (small, big):
        for url in member_urls(assessment):
            page(client, url)  # rendered and stored
            with django_assert_num_queries(1 + session_queries):
                page(client, url)


def test_a_deployment_that_changes_a_template_or_a_translation_starts_new_keys(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("x = 1\n")
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>一</p>")
    first = page_cache._code_digest()
    template.write_text("<p>二二</p>")
    second = page_cache._code_digest()
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "django.mo").write_bytes(b"\x00")
    third = page_cache._code_digest()
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "site.py").write_text("ignored\n")
    assert len({first, second, third}) == 3
    assert page_cache._code_digest() == third


def test_a_changed_setting_starts_new_keys(settings):
    before = page_cache._settings_digest()
    settings.REVIEW_SERVICE_LEVEL_WORKING_DAYS = 10
    assert page_cache._settings_digest() != before


# --------------------------------------------------------------------------- the review queue


def queue(client) -> str:
    return page(client, reverse("supervision:queue"), "en")


def test_the_queue_shows_a_new_submission_and_a_decision_at_once(
    client, organisation, org_owner, regulator, monkeypatch
):
    from supervision import views as supervision_views

    client.force_login(regulator)
    empty = queue(client)
    assessment = submitted_assessment(organisation, org_owner, csl01=1)
    listed = queue(client)
    assert listed != empty and organisation.name in listed
    calls = []
    original = supervision_views.render_queue_page
    monkeypatch.setattr(
        supervision_views,
        "render_queue_page",
        lambda *args: calls.append(1) or original(*args),
    )
    again = queue(client)
    assert calls == []  # read again: from the cache
    assert page_cache.cut_tokens(again) == page_cache.cut_tokens(listed)
    review_services.review_decide(assessment=assessment, by=regulator, action="accept")
    assert page_cache.cut_tokens(queue(client)) != page_cache.cut_tokens(listed)
    assert calls == [1]


def test_a_draft_s_autosave_leaves_the_queue_in_the_cache(
    client, organisation, org_owner, regulator, draft
):
    submitted_assessment(organisation, org_owner, csl01=1)
    before = stamps.get(page_cache.SUPERVISION)
    answer(draft, "CSL-01", org_owner, level=2)
    assert stamps.get(page_cache.SUPERVISION) == before
    review_services.tier_override_set(
        submission=Submission.objects.exclude(assessment=draft).get(),
        by=regulator,
        tier="low",
        reason="整改已完成。",
    )
    assert stamps.get(page_cache.SUPERVISION) != before


def test_a_narrowed_jurisdiction_empties_the_queue_at_once(
    client, organisation, org_owner, regulator
):
    submitted_assessment(organisation, org_owner, csl01=1)
    client.force_login(regulator)
    assert organisation.name in queue(client)
    profile = regulator.regulator_profile
    profile.provinces = ["440000"]
    profile.save()
    assert organisation.name not in queue(client)
