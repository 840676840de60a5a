"""The due dates on an assessment's overview: the windows of the questions asked, the days
the organisation enters (owner and editor; a viewer gets 403, another organisation 404), the
reassessment from the schedule file, and the reminders for them, each once."""

import copy
import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.loading import questionnaire_load, spec_sha256
from assessments.scoring_inputs import forget_cached_questions
from duedates import selectors, services
from duedates.models import EventDate, ReassessmentSchedule, ReminderSent
from duedates.schedule import schedule_problems
from tests.assessments.factories import (
    answer,
    bi,
    ensure_test_regulation,
    level_question,
    small_spec,
    start_assessment,
    submit,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def algo_spec() -> dict:
    spec = small_spec()
    spec["modules"]["ALGO"] = [
        {"when": {"fact": "S01", "op": "eq", "value": "domestic"}, "reason": bi("境内", "China")}
    ]
    spec["sections"].append(
        {"module": "ALGO", "title": bi("算法推荐", "Algorithms"), "questions": [
            level_question("ALGO-01"), level_question("ALGO-02"), level_question("ALGO-03")
        ]}
    )  # fmt: skip
    return spec


def schedule_for(spec, **by_grade) -> dict:
    periods = {"G1": {"months": 24}, "G2": {"months": 12}, "G3": {"months": 12}}
    periods["G4"] = {"months": 6}
    target = {"code": spec["code"], "version": spec["version"], "sha256": spec_sha256(spec)}
    basis = bi("方法建议", "The method's suggestion")
    return {
        "schedule_for": target,
        "reassessment": {"basis": basis, "by_grade": periods | by_grade},
    }


@pytest.fixture
def spec():
    forget_cached_questions()
    ensure_test_regulation()
    spec = algo_spec()
    questionnaire_load(spec)
    return spec


@pytest.fixture
def draft(spec, organisation, org_owner):
    return start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)


def overview(client, user, assessment):
    client.force_login(user)
    return client.get(reverse("assessments:detail", args=[assessment.pk]))


def test_the_overview_offers_the_days_of_the_questions_asked(client, draft, org_owner):
    page = overview(client, org_owner, draft).content.decode()
    assert 'id="due-dates"' in page
    for event in ("algo_launch", "algo_change", "algo_end", "algo_filed"):
        assert f'id="event-{event}"' in page
    assert "export_expiry" not in page  # no data-export question asked


def test_an_entered_launch_day_gives_the_filing_due_date_with_its_article(client, draft, org_owner):
    url = reverse("duedates:event_date", args=[draft.pk])
    client.force_login(org_owner)
    response = client.post(url, {"event": "algo_launch", "on": "2026-02-10"})
    assert response.status_code == 302
    assert EventDate.objects.get(organisation=draft.organisation).on == D(2026, 2, 10)
    page = overview(client, org_owner, draft).content.decode()
    row = page.split('data-window="algo_filing"', 1)[1].split("</tr>", 1)[0]
    assert "2026-03-02" in row  # 10 working days across the Spring Festival
    assert "ALGO 第24条" in row
    assert 'data-state="overdue"' in row or timezone.localdate() <= D(2026, 3, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"event": "algo_launch", "on": "10/02/2026"}, "YYYY-MM-DD"),
        ({"event": "no_such_event", "on": "2026-02-10"}, "Unknown event"),
        ({"event": "done:algo_filing_review", "on": "2026-02-10"}, "Unknown event"),
        ({"event": "algo_launch", "on": "2999-01-01"}, "future"),
    ],
)
def test_a_bad_date_or_event_is_refused_with_a_message_and_nothing_stored(
    client, draft, org_owner, data, message
):
    client.force_login(org_owner)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("duedates:event_date", args=[draft.pk]), data, follow=True)
    assert response.status_code == 200
    shown = " ".join(str(m) for m in response.context["messages"])
    assert message in shown
    assert not EventDate.objects.exists()


