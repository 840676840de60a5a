"""A content admin publishes an amendment and confirms the proposed lineage; an organisation
owner then sees the notice on the affected question of the draft and the marker on the
submitted result."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.loading import questionnaire_load
from assessments.models import Assessment
from regulations import services as regulation_services
from regulations.models import Lineage
from tests.assessments.factories import ensure_test_regulation, small_spec, start_assessment
from tests.assessments.results_support import SMALL_SCOPING, make_submission
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.regulations.factories import content_admin_with_permissions, edition_with_articles

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = {
    1: "网络运营者应当履行网络安全保护义务。",
    2: "网络运营者应当留存网络日志不少于六个月。",
    3: "关键信息基础设施的运营者应当在境内存储个人信息。",
}
NEW_TEXT = "网络运营者应当留存网络日志不少于十二个月，并定期备份。"


def test_an_amendment_reaches_the_owner(page, live_server):
    admin_user = content_admin_with_permissions(UserFactory(is_staff=True))
    regulation = ensure_test_regulation()
    edition = edition_with_articles(
        regulation=regulation, effective_from=datetime.date(2020, 1, 1), articles=3
    )
    for article in edition.articles.all():
        article.text = TEXTS[article.number]
        article.paragraphs = [{"text": TEXTS[article.number], "items": []}]
        article.fingerprint = regulation_services.text_fingerprint(TEXTS[article.number])
        article.save()
    spec = small_spec()
    for question in spec["sections"][1]["questions"]:
        number = {"CSL-01": 1, "CSL-02": 2, "CSL-03": 3}[question["code"]]
        question["citations"] = [{"regulation": "TST", "article": number, "phrase": ""}]
    version = questionnaire_load(spec).version
    owner = UserFactory()
    drafting = OrganisationFactory(province="110000", sector="internet")
    MembershipFactory(organisation=drafting, user=owner, role="owner")
    draft = start_assessment(drafting, owner, **SMALL_SCOPING)
    submitting = OrganisationFactory(province="110000", sector="internet")
    MembershipFactory(organisation=submitting, user=owner, role="owner")
    submission = make_submission(
        submitting,
        version,
        SMALL_SCOPING,
        by=owner,
        submitted_at=timezone.now() - datetime.timedelta(days=10),
    )
    Assessment.objects.filter(pk=submission.assessment_id).update(status="accepted")

    # The content admin amends article 2 and publishes the amendment.
    sign_in(page, live_server, admin_user.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/admin/regulations/edition/{edition.pk}/change/")
    page.click("#new-draft")
    page.wait_for_url("**/admin/regulations/edition/*/change/")
    draft_url = page.url
    # An edition's articles are edited one at a time, each on its own page.
    page.locator("#articles-group tr", has_text="第二条").locator("a.article-edit").click()
    page.wait_for_url("**/admin/regulations/article/*/change/")
    page.fill("textarea[name='text']", NEW_TEXT)
    page.click("input[name='_save']")
    page.wait_for_selector(".messagelist .success")
    page.goto(draft_url)
    page.click("#publish-edition")
    page.wait_for_url("**/publish/")
    page.fill("input[name='effective_from']", "2026-01-01")
    page.click("input[name='publish']")
    page.wait_for_selector(".messagelist .success")

    # It confirms the proposed lineage: article 2 amended, the others unchanged.
    row = Lineage.objects.get(from_edition=edition)
    assert row.status == Lineage.Status.PROPOSED
    page.goto(f"{live_server.url}/admin/regulations/lineage/{row.pk}/change/")
    kind_of_2 = page.locator("select[name$='-kind']").nth(1)
    assert kind_of_2.input_value() == "amended"
    page.click("input[name='_save']")
    page.wait_for_selector(".messagelist .success")
    row.refresh_from_db()
    assert row.status == Lineage.Status.CONFIRMED

    # The owner sees the notice on the affected question and the marker on the result.
    page.context.clear_cookies()
    sign_in(page, live_server, owner.email, PASSWORD)
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(live_server.url + reverse("assessments:section", args=[draft.pk, "CSL"]))
    notices = page.locator(".law-change-notice")
    notices.first.wait_for()
    assert notices.count() == 1
    assert notices.first.get_attribute("data-question") == "CSL-02"
    assert "第2条" in notices.first.inner_text() or "Art. 2" in notices.first.inner_text()
    page.goto(live_server.url + reverse("assessments:submission", args=[submission.pk]))
    marker = page.locator("#law-changed")
    marker.wait_for()
    assert "本次提交后法规已变化" in marker.inner_text()
    assert page.locator(".law-marker").count() == 1
    page.click("#law-changed summary")
    assert "<del>六</del><ins>十二</ins>个月" in page.inner_html("#law-changed .diff")
