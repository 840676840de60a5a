"""A member fills an assessment in the browser: scoping, answers, evidence, resume, submit;
a second member's conflicting save is shown, and nothing is lost."""

import pytest
from playwright.sync_api import expect

from assessments.models import Answer, Assessment, Evidence, Submission
from tests.assessments.factories import load_small_questionnaire
from tests.e2e.conftest import htmx_idle, sign_in
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def saved(page, code):
    expect(page.locator(f"#q-{code}")).to_have_attribute("data-state", "saved")


def stored(code):
    return Answer.objects.get(question__code=code)


def test_a_member_fills_and_submits_while_a_colleague_conflicts(
    browser, page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    load_small_questionnaire()
    owner = MembershipFactory(role="owner").user
    editor = MembershipFactory(
        role="editor", organisation=owner.memberships.get().organisation
    ).user

    sign_in(page, live_server, owner.email, PASSWORD)
    page.goto(f"{live_server.url}/assessments/")
    page.locator("form[action*='/assessments/start/'] button").click()
    page.wait_for_url("**/section/SCOPING/")

    # Scoping: the grade and the active modules appear with their reasons.
    page.select_option("select[name='S01-answer']", "domestic")
    saved(page, "S01")
    page.fill("input[name='S02-answer']", "500")
    page.keyboard.press("Tab")
    saved(page, "S02")
    expect(page.locator("#active-modules")).to_contain_text("网络安全法")
    expect(page.locator("#active-modules li[data-module=PIPL]")).to_contain_text("个人信息保护")

    # A section: answer, attach evidence.
    assessment = Assessment.objects.get()
    section_url = f"{live_server.url}/assessments/{assessment.pk}/section/CSL/"
    page.goto(section_url)
    page.check("input[name='CSL-01-answer'][value='3']")
    saved(page, "CSL-01")
    evidence_file = tmp_path / "日志留存策略.pdf"
    evidence_file.write_bytes(PDF_BYTES)
    page.set_input_files("#file-CSL-01", str(evidence_file))
    page.locator("#q-CSL-01 .evidence-form button").click()
    expect(page.locator("#q-CSL-01 .evidence")).to_contain_text("日志留存策略.pdf")
    assert Evidence.objects.get().original_name == "日志留存策略.pdf"

    # Leave and come back: the answer is still there.
    page.goto(f"{live_server.url}/")
    page.goto(section_url)
    expect(page.locator("input[name='CSL-01-answer'][value='3']")).to_be_checked()

    # A colleague opens the same page, then both change CSL-02: the later save is refused.
    colleague_context = browser.new_context(locale="zh-CN")
    colleague = colleague_context.new_page()
    sign_in(colleague, live_server, editor.email, PASSWORD)
    colleague.goto(section_url)
    page.check("input[name='CSL-02-answer'][value='yes']")
    saved(page, "CSL-02")
    colleague.check("input[name='CSL-02-answer'][value='no']")
    expect(colleague.locator("#q-CSL-02 .conflict")).to_be_visible()
    expect(colleague.locator("#q-CSL-02 .conflict")).to_contain_text(str(owner))
    expect(colleague.locator("input[name='CSL-02-answer'][value='yes']")).to_be_checked()
    assert stored("CSL-02").value is True
    colleague_context.close()

    # Finish the rest: a number, and an N/A that first lacks its reason.
    page.fill("input[name='CSL-03-answer']", "6")
    page.keyboard.press("Tab")
    saved(page, "CSL-03")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/section/PIPL/")
    page.check("input[name='PIPL-01-na']")
    # The reason is asked for first (issue 11): nothing is sent, a hint says what to do.
    expect(page.locator("#q-PIPL-01 .na-reason-hint")).to_be_visible()
    expect(page.locator("#q-PIPL-01")).not_to_have_attribute("data-state", "invalid")
    htmx_idle(page)
    page.fill("textarea[name='PIPL-01-na_reason']", "仅处理员工信息，已单独评估")
    page.keyboard.press("Tab")
    saved(page, "PIPL-01")

    # Submit from the overview.
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.click("#submit-assessment")
    page.fill("#id_role", "法定代表人")  # the attestation (the name is prefilled)
    page.check("#id_confirm")
    page.click("#confirm-submit")
    page.wait_for_url("**/submissions/**")
    submission = Submission.objects.get()
    assert submission.answers["CSL-01"]["evidence"] == [Evidence.objects.get().sha256]
    assert submission.answers["CSL-02"]["value"] is True
    assert submission.answers["PIPL-01"]["na_reason"] == "仅处理员工信息，已单独评估"