def test_a_duty_recorded_as_done_is_no_longer_overdue_nor_reminded(client, draft, org_owner):
    submitted(draft, org_owner, timezone.now())
    EventDate.objects.create(
        organisation=draft.organisation, event="algo_launch", on=D(2026, 2, 10)
    )
    assert [i.due for i in selectors.open_window_items()] == [D(2026, 3, 2)]
    client.force_login(org_owner)
    url = reverse("duedates:event_date", args=[draft.pk])
    client.post(url, {"event": "done:algo_filing", "on": "2026-03-03"})
    assert selectors.open_window_items() == []
    page = overview(client, org_owner, draft).content.decode()
    row = page.split('data-window="algo_filing"', 1)[1].split("</tr>", 1)[0]
    assert 'data-state="done_late"' in row  # filed on 3 March, due 2 March
    client.post(url, {"event": "done:algo_filing", "on": "2026-03-02"})
    row = overview(client, org_owner, draft).content.decode().split('data-window="algo_filing"')[1]
    assert 'data-state="done"' in row.split("</tr>", 1)[0]


def test_an_expiry_date_may_lie_ahead(client, draft, org_owner):
    client.force_login(org_owner)
    url = reverse("duedates:event_date", args=[draft.pk])
    client.post(url, {"event": "export_expiry", "on": "2999-01-01"})
    assert EventDate.objects.get().on == D(2999, 1, 1)


def test_the_refusal_is_in_chinese_by_default(client, draft, org_owner):
    client.force_login(org_owner)
    url = reverse("duedates:event_date", args=[draft.pk])
    response = client.post(url, {"event": "algo_launch", "on": "2999-01-01"}, follow=True)
    assert "日期不能晚于今天。" in " ".join(str(m) for m in response.context["messages"])


def test_an_empty_date_forgets_the_day(client, draft, org_owner):
    EventDate.objects.create(organisation=draft.organisation, event="algo_end", on=D(2026, 3, 2))
    client.force_login(org_owner)
    client.post(reverse("duedates:event_date", args=[draft.pk]), {"event": "algo_end", "on": ""})
    assert not EventDate.objects.exists()


def test_a_viewer_cannot_enter_a_day_and_another_organisation_cannot_see_it(
    client, draft, org_viewer, other_org_user
):
    url = reverse("duedates:event_date", args=[draft.pk])
    data = {"event": "algo_launch", "on": "2026-02-10"}
    client.force_login(org_viewer)
    assert client.post(url, data).status_code == 403
    client.force_login(other_org_user)
    assert client.post(url, data).status_code == 404
    assert not EventDate.objects.exists()


def test_the_schedule_file_is_loaded_for_exactly_the_version_it_names(spec, tmp_path):
    import yaml

    path = tmp_path / "schedule-v1.yaml"
    path.write_text(yaml.safe_dump(schedule_for(spec), allow_unicode=True))
    call_command("load_questionnaire", str(path), verbosity=0)
    schedule = ReassessmentSchedule.objects.get()
    assert schedule.periods["G2"] == {"months": 12}
    other = copy.deepcopy(schedule_for(spec))
    other["schedule_for"]["sha256"] = "0" * 64
    path.write_text(yaml.safe_dump(other))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="other content"):
        call_command("load_questionnaire", str(path), verbosity=0)


def test_schedule_problems_are_listed():
    assert schedule_problems({"schedule_for": {"code": "X", "version": 0, "sha256": "x"}}) == [
        "schedule_for: version must be a positive whole number",
        "schedule_for: sha256 must be the version's content hash (64 hex)",
        "reassessment: needs basis and by_grade",
    ]
    bad = {"basis": bi("a", "b"), "by_grade": {"G1": {"weeks": 2}, "G2": {"days": 0}, "G5": {}}}
    problems = schedule_problems({"schedule_for": {"code": "X", "version": 1, "sha256": "a" * 64},
                                  "reassessment": bad})  # fmt: skip
    assert problems[0].startswith("reassessment G1: a period is")
    assert "reassessment G2: the period must be longer than zero" in problems
    assert "reassessment G3: no period" in problems and "reassessment G5: not a grade" in problems


