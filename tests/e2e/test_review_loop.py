"""The review loop in the browser, both sides: submit with an attestation, find it in the queue,
comment and request changes, reply, change, resubmit, read the diff, accept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment, Submission
from portal.models import AuditEvent
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment
from tests.e2e.conftest import sign_in
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    RegulatorProfileFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LONG = 30_000  # ms: shared machines are slow; wait for what the page shows, generously


def prepared_assessment(owner, organisation):
    """A complete draft, answered through the services (the answering itself is covered by
    the questionnaire journey test), with one evidence file."""
    assessment = start_assessment(organisation, owner, S01="domestic", S02=500)
    first = answer(assessment, "CSL-01", owner, level=3)
    services.evidence_attach(
        answer=first, upload=SimpleUploadedFile("网络安全制度.pdf", PDF_BYTES), by=owner
    )
    answer(assessment, "CSL-02", owner, value=True)
    answer(assessment, "CSL-03", owner, value=2)
    answer(assessment, "PIPL-01", owner, na_reason="仅处理匿名化信息")
    return assessment


def test_the_whole_review_loop_in_the_browser(browser, page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    load_small_questionnaire()
    organisation = OrganisationFactory(
        province="110000", sector="internet", name="北京审查示范公司"
    )
    owner = MembershipFactory(organisation=organisation, role="owner").user
    OrganisationFactory(province="110000", sector="finance")  # in the province, another sector
    regulator = RegulatorProfileFactory(provinces=["110000"], sectors=["internet"]).user
    assessment = prepared_assessment(owner, organisation)
    page.set_default_timeout(LONG)
    expect.set_options(timeout=LONG)

    # 1. The owner submits deliberately: summary, then the attestation in their own name.
    sign_in(page, live_server, owner.email, PASSWORD)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.click("#submit-assessment")
    expect(page.locator("#summary-missing")).to_have_text("0")
    page.fill("input[name='role']", "法定代表人")
    page.check("#attestation-form input[type=checkbox]")
    page.click("#confirm-submit")
    page.wait_for_url("**/submissions/**")
    first = Submission.objects.get()
    assert first.attestation["role"] == "法定代表人"

    # 2. The regulator lands on the queue, finds it through a filter and opens it.
    officer = browser.new_context(locale="zh-CN")
    review = officer.new_page()
    review.set_default_timeout(LONG)
    sign_in(review, live_server, regulator.email, PASSWORD)
    review.wait_for_url("**/review/**")
    review.select_option("#queue-filters select[name='sector']", "internet")
    review.locator("#queue-filters button[type=submit]").click()
    row = review.locator("#queue tbody tr", has_text="北京审查示范公司")
    expect(row).to_have_count(1)
    row.get_by_role("link", name="北京审查示范公司").click()
    review.wait_for_url(f"**/review/{assessment.pk}/")

    # It downloads the evidence, comments on a question and requests changes.
    with review.expect_download() as download:
        review.locator("#q-CSL-01 a[href*='/assessments/evidence/']").first.click()
    assert download.value.suggested_filename == "网络安全制度.pdf"
    review.locator("#q-CSL-03 details summary").click()
    review.fill("#comment-CSL-03", "日志留存期限不足六个月，请整改后说明。")
    review.locator("#q-CSL-03 form.comment-form button[type=submit]").click()
    expect(review.locator("#q-CSL-03")).to_contain_text("日志留存期限不足六个月")
    expect(review.locator("#review-status")).to_have_attribute("data-status", "under_review")
    review.fill("#decision-note", "请按意见修改 CSL-03 后重新提交。")
    review.click("#decision-form button[value=request_changes]")
    expect(review.locator("#review-status")).to_have_attribute("data-status", "changes_requested")

    # 3. The owner sees the comment, replies, reopens, changes the answer and resubmits.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.locator("#review-status")).to_have_attribute("data-status", "changes_requested")
    comment = page.locator("#review-comments .review-comment", has_text="日志留存期限不足六个月")
    expect(comment).to_have_count(1)
    comment.locator("textarea[name=body]").fill("已调整为留存六个月以上，见更新后的制度。")
    comment.locator("button[type=submit]").click()
    expect(page.locator("#review-comments .comment-reply")).to_contain_text("已调整为留存六个月")
    page.click("#reopen-assessment")
    expect(page.locator("#review-status")).to_have_attribute("data-status", "reopened")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/section/CSL/")
    page.fill("input[name='CSL-03-answer']", "7")
    page.keyboard.press("Tab")
    expect(page.locator("#q-CSL-03")).to_have_attribute("data-state", "saved")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.click("#submit-assessment")
    page.fill("input[name='role']", "法定代表人")
    page.check("#attestation-form input[type=checkbox]")
    page.click("#confirm-submit")
    page.wait_for_url("**/submissions/**")
    assert Submission.objects.count() == 2
    assert Assessment.objects.get().status == "resubmitted"

    # 4. The regulator reads only what changed, with the reply, and accepts.
    review.goto(f"{live_server.url}/review/{assessment.pk}/")
    expect(review.locator("#diff-table")).to_contain_text("CSL-03")
    expect(review.locator("#diff-table")).not_to_contain_text("CSL-02")
    expect(review.locator("#q-CSL-03")).to_contain_text("已调整为留存六个月")
    review.click("#decision-form button[value=accept]")
    expect(review.locator("#review-status")).to_have_attribute("data-status", "accepted")

    # 5. Both sides see the decision.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.locator("#last-decision")).to_have_attribute("data-action", "accept")
    page.goto(f"{live_server.url}/assessments/")
    expect(page.locator("main")).to_contain_text("已通过")
    officer.close()

    # 6. The audit trail has every step, the regulator's views and download included.
    verbs = list(
        AuditEvent.objects.filter(data__assessment=assessment.pk)
        .order_by("at", "pk")
        .values_list("verb", flat=True)
    )
    for verb in (
        "assessment.submit",
        "review.view",
        "evidence.download",
        "review.comment",
        "review.request_changes",
        "review.reply",
        "assessment.reopen",
        "assessment.resubmit",
        "review.accept",
    ):
        assert verb in verbs, f"{verb} missing from {verbs}"
    assert verbs.index("review.request_changes") < verbs.index("assessment.resubmit")
    assert verbs.index("assessment.resubmit") < verbs.index("review.accept")
    by_regulator = AuditEvent.objects.filter(actor=regulator, verb="evidence.download")
    assert by_regulator.count() == 1
