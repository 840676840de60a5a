"""Large XLSX exports: written by the worker into a stored file, downloaded by the requester
only, audited, and deleted when they expire."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from oversight import exports, services
from oversight.models import ExportJob
from portal.models import AuditEvent
from tests.factories import RegulatorProfileFactory
from tests.supervision.test_queue import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.OVERSIGHT_EXPORT_STREAM_ROWS = 1  # two rows make a large export


def sheet_names(body: bytes) -> list[str]:
    values = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    start = values.index(tuple(exports.HEADERS))
    return [row[0] for row in values[start + 1 :]]


def test_a_large_xlsx_is_queued_and_only_its_requester_downloads_it(
    client, regulator, version, small_limit
):
    submitted(version, name="甲公司")
    submitted(version, name="乙公司")
    submitted(version, name="广东的组织", province="440000")
    client.force_login(regulator)
    response = client.get(reverse("oversight:export_xlsx"))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:export_job", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and job.rows == 2  # the worker ran (eager)
    page = client.get(response["Location"]).content.decode()
    assert reverse("oversight:export_download", args=[job.pk]) in page
    download = client.get(reverse("oversight:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert sorted(sheet_names(b"".join(download.streaming_content))) == ["乙公司", "甲公司"]
    verbs = sorted(AuditEvent.objects.filter(actor=regulator).values_list("verb", flat=True))
    assert verbs == ["export.download", "export.xlsx"]
    # Another regulator of the same province cannot see or download it.
    colleague = RegulatorProfileFactory(provinces=["110000"]).user
    client.force_login(colleague)
    assert client.get(reverse("oversight:export_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("oversight:export_download", args=[job.pk])).status_code == 404


def test_a_small_xlsx_is_still_written_in_the_request(client, regulator, version):
    submitted(version, name="甲公司")
    client.force_login(regulator)
    response = client.get(reverse("oversight:export_xlsx"))
    assert response.status_code == 200
    assert sheet_names(b"".join(response.streaming_content)) == ["甲公司"]
    assert not ExportJob.objects.exists()


def test_an_expired_export_is_refused_then_purged_with_its_file(
    client, regulator, version, small_limit
):
    submitted(version)
    submitted(version)
    client.force_login(regulator)
    client.get(reverse("oversight:export_xlsx"))
    job = ExportJob.objects.get()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(reverse("oversight:export_download", args=[job.pk])).status_code == 410
    assert services.exports_purge() == 1
    assert not ExportJob.objects.exists()
    import os

    assert not os.path.exists(path)


def test_the_worker_checks_the_jurisdiction_again_when_it_writes(regulator, version):
    submitted(version, name="北京的组织")
    job = ExportJob.objects.create(
        user=regulator,
        query="province=440000",  # outside the jurisdiction: refused, nothing written
        created_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert services.export_build(job.pk) is None
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and not job.file
    # A repeated delivery of the task writes nothing either.
    assert services.export_build(job.pk) is None