def test_the_bundled_schedule_names_the_published_version_two():
    from assessments.management.commands.load_questionnaire import CONTENT, read_spec

    spec = read_spec(CONTENT / "schedule-v2.yaml")
    assert schedule_problems(spec) == []
    assert spec["schedule_for"]["sha256"] == spec_sha256(
        read_spec(CONTENT / "questionnaire-v2.yaml")
    )


def submitted(draft, owner, on: datetime.datetime):
    answer(draft, "CSL-01", owner, level=3)
    answer(draft, "CSL-02", owner, value=True)
    answer(draft, "CSL-03", owner, value=6)
    for code in ("PIPL-01", "PIPL-02", "ALGO-01", "ALGO-02", "ALGO-03"):
        answer(draft, code, owner, na_reason="不涉及")
    submission = submit(draft, owner)
    type(submission).objects.filter(pk=submission.pk).update(submitted_at=on)
    submission.refresh_from_db()
    return submission


def test_the_reassessment_is_due_by_the_grade_shown_and_reminded_once(
    spec, draft, org_owner, client, django_capture_on_commit_callbacks
):
    services.schedule_load(schedule_for(spec, G2={"months": 12}))
    at = timezone.make_aware(datetime.datetime(2025, 10, 1, 10, 0))
    submission = submitted(draft, org_owner, at)
    assert submission.grade == "G2"  # 2 million people
    # 1 October 2026 is in the National Day holiday: the next working day is 8 October.
    assert selectors.reassessment_for(submission).due == D(2026, 10, 8)
    page = overview(client, org_owner, draft).content.decode()
    assert 'id="reassessment-due" data-due="2026-10-08"' in page
    result = client.get(reverse("assessments:submission", args=[submission.pk])).content.decode()
    assert 'data-due="2026-10-08"' in result
    items = [i for i in selectors.open_items() if i.kind == "reassessment"]
    assert [i.due for i in items] == [D(2026, 10, 8)]
    with django_capture_on_commit_callbacks(execute=True):
        # Three working days before 8 October: 30, 29, 28 September (the National Day week
        # not counted); 24 September is before that, 25–27 are the Mid-Autumn holiday.
        assert services.reminders_send(D(2026, 9, 24), items) == 0
        assert services.reminders_send(D(2026, 9, 28), items) == 1
        assert services.reminders_send(D(2026, 9, 30), items) == 0
        assert services.reminders_send(D(2026, 10, 9), items) == 1
        assert services.reminders_send(D(2026, 10, 9), items) == 0
    assert ReminderSent.objects.filter(item__startswith="reassess:").count() == 2


def test_the_windows_of_the_latest_submission_are_reminded_once_each(
    spec, draft, org_owner, django_capture_on_commit_callbacks
):
    from django.core import mail

    submitted(draft, org_owner, timezone.now())
    EventDate.objects.create(
        organisation=draft.organisation, event="algo_launch", on=D(2026, 2, 10)
    )
    EventDate.objects.create(organisation=draft.organisation, event="algo_filed", on=D(2026, 2, 10))
    items = selectors.open_window_items()
    # The CAC's own 30 working days are shown, not reminded to the organisation.
    assert [(i.item.split(":")[2], i.due) for i in items] == [("algo_filing", D(2026, 3, 2))]
    with django_capture_on_commit_callbacks(execute=True):
        # Three working days before Monday 2 March: the worked Saturday 28, 27 and 26 February.
        assert services.reminders_send(D(2026, 2, 25)) == 0
        assert services.reminders_send(D(2026, 2, 26)) == 1
        assert services.reminders_send(D(2026, 2, 27)) == 0
        assert services.reminders_send(D(2026, 3, 3)) == 1
        assert services.reminders_send(D(2026, 3, 3)) == 0
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("2026-03-02" in s and "算法备案" in s for s in subjects), subjects
