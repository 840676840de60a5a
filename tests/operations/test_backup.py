"""Issue 15, acceptance 5: ops/backup.sh backs up PostgreSQL and the evidence files together,
and its restore into an empty database and an empty folder finds the submission and the
evidence file again (content, checksum, the audit trail's append-only trigger)."""

import json
import subprocess

from tests.operations.postgres import clean_env, run, scratch_database
from tests.support import REPO_ROOT

SCRIPT = str(REPO_ROOT / "ops" / "backup.sh")

SEED = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from assessments import services
from tests.assessments.factories import submit
from tests.factories import MembershipFactory, OrganisationFactory
from tests.supervision.workspace_support import complete, draft_assessment
organisation = OrganisationFactory(province="110000", name="备份测试有限公司")
owner = MembershipFactory(organisation=organisation, role="owner").user
assessment = draft_assessment(organisation, owner)
complete(assessment, owner)
evidence = services.evidence_attach(
    answer=assessment.answers.get(question__code="CSL-01"),
    upload=SimpleUploadedFile("制度.pdf", b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n"),
    by=owner,
)
submission = submit(assessment, owner)
print(json.dumps({"submission": submission.pk, "evidence": evidence.pk, "sha": evidence.sha256}))
"""

CHECK = """
import hashlib, json
from django.db import connection
from assessments.models import Evidence, Submission
from portal.models import AuditEvent
submission = Submission.objects.select_related("assessment__organisation").get()
evidence = Evidence.objects.get()
with evidence.file.open("rb") as f:
    sha = hashlib.sha256(f.read()).hexdigest()
try:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_auditevent SET verb = 'x'")
    trigger = False
except Exception:
    trigger = True
print(json.dumps({
    "submission": submission.pk, "organisation": submission.assessment.organisation.name,
    "answers": len(submission.answers), "result": hasattr(submission, "result"),
    "evidence": evidence.pk, "stored_sha": evidence.sha256, "file_sha": sha,
    "audit": AuditEvent.objects.count(), "trigger": trigger,
}))
"""


def last_json(result) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_backup_then_restore_into_an_empty_database_finds_the_data(tmp_path):
    source_files, target_files = tmp_path / "evidence-a", tmp_path / "evidence-b"
    with (
        scratch_database("hegui_backup_src") as source,
        scratch_database("hegui_backup_dst") as target,
    ):
        env_a = clean_env(DATABASE_URL=source, PRIVATE_MEDIA_ROOT=str(source_files))
        env_b = clean_env(DATABASE_URL=target, PRIVATE_MEDIA_ROOT=str(target_files))
        assert run(["python", "manage.py", "migrate", "--noinput"], env_a).returncode == 0
        seeded = last_json(run(["python", "manage.py", "shell", "-c", SEED], env_a))
        before = last_json(run(["python", "manage.py", "shell", "-c", CHECK], env_a))

        folder = tmp_path / "backups" / "one"
        made = run(["sh", SCRIPT, "backup", str(folder)], env_a)
        assert made.returncode == 0, made.stderr
        assert sorted(p.name for p in folder.iterdir()) == [
            "SHA256SUMS",
            "database.dump",
            "evidence.tar.gz",
        ]

        restored = run(["sh", SCRIPT, "restore", str(folder)], env_b)
        assert restored.returncode == 0, restored.stderr
        after = last_json(run(["python", "manage.py", "shell", "-c", CHECK], env_b))

        # A second restore over the data is refused without --force, and works with it.
        again = run(["sh", SCRIPT, "restore", str(folder)], env_b)
        assert again.returncode != 0 and "restore into an empty one" in again.stderr
        forced = run(["sh", SCRIPT, "restore", str(folder), "--force"], env_b)
        assert forced.returncode == 0, forced.stderr
        assert last_json(run(["python", "manage.py", "shell", "-c", CHECK], env_b)) == after
        # Nothing left to migrate: the restored schema is the current one.
        plan = run(["python", "manage.py", "migrate", "--check"], env_b)
        assert plan.returncode == 0, plan.stdout + plan.stderr

    assert after == before and after["answers"] > 0 and after["result"]
    assert after["submission"] == seeded["submission"] and after["evidence"] == seeded["evidence"]
    assert after["file_sha"] == after["stored_sha"] == seeded["sha"]
    assert after["organisation"] == "备份测试有限公司" and after["audit"] > 0
    assert after["trigger"]  # the audit trail is still append-only after a restore


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"not a dump")
    (folder / "evidence.tar.gz").write_bytes(b"")
    subprocess.run(
        "sha256sum database.dump evidence.tar.gz > SHA256SUMS", shell=True, cwd=folder, check=True
    )
    (folder / "database.dump").write_bytes(b"changed")
    env = clean_env(
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none", PRIVATE_MEDIA_ROOT=str(tmp_path / "e")
    )
    result = run(["sh", SCRIPT, "restore", str(folder)], env)
    assert result.returncode != 0 and "does not match SHA256SUMS" in result.stderr
    assert not (tmp_path / "e").exists()


def test_the_compose_backup_service_runs_this_script_on_the_evidence_volume():
    import yaml

    stack = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    backup = stack["services"]["backup"]
    assert backup["entrypoint"] == ["sh", "/ops/backup.sh"] and backup["profiles"] == ["tools"]
    assert "evidence:/evidence" in backup["volumes"] and "./ops:/ops:ro" in backup["volumes"]
    assert backup["environment"]["PRIVATE_MEDIA_ROOT"] == "/evidence"
    web = stack["services"]["web"]["environment"]
    assert backup["environment"]["DATABASE_URL"] == web["DATABASE_URL"]
    assert backup["image"] == stack["services"]["db"]["image"]  # pg_dump of the server's version
