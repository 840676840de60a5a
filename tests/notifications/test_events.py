"""Who hears of each event, how (now or in the digest), in which language, with which link."""

import pytest
from django.core import mail
from django.utils import timezone

from notifications import events
from notifications.models import Notification
from supervision.models import TierOverride
from tests.assessments.results_support import SMALL_SCOPING, make_submission
from tests.factories import MembershipFactory, RegulatorProfileFactory
from tests.notifications.conftest import SITE, decision_on, prefer

pytestmark = pytest.mark.django_db


def recipients_of(kind):
    return {n.recipient for n in Notification.objects.filter(kind=kind)}


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


# --------------------------------------------------------------------------- new submissions


def test_a_submission_is_mailed_to_the_regulators_of_its_jurisdiction_only(
    submission,
    regulator,
    out_of_jurisdiction_regulator,
    org_owner,
    content_admin,
    django_capture_on_commit_callbacks,
):
    out_of_sector = RegulatorProfileFactory(provinces=["110000"], sectors=["finance"]).user
    in_sector = RegulatorProfileFactory(provinces=["110000", "310000"], sectors=["internet"]).user
    with django_capture_on_commit_callbacks(execute=True):
        events.submission_received(submission.pk)
    assert recipients_of("submission") == {regulator, in_sector}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([regulator.email, in_sector.email])
    for outsider in (out_of_jurisdiction_regulator, out_of_sector, org_owner, content_admin):
        assert mails_to(outsider) == []


def test_an_inactive_regulator_is_not_mailed(submission, regulator):
    regulator.is_active = False
    regulator.save()
    events.submission_received(submission.pk)
    assert not Notification.objects.exists()


