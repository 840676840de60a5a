"""Every cache behind the member and regulator pages answers the next request correctly
(with the whole-page cache of portal/page_cache.py in front and without it):
a new questionnaire version, a saved answer, another language, a regulator's new tier
override and evidence that is no longer on record all show at once."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import content_cache
from assessments.models import Evidence, Submission
from supervision import services as review_services
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment
from tests.supervision.workspace_support import submitted_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


@pytest.fixture(autouse=True, params=["whole pages", "fragments only"])
def page_cache_setting(request, settings):
    """Each test runs with the whole-page cache in front (as in production) and without it,
    so that the fragment caches behind it are checked on their own too."""
    settings.PAGE_CACHE_SECONDS = 3600 if request.param == "whole pages" else 0


def page(client, url, language="zh-hans") -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_question_headers_follow_the_language(client, org_owner, organisation):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    client.force_login(org_owner)
    url = reverse("assessments:section", args=[assessment.pk, "CSL"])
    assert "CSL-01 是否落实？" in page(client, url)
    english = page(client, url, "en")
    assert "Is CSL-01 in place?" in english and "CSL-01 是否落实？" not in english
    assert "CSL-01 是否落实？" in page(client, url)


def test_a_new_questionnaire_version_has_its_own_headers(client, org_owner, organisation):
    from assessments.loading import questionnaire_load
    from tests.assessments.factories import small_spec

    load_small_questionnaire()
    first = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    client.force_login(org_owner)
    page(client, reverse("assessments:section", args=[first.pk, "CSL"]))
    spec = small_spec()
    spec["version"] = 2
    spec["sections"][1]["questions"][0]["text"] = {
        "zh": "第二版的措辞？",
        "en": "Version 2 wording?",
    }
    questionnaire_load(spec)
    second = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    assert "第二版的措辞？" in page(client, reverse("assessments:section", args=[second.pk, "CSL"]))
    assert "第二版的措辞？" not in page(
        client, reverse("assessments:section", args=[first.pk, "CSL"])
    )


def test_a_saved_answer_shows_on_the_next_request(client, org_owner, organisation):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    client.force_login(org_owner)
    url = reverse("assessments:section", args=[assessment.pk, "CSL"])
    chosen = re.compile(r'name="CSL-01-answer" value="2"[^>]*checked')
    assert not chosen.search(page(client, url))
    answer(assessment, "CSL-01", org_owner, level=2)
    assert chosen.search(page(client, url))


def test_the_result_block_follows_the_language_and_a_new_tier_override(
    client, org_owner, organisation, regulator
):
    assessment = submitted_assessment(organisation, org_owner, csl01=1)
    submission = Submission.objects.get(assessment=assessment)
    client.force_login(org_owner)
    url = reverse("assessments:submission", args=[submission.pk])
    chinese = page(client, url)
    assert "总体风险等级" in chinese and 'id="tier-override"' not in chinese
    assert "Overall risk tier" in page(client, url, "en")
    review_services.tier_override_set(
        submission=submission, by=regulator, tier="low", reason="整改已完成，复核下调。"
    )
    after = page(client, url)
    assert 'id="tier-override"' in after and "整改已完成，复核下调。" in after


def test_the_review_rows_follow_the_language_and_the_evidence_on_record(
    client, org_owner, organisation, regulator
):
    assessment = submitted_assessment(organisation, org_owner, csl01=1)
    submission = Submission.objects.get(assessment=assessment)
    frozen = submission.answers["CSL-01"]
    frozen["evidence"] = ["ab" * 32]
    Submission.objects.filter(pk=submission.pk).update(answers=submission.answers)
    client.force_login(regulator)
    url = reverse("supervision:review", args=[assessment.pk])
    assert "file no longer available" in page(client, url, "en")
    assert "CSL-01 是否落实？" in page(client, url)
    row = Evidence.objects.create(
        answer=assessment.answers.get(question__code="CSL-01"),
        file="evidence/x",
        original_name="定级报告.pdf",
        sha256="ab" * 32,
        size=10,
        content_type="application/pdf",
        uploaded_by=org_owner,
    )
    shown = page(client, url, "en")
    assert reverse("assessments:evidence", args=[row.pk]) in shown
    assert "file no longer available" not in shown


def test_the_process_keeps_each_version_s_questions_apart(organisation, org_owner):
    version = load_small_questionnaire()
    codes = [q.code for q in content_cache.version_questions(version)]
    assert codes[0] == "S01" and "CSL-01" in codes
    version.source_sha256 = "0" * 64  # what a replaced draft with the same id would look like
    version.created_at = timezone.now()
    assert content_cache.version_key(version) != content_cache.version_key(
        type(version).objects.get(pk=version.pk)
    )


# --------------------------------------------------------------------------- question blocks
# The section page keeps each question's rendered block in the cache, keyed by everything the
# block shows (assessments/fragments.question_blocks): each test changes one of those things
# and expects the next request to show it.


def section_url(assessment, module="CSL"):
    return reverse("assessments:section", args=[assessment.pk, module])


def block(html: str, code: str) -> str:
    start = html.index(f'id="q-{code}"')
    return html[start : html.index("</article>", start)]


def test_a_comment_and_a_changed_name_show_on_the_next_request(client, org_owner, organisation):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    client.force_login(org_owner)
    answer(assessment, "CSL-01", org_owner, level=2)
    url = section_url(assessment)
    assert "等保测评报告见附件" not in page(client, url)
    answer(assessment, "CSL-01", org_owner, level=2, comment="等保测评报告见附件")
    assert "等保测评报告见附件" in block(page(client, url), "CSL-01")
    org_owner.full_name = "王五"
    org_owner.save(update_fields=["full_name"])
    assert "王五" in block(page(client, url), "CSL-01")


def test_evidence_attached_and_removed_shows_on_the_next_request(client, org_owner, organisation):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    saved = answer(assessment, "CSL-01", org_owner, level=3)
    client.force_login(org_owner)
    url = section_url(assessment)
    assert "等保备案证明.pdf" not in page(client, url)
    row = Evidence.objects.create(
        answer=saved,
        file="evidence/x",
        original_name="等保备案证明.pdf",
        sha256="cd" * 32,
        size=10,
        content_type="application/pdf",
        uploaded_by=org_owner,
    )
    assert "等保备案证明.pdf" in block(page(client, url), "CSL-01")
    row.delete()
    assert "等保备案证明.pdf" not in page(client, url)


def test_a_reader_never_gets_a_writer_s_block(client, org_owner, org_viewer, organisation):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    answer(assessment, "CSL-01", org_owner, level=2)
    url = section_url(assessment)
    client.force_login(org_owner)
    assert "<fieldset disabled>" not in block(page(client, url), "CSL-01")
    client.force_login(org_viewer)
    assert "<fieldset disabled>" in block(page(client, url), "CSL-01")


def test_a_submitted_assessment_shows_read_only_blocks(client, org_owner, organisation):
    from tests.assessments.factories import submit

    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    for code in ("CSL-01", "CSL-02", "CSL-03", "PIPL-01"):
        answer(assessment, code, org_owner, level=2)
    client.force_login(org_owner)
    url = section_url(assessment)
    assert "<fieldset disabled>" not in block(page(client, url), "CSL-01")
    submit(assessment, org_owner)
    assert "<fieldset disabled>" in block(page(client, url), "CSL-01")


def test_each_request_gets_a_working_csrf_token_in_the_cached_blocks(org_owner, organisation):
    from django.test import Client

    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    url = section_url(assessment)
    warm = Client()
    warm.force_login(org_owner)
    page(warm, url)  # fills the cache with another session's page
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_owner)
    html = page(client, url)
    assert "\x00" not in html
    token = re.search(
        r'id="q-CSL-01".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S
    ).group(1)
    revision = re.search(r'name="CSL-01-revision" value="(\d+)"', html).group(1)
    response = client.post(
        reverse("assessments:answer", args=[assessment.pk, "CSL-01"]),
        {"csrfmiddlewaretoken": token, "CSL-01-revision": revision, "CSL-01-answer": "2"},
    )
    assert response.status_code == 200
    assert assessment.answers.get(question__code="CSL-01").level == 2


def test_a_deployment_with_new_templates_renders_the_blocks_and_headers_anew(
    client, org_owner, organisation, monkeypatch
):
    """The cached headers and blocks were rendered by the code running then: after a
    deployment (a new code digest, portal.page_cache.code_digest) the new templates show, even
    though the answers, the version and the law are unchanged."""
    from django.template import engines

    from assessments import fragments
    from portal import page_cache

    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    answer(assessment, "CSL-01", org_owner, level=2)
    client.force_login(org_owner)
    url = section_url(assessment)
    assert "deployed-later" not in page(client, url)

    original = engines["django"].engine.get_template

    def new_templates(name):
        template = original(name)
        if name not in (fragments.BLOCK_TEMPLATE, fragments.HEADER_TEMPLATE):
            return template
        source = template.source.replace("card-body", "card-body deployed-later", 1)
        if name == fragments.HEADER_TEMPLATE:
            source = '<span class="deployed-later-head"></span>' + template.source
        return engines["django"].from_string(source).template

    monkeypatch.setattr(engines["django"].engine, "get_template", new_templates)
    # The same process, still with the old digest: what is cached is served.
    assert "deployed-later" not in block(page(client, url), "CSL-01")
    monkeypatch.setattr(page_cache, "code_digest", lambda: "deployed:later")
    fragments.clear_local()
    html = page(client, url)
    assert "deployed-later-head" in block(html, "CSL-01")
    assert 'class="card-body deployed-later"' in block(html, "CSL-01")
