"""Change impact of publishing an amended edition: exactly the questions citing changed
articles are flagged, exactly the affected results are marked, each party notified once even
if the job runs twice; drafts show a notice on the question, results a marker with the diff."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import law_changes
from assessments.loading import questionnaire_load
from assessments.models import Assessment, LawChange, LawChangeNotified
from notifications.models import Notification
from regulations import services as regulation_services
from tests.assessments.factories import ensure_test_regulation, small_spec, start_assessment
from tests.assessments.results_support import SMALL_SCOPING, make_submission
from tests.factories import MembershipFactory, OrganisationFactory
from tests.regulations.factories import edition_with_articles

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(organisation, org_owner, other_organisation, other_org_user, regulator, content_admin):
    regulation = ensure_test_regulation()
    first = edition_with_articles(regulation=regulation, effective_from=D(2020, 1, 1), articles=3)
    texts = {
        1: "网络运营者应当履行网络安全保护义务。",
        2: "网络运营者应当留存网络日志不少于六个月。",
        3: "关键信息基础设施的运营者应当在境内存储个人信息。",
    }
    for article in first.articles.all():
        article.text = texts[article.number]
        article.paragraphs = [{"text": texts[article.number], "items": []}]
        article.fingerprint = regulation_services.text_fingerprint(texts[article.number])
        article.save()
    spec = small_spec()
    for question in spec["sections"][1]["questions"]:
        number = {"CSL-01": 1, "CSL-02": 2, "CSL-03": 3}[question["code"]]
        question["citations"] = [{"regulation": "TST", "article": number, "phrase": ""}]
    version = questionnaire_load(spec).version
    # The Beijing organisation has a draft; the Shanghai one submitted and was accepted; a
    # third organisation submitted after the amendment was published.
    draft = start_assessment(organisation, org_owner, **SMALL_SCOPING)
    submitted = make_submission(
        other_organisation,
        version,
        SMALL_SCOPING,
        by=other_org_user,
        submitted_at=timezone.now() - datetime.timedelta(days=30),
    )
    Assessment.objects.filter(pk=submitted.assessment_id).update(status="accepted")
    later_org = OrganisationFactory(province="440000", sector="finance")
    later_owner = MembershipFactory(organisation=later_org, role="owner").user
    return {
        "regulation": regulation,
        "first": first,
        "version": version,
        "draft": draft,
        "submitted": submitted,
        "later_org": later_org,
        "later_owner": later_owner,
        "admin": content_admin,
        "owners": [org_owner, other_org_user],
        "regulator": regulator,
    }


def publish_amendment(world):
    """Article 2 reworded; articles 1 and 3 unchanged."""
    admin = world["admin"]
    draft = regulation_services.edition_create_draft(from_edition=world["first"], by=admin)
    regulation_services.article_revise(
        article=draft.articles.get(number=2),
        text="网络运营者应当留存网络日志不少于十二个月，并定期备份。",
        by=admin,
    )
    return regulation_services.edition_publish(
        edition=draft, effective_from=D(2026, 1, 1), by=admin
    )


def test_publishing_flags_exactly_the_questions_citing_changed_articles(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = publish_amendment(world)
    law_change = LawChange.objects.get(edition=edition)
    flagged = list(law_change.questions.values_list("question__code", "old_number", "kind"))
    assert flagged == [("CSL-02", 2, "amended")]
    # Exactly the submission made before the amendment (the later one is not marked).
    later = make_submission(world["later_org"], world["version"], SMALL_SCOPING)
    law_changes.law_change_compute(edition.pk)
    marked = list(law_change.submissions.values_list("submission_id", flat=True))
    assert marked == [world["submitted"].pk]
    assert later.pk not in marked


def test_each_party_is_notified_once_even_if_the_job_runs_twice(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = publish_amendment(world)
        law_changes.law_change_compute(edition.pk)
        law_changes.law_change_compute(edition.pk)
    notes = Notification.objects.filter(kind=Notification.Kind.LAW_CHANGED)
    recipients = sorted(notes.values_list("recipient_id", flat=True))
    # Both owners (a draft, a submitted result) and the Beijing regulator, once each.
    expected = sorted([u.pk for u in world["owners"]] + [world["regulator"].pk])
    assert recipients == expected
    assert LawChangeNotified.objects.count() == 3
    assert world["later_owner"].pk not in recipients
    assert len(mail.outbox) == 3
    assert any("TST" in m.subject and "2026-01-01" in m.subject for m in mail.outbox)
    assert any("CSL-02" in m.body for m in mail.outbox)


def test_a_lineage_correction_recomputes_without_notifying_again(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edition = publish_amendment(world)
    row = edition.lineages_in.get()
    from regulations.lineage import Link

    links = [Link(1, 1, "same"), Link(2, 2, "amended"), Link(3, 3, "amended")]
    with django_capture_on_commit_callbacks(execute=True):
        regulation_services.lineage_correct(row=row, links=links, by=world["admin"])
    codes = sorted(
        LawChange.objects.get(edition=edition).questions.values_list("question__code", flat=True)
    )
    assert codes == ["CSL-02", "CSL-03"]
    assert Notification.objects.filter(kind=Notification.Kind.LAW_CHANGED).count() == 3


def test_the_draft_shows_a_notice_and_the_result_a_marker(
    world, client, org_owner, other_org_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_amendment(world)
    client.cookies["django_language"] = "en"
    client.force_login(org_owner)
    section = client.get(
        reverse("assessments:section", args=[world["draft"].pk, "CSL"])
    ).content.decode()
    assert section.count('class="alert alert-warning small law-change-notice"') == 1
    assert 'data-question="CSL-02"' in section
    assert "TST Art. 2, cited by this question, was amended" in section
    client.force_login(other_org_user)
    page = client.get(
        reverse("assessments:submission", args=[world["submitted"].pk])
    ).content.decode()
    assert "Law changed since this submission" in page
    assert page.count('class="mb-2 law-marker"') == 1
    assert "<ins>十二个月，并定期备份</ins>" in page or "<ins>" in page