def test_the_submission_mail_names_the_organisation_and_links_to_the_review_page(
    submission, regulator, organisation, django_capture_on_commit_callbacks
):
    prefer(regulator, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        events.submission_received(submission.pk)
    (message,) = mail.outbox
    link = f"{SITE}/review/{submission.assessment_id}/"
    assert message.subject == f"New submission from {organisation.name}"
    assert organisation.name in message.body
    assert "submission no. 1" in message.body and "G2 Enhanced" in message.body
    assert link in message.body
    assert Notification.objects.get().link == link


def test_a_second_submission_is_announced_as_a_resubmission(
    submission, regulator, organisation, version, org_owner, django_capture_on_commit_callbacks
):
    prefer(regulator, language="en")
    second = make_submission(
        organisation, version, SMALL_SCOPING, assessment=submission.assessment, by=org_owner
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.submission_received(second.pk)
    (message,) = mail.outbox
    assert message.subject == f"Resubmission from {organisation.name} (no. 2)"
    assert "resubmitted" in message.body and "submission no. 2" in message.body
    assert Notification.objects.get().kind == "resubmission"


# --------------------------------------------------------------------------- decisions


@pytest.mark.parametrize("action", ["request_changes", "accept"])
def test_a_decision_is_mailed_to_the_owners_only(
    action,
    submission,
    organisation,
    org_owner,
    org_editor,
    org_viewer,
    other_org_user,
    regulator,
    django_capture_on_commit_callbacks,
):
    second_owner = MembershipFactory(organisation=organisation, role="owner").user
    decision = decision_on(submission, action=action, by=regulator, note="请补充日志留存材料。")
    event = events.changes_requested if action == "request_changes" else events.accepted
    with django_capture_on_commit_callbacks(execute=True):
        event(decision.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org_owner.email, second_owner.email])
    for user in (org_editor, org_viewer, other_org_user, regulator):
        assert mails_to(user) == []


def test_changes_requested_carries_the_note_and_a_link_to_the_assessment(
    submission, org_owner, regulator, django_capture_on_commit_callbacks
):
    prefer(org_owner, language="en")
    decision = decision_on(
        submission, action="request_changes", by=regulator, note="请补充日志留存材料。"
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.changes_requested(decision.pk)
    (message,) = mail.outbox
    assert message.subject == "Changes requested on your submission no. 1"
    assert "请补充日志留存材料。" in message.body
    assert f"{SITE}/assessments/{submission.assessment_id}/" in message.body


def test_acceptance_links_to_the_assessment(
    submission, org_owner, regulator, django_capture_on_commit_callbacks
):
    prefer(org_owner, language="en")
    decision = decision_on(submission, action="accept", by=regulator)
    with django_capture_on_commit_callbacks(execute=True):
        events.accepted(decision.pk)
    (message,) = mail.outbox
    assert message.subject == "Your submission no. 1 has been accepted"
    assert f"{SITE}/assessments/{submission.assessment_id}/" in message.body


def test_a_tier_override_tells_the_owners_both_tiers_the_reason_and_links_to_the_result(
    submission, org_owner, org_editor, regulator, django_capture_on_commit_callbacks
):
    from assessments.results import submission_score

    prefer(org_owner, language="en")
    computed = submission_score(submission.pk).overall_tier
    override = TierOverride.objects.create(
        submission=submission,
        tier="critical",
        reason="现场检查发现问题。",
        by=regulator,
        at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.tier_overridden(override.pk)
    (message,) = mail.outbox
    assert message.to == [org_owner.email]
    assert message.subject == "A regulator set the risk tier of submission no. 1 to Critical"
    assert f"(computed tier: {computed.capitalize()})" in message.body
    assert "现场检查发现问题。" in message.body
    assert f"{SITE}/assessments/submissions/{submission.pk}/" in message.body


# --------------------------------------------------------------------------- language, digest


def test_each_recipient_reads_the_mail_in_their_own_language(
    submission, organisation, regulator, django_capture_on_commit_callbacks
):
    english = prefer(RegulatorProfileFactory(provinces=["110000"]).user, language="en")
    chinese = prefer(regulator, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        events.submission_received(submission.pk)
    (to_english,) = mails_to(english)
    (to_chinese,) = mails_to(chinese)
    assert "G2 Enhanced" in to_english.body and "G2 增强" in to_chinese.body
    assert to_english.subject == f"New submission from {organisation.name}"
    # The catalogue entry the lead adds: "New submission from %(organisation)s".
    assert to_chinese.subject == f"新的提交：{organisation.name}"


def test_someone_who_never_chose_gets_chinese_immediately(
    submission, regulator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.submission_received(submission.pk)
    notification = Notification.objects.get()
    assert (notification.language, notification.digest) == ("zh-hans", False)
    assert notification.sent_at is not None
    assert "G2 增强" in mail.outbox[0].body


def test_a_digest_reader_gets_nothing_now_and_the_row_waits_for_the_digest(
    submission, regulator, django_capture_on_commit_callbacks
):
    prefer(regulator, delivery="digest")
    immediate = prefer(RegulatorProfileFactory(provinces=["110000"]).user)
    with django_capture_on_commit_callbacks(execute=True):
        events.submission_received(submission.pk)
    assert mails_to(regulator) == [] and len(mails_to(immediate)) == 1
    waiting = Notification.objects.get(recipient=regulator)
    assert waiting.digest is True and waiting.sent_at is None


def test_nothing_is_sent_before_the_event_transaction_commits(
    submission, regulator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.submission_received(submission.pk)
    assert Notification.objects.filter(recipient=regulator).count() == 1
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_organisation_names_are_not_html_escaped_in_plain_text_mails(
    organisation, version, org_owner, regulator, django_capture_on_commit_callbacks
):
    organisation.name = "A&B <数据> 有限公司"
    organisation.save()
    submission = make_submission(organisation, version, SMALL_SCOPING, by=org_owner)
    with django_capture_on_commit_callbacks(execute=True):
        events.submission_received(submission.pk)
    assert "A&B <数据> 有限公司" in mail.outbox[0].body


def test_a_user_without_an_email_address_is_skipped(submission, regulator):
    type(regulator).objects.filter(pk=regulator.pk).update(email="")
    events.submission_received(submission.pk)
    assert not Notification.objects.exists()


# --------------------------------------------------------------------------- through the services


def test_the_review_loop_services_mail_each_side_once_committed(
    organisation, org_owner, regulator, django_capture_on_commit_callbacks
):
    from supervision import services as review
    from tests.assessments import factories

    factories.load_small_questionnaire()
    prefer(org_owner, language="en")
    prefer(regulator, language="en")
    assessment = factories.start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
    for code, data in {
        "CSL-01": {"level": 3},
        "CSL-02": {"value": True},
        "CSL-03": {"value": 6},
        "PIPL-01": {"level": 2},
        "PIPL-02": {"level": 3},
    }.items():
        factories.answer(assessment, code, org_owner, **data)
    with django_capture_on_commit_callbacks(execute=True):
        factories.submit(assessment, org_owner)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([regulator.email], f"New submission from {organisation.name}")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        review.review_claim(assessment=assessment, by=regulator)
        review.review_decide(
            assessment=assessment, by=regulator, action="request_changes", note="补充材料"
        )
    assert [(m.to, m.subject) for m in mail.outbox[1:]] == [
        ([org_owner.email], "Changes requested on your submission no. 1")
    ]
