"""seed_scale makes labelled rows that --remove deletes; page query counts do not grow."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Finding, ScoreResult, Submission
from oversight import scale
from portal.models import Organisation, User
from supervision.models import Decision
from tests.supervision.test_queue import submitted

pytestmark = pytest.mark.django_db


def seed(orgs, submissions, label="t"):
    call_command("seed_scale", orgs=orgs, submissions=submissions, label=label, stdout=None)


def test_it_seeds_labelled_rows_and_removes_exactly_them(version):
    template = submitted(version)  # the scored submission the profiles copy
    seed(5, 17)
    made = Organisation.objects.filter(uscc__startswith=scale.label_prefix("t"))
    assert made.count() == 5
    assert len({o.province for o in made}) >= 2
    subs = Submission.objects.filter(assessment__organisation__in=made)
    assert subs.count() == 17
    assert ScoreResult.objects.filter(submission__in=subs).count() == 17
    assert Decision.objects.filter(assessment__organisation__in=made).exists()
    assert set(subs.values_list("answers", flat=True)[0]) == set(template.answers)
    call_command("seed_scale", remove=True, label="t", stdout=None)
    assert not Organisation.objects.filter(uscc__startswith=scale.label_prefix("t")).exists()
    assert not User.objects.filter(email__startswith="seed-t-").exists()
    assert (
        Submission.objects.count() == 1
        and Finding.objects.filter(result__submission=template).count() == Finding.objects.count()
    )
    assert Assessment.objects.count() == 1  # the template's own, untouched


def test_bad_input_is_refused_with_a_message_and_nothing_written(version):
    with pytest.raises(CommandError, match="scored submission"):
        seed(2, 4)
    submitted(version)
    with pytest.raises(CommandError, match="letters and digits"):
        seed(2, 4, label="a-b")
    with pytest.raises(CommandError, match="at least one"):
        seed(3, 2)
    seed(1, 1, label="x")
    with pytest.raises(CommandError, match="exist already"):
        seed(1, 1, label="x")
    assert Organisation.objects.filter(uscc__startswith=scale.label_prefix("x")).count() == 1


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return len(captured)


def test_query_counts_are_the_same_at_two_sizes(client, version):
    submitted(version)
    seed(3, 6, label="a")
    regulator = User.objects.get(email=f"seed-a-regulator@{scale.EMAIL_DOMAIN}")
    client.force_login(regulator)
    urls = [
        reverse("supervision:queue"),
        reverse("supervision:queue") + "?province=440000",
        reverse("oversight:dashboard"),
        reverse("oversight:export_csv"),
    ]
    small = [queries(client, url) for url in urls]
    seed(30, 90, label="b")
    assert [queries(client, url) for url in urls] == small


def test_the_row_writer_keeps_text_and_documents_exactly(version):
    """COPY text on PostgreSQL (bulk_create elsewhere): tabs, newlines, backslashes and
    Chinese survive, a shared JSON document is written the same for every row."""
    from oversight.bulk import RowWriter

    template = submitted(version)
    writer = RowWriter()
    note = "第一行\tcol\\n not a newline\nsecond line\r\\\\ end"
    ids = writer.reserve_ids(Decision, 2)
    assert len(set(ids)) == 2 and not Decision.objects.filter(pk__in=ids).exists()
    rows = [
        (pk, template.assessment_id, template.pk, "accept", "under_review", "accepted",
         template.submitted_by_id, note, template.submitted_at)
        for pk in ids
    ]  # fmt: skip
    columns = ("id", "assessment_id", "submission_id", "action", "from_status", "to_status",
               "actor_id", "note", "at")  # fmt: skip
    assert writer.write(Decision, columns, rows) == 2
    assert list(Decision.objects.filter(pk__in=ids).values_list("note", flat=True)) == [note] * 2
    document = {"说明": "a\tb\\c\nd", "levels": [0, 1, 2, 3]}
    [sid] = writer.reserve_ids(Submission, 1)
    writer.write(
        Submission,
        ("id", "assessment_id", "number", "version_id", "grade", "scoping", "answers",
         "editions", "attestation", "submitted_by_id", "submitted_at", "scoring_enqueued_at"),
        [(sid, template.assessment_id, 99, template.version_id, template.grade, document,
          document, [], {}, template.submitted_by_id, template.submitted_at, None)],
    )  # fmt: skip
    stored = Submission.objects.get(pk=sid)
    assert stored.answers == document and stored.scoping == document
