"""Issue 9, defects 5 (the rest), 6 and 8: assignments, invitations that expire and can be
revoked, concurrent sign-ups on one invitation, the request size cap and ZIP bombs."""

import io
import struct
import subprocess
import sys
import threading
import time
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import evidence, services
from assessments.models import Evidence, Invitation, SectionAssignment
from portal.models import AuditEvent, Membership, User
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment
from tests.factories import UserFactory

PASSWORD = "Hegui!2026-secure"
SIGN_UP = {"full_name": "新人", "password1": PASSWORD, "password2": PASSWORD}


def invite(organisation, owner, email="new@example.com", role="editor") -> Invitation:
    return services.member_invite(organisation=organisation, email=email, role=role, by=owner)


def accept_url(invitation) -> str:
    return reverse("assessments:invitation_accept", args=[invitation.token])


def invite_page(organisation) -> str:
    return reverse("assessments:invite", args=[organisation.pk])


def revoke_url(invitation) -> str:
    return reverse(
        "assessments:invitation_revoke", args=[invitation.organisation_id, invitation.pk]
    )


def text(response) -> str:
    return response.content.decode()


# --- defect 5: a non-numeric assignee ------------------------------------------------------


@pytest.mark.django_db
class TestAssigningWithABadValue:
    @pytest.fixture
    def assessment(self, organisation, org_owner):
        load_small_questionnaire()
        return start_assessment(organisation, org_owner, S01="domestic", S02=10)

    @pytest.mark.parametrize(
        "value", ["abc", "1e5", "-3", "1.5", "99999999999999999999999", "1 OR 1=1"]
    )
    def test_a_non_numeric_or_impossible_assignee_is_a_clear_message(
        self, client, org_owner, assessment, value
    ):
        client.force_login(org_owner)
        url = reverse("assessments:assign", args=[assessment.pk, "CSL"])
        response = client.post(url, {"user": value}, follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert SectionAssignment.objects.count() == 0

    def test_a_valid_assignee_is_still_assigned(self, client, org_owner, org_editor, assessment):
        client.force_login(org_owner)
        url = reverse("assessments:assign", args=[assessment.pk, "CSL"])
        assert client.post(url, {"user": str(org_editor.pk)}).status_code == 302
        assert SectionAssignment.objects.get().user == org_editor


# --- defect 5: signing up twice on one invitation ------------------------------------------


@pytest.mark.django_db
class TestDoubleSignUp:
    def test_a_second_sign_up_with_the_same_invitation_is_refused_with_a_message(
        self, organisation, org_owner
    ):
        invitation = invite(organisation, org_owner)
        services.invitation_sign_up(invitation=invitation, full_name="A", password=PASSWORD)
        with pytest.raises(ValidationError) as refused:
            services.invitation_sign_up(
                invitation=Invitation.objects.get(pk=invitation.pk),
                full_name="B",
                password=PASSWORD,
            )
        assert "already" in refused.value.messages[0]
        assert User.objects.filter(email="new@example.com").count() == 1

    def test_accepting_twice_records_the_audit_event_once(
        self, organisation, org_owner, org_editor
    ):
        invitation = invite(organisation, org_owner, email=org_editor.email.upper() + ".cn")
        other = UserFactory(email=invitation.email)
        services.invitation_accept(invitation=invitation, user=other)
        services.invitation_accept(invitation=Invitation.objects.get(pk=invitation.pk), user=other)
        assert AuditEvent.objects.filter(verb="invitation.accept").count() == 1
        assert Membership.objects.filter(user=other, organisation=organisation).count() == 1

    def test_the_same_browser_posting_the_sign_up_twice_gets_a_clear_answer(
        self, client, organisation, org_owner
    ):
        invitation = invite(organisation, org_owner)
        assert client.post(accept_url(invitation), SIGN_UP).status_code == 302
        again = client.post(accept_url(invitation), SIGN_UP, follow=True)
        assert again.status_code == 200
        assert User.objects.filter(email="new@example.com").count() == 1
        assert AuditEvent.objects.filter(verb="invitation.accept").count() == 1
        assert [m.level_tag for m in again.context["messages"]] in (["info"], ["success", "info"])

    def test_another_browser_posting_the_used_invitation_is_told_it_was_used(
        self, client, organisation, org_owner
    ):
        invitation = invite(organisation, org_owner)
        assert Client().post(accept_url(invitation), SIGN_UP).status_code == 302
        response = client.post(accept_url(invitation), SIGN_UP)
        assert response.status_code in (302, 410)
        assert User.objects.filter(email="new@example.com").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_browsers_signing_up_at_once_on_one_invitation_create_one_account(
    organisation, org_owner
):
    """Both pass the "no account yet" check, then both create it: one wins, the other is told."""
    invitation = invite(organisation, org_owner)
    barrier = threading.Barrier(2)
    outcomes = []

    def sign_up():
        client = Client()
        barrier.wait()
        try:
            response = client.post(accept_url(invitation), SIGN_UP)
            outcomes.append((response.status_code, response.headers.get("Location", "")))
        except Exception as error:  # noqa: BLE001 - the failure is what the test reports
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2
    assert all(status != "error" and status < 500 for status, _ in outcomes), outcomes
    winners = [o for o in outcomes if o == (302, reverse("assessments:list"))]
    assert len(winners) >= 1, outcomes
    assert User.objects.filter(email="new@example.com").count() == 1
    assert Membership.objects.filter(organisation=organisation, role="editor").count() == 1
    assert AuditEvent.objects.filter(verb="invitation.accept").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_accepts_by_one_person_write_the_audit_event_once(organisation, org_owner):
    person = UserFactory(email="joiner@example.com")
    invitation = invite(organisation, org_owner, email=person.email)
    barrier = threading.Barrier(6)
    errors = []

    def accept():
        barrier.wait()
        try:
            services.invitation_accept(
                invitation=Invitation.objects.get(pk=invitation.pk), user=person
            )
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.filter(verb="invitation.accept").count() == 1
    assert Membership.objects.filter(user=person, organisation=organisation).count() == 1


# --- defect 6: invitations expire and can be revoked ----------------------------------------


@pytest.mark.django_db
class TestExpiry:
    def test_an_invitation_expires_after_the_configured_days(
        self, organisation, org_owner, settings
    ):
        settings.INVITATION_DAYS = 3
        before = timezone.now()
        invitation = invite(organisation, org_owner)
        assert before + timedelta(days=3) <= invitation.expires_at
        assert invitation.expires_at <= timezone.now() + timedelta(days=3)

    def test_the_default_is_seven_days_and_the_environment_can_change_it(self):
        code = "import django; django.setup(); from django.conf import settings as s; "
        code += "print(s.INVITATION_DAYS)"

        def days(value=None):
            env = {"DJANGO_SETTINGS_MODULE": "portal.settings", "PATH": "/usr/bin:/bin"}
            if value is not None:
                env["INVITATION_DAYS"] = value
            return subprocess.run(
                [sys.executable, "-c", code],
                env=env,
                cwd=django_settings.BASE_DIR,
                capture_output=True,
                text=True,
            )

        assert days().stdout.strip() == "7"
        assert days("30").stdout.strip() == "30"
        refused = days("0")
        assert refused.returncode != 0 and "INVITATION_DAYS" in refused.stderr

    def test_an_expired_link_shows_a_clear_page_and_creates_nothing(
        self, client, organisation, org_owner
    ):
        invitation = invite(organisation, org_owner)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        page = client.get(accept_url(invitation))
        assert page.status_code == 410
        assert "expired" in text(page) or "过期" in text(page)
        assert client.post(accept_url(invitation), SIGN_UP).status_code == 410
        assert not User.objects.filter(email="new@example.com").exists()

    def test_a_ten_year_old_link_never_works_for_a_signed_in_invitee(
        self, client, organisation, org_owner
    ):
        person = UserFactory(email="late@example.com")
        invitation = invite(organisation, org_owner, email=person.email)
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=timezone.now() - timedelta(days=3650),
            expires_at=timezone.now() - timedelta(days=3643),
        )
        client.force_login(person)
        assert client.post(accept_url(invitation)).status_code == 410
        assert not Membership.objects.filter(user=person).exists()

    def test_the_service_refuses_an_expired_invitation_too(self, organisation, org_owner):
        invitation = invite(organisation, org_owner)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
        with pytest.raises(ValidationError):
            services.invitation_sign_up(
                invitation=Invitation.objects.get(pk=invitation.pk),
                full_name="X",
                password=PASSWORD,
            )
        assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
class TestRevoking:
    def test_an_owner_revokes_a_pending_invitation(self, client, organisation, org_owner):
        invitation = invite(organisation, org_owner)
        client.force_login(org_owner)
        response = client.post(revoke_url(invitation))
        assert response.status_code == 302
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None and invitation.revoked_by == org_owner
        event = AuditEvent.objects.get(verb="invitation.revoke")
        assert (event.actor, event.organisation) == (org_owner, organisation)
        assert event.data["email"] == "new@example.com"
        client.logout()
        gone = client.get(accept_url(invitation))
        assert gone.status_code == 410
        assert "withdrawn" in text(gone) or "撤销" in text(gone) or "撤回" in text(gone)
        assert client.post(accept_url(invitation), SIGN_UP).status_code == 410
        assert not User.objects.filter(email="new@example.com").exists()

    def test_a_revoked_invitation_cannot_be_accepted_by_a_signed_in_invitee(
        self, client, organisation, org_owner
    ):
        person = UserFactory(email="joiner@example.com")
        invitation = invite(organisation, org_owner, email=person.email)
        services.invitation_revoke(invitation=invitation, by=org_owner)
        client.force_login(person)
        assert client.post(accept_url(invitation)).status_code == 410
        assert not Membership.objects.filter(user=person).exists()

    def test_an_editor_cannot_revoke(self, client, organisation, org_owner, org_editor):
        invitation = invite(organisation, org_owner)
        client.force_login(org_editor)
        assert client.post(revoke_url(invitation)).status_code == 403
        assert Invitation.objects.get().revoked_at is None

    def test_an_outsider_gets_a_404(self, client, organisation, org_owner, other_org_user):
        invitation = invite(organisation, org_owner)
        client.force_login(other_org_user)
        assert client.post(revoke_url(invitation)).status_code == 404
        assert Invitation.objects.get().revoked_at is None

    def test_an_invitation_of_another_organisation_is_a_404(
        self, client, organisation, org_owner, other_organisation, other_org_user
    ):
        theirs = invite(other_organisation, other_org_user)
        client.force_login(org_owner)
        url = reverse("assessments:invitation_revoke", args=[organisation.pk, theirs.pk])
        assert client.post(url).status_code == 404
        assert Invitation.objects.get().revoked_at is None

    def test_revoking_needs_a_post_with_a_csrf_token(self, organisation, org_owner):
        invitation = invite(organisation, org_owner)
        client = Client(enforce_csrf_checks=True)
        client.force_login(org_owner)
        assert client.get(revoke_url(invitation)).status_code == 405
        assert client.post(revoke_url(invitation)).status_code == 403
        assert Invitation.objects.get().revoked_at is None

    def test_an_accepted_invitation_cannot_be_revoked(self, client, organisation, org_owner):
        invitation = invite(organisation, org_owner)
        services.invitation_sign_up(invitation=invitation, full_name="A", password=PASSWORD)
        client.force_login(org_owner)
        response = client.post(revoke_url(invitation), follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert Invitation.objects.get().revoked_at is None


@pytest.mark.django_db
class TestInvitePage:
    def test_it_lists_pending_invitations_with_expiry_and_a_revoke_button(
        self, client, organisation, org_owner, django_assert_max_num_queries
    ):
        pending = invite(organisation, org_owner, email="pending@example.com")
        revoked = invite(organisation, org_owner, email="revoked@example.com")
        services.invitation_revoke(invitation=revoked, by=org_owner)
        expired = invite(organisation, org_owner, email="expired@example.com")
        Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
        client.force_login(org_owner)
        with django_assert_max_num_queries(12):
            page = text(client.get(invite_page(organisation)))
        assert "pending@example.com" in page
        assert "revoked@example.com" not in page and "expired@example.com" not in page
        assert timezone.localtime(pending.expires_at).strftime("%Y-%m-%d") in page
        assert f'action="{revoke_url(pending)}"' in page
        assert "csrfmiddlewaretoken" in page

    def test_the_query_count_does_not_grow_with_the_invitations(
        self, client, organisation, org_owner, django_assert_max_num_queries
    ):
        client.force_login(org_owner)
        invite(organisation, org_owner, email="one@example.com")
        with django_assert_max_num_queries(12) as few:
            client.get(invite_page(organisation))
        for n in range(10):
            invite(organisation, org_owner, email=f"p{n}@example.com")
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(invite_page(organisation))

    def test_inviting_the_same_address_again_replaces_the_pending_invitation(
        self, client, organisation, org_owner
    ):
        first = invite(organisation, org_owner, email="again@example.com", role="viewer")
        client.force_login(org_owner)
        client.post(invite_page(organisation), {"email": "Again@Example.com", "role": "editor"})
        pending = Invitation.objects.filter(email="again@example.com", revoked_at__isnull=True)
        assert pending.count() == 1
        assert pending.get().pk != first.pk and pending.get().role == "editor"
        client.logout()
        assert client.get(accept_url(first)).status_code == 410
        assert client.get(accept_url(pending.get())).status_code == 200


# --- defect 8: the request size cap and ZIP bombs --------------------------------------------


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def __init__(self):
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        raise AssertionError("the body of an oversized request was read")

    readline = read


@pytest.mark.django_db
class TestRequestSizeCap:
    @pytest.fixture
    def assessment(self, organisation, org_owner):
        load_small_questionnaire()
        return start_assessment(organisation, org_owner, S01="domestic", S02=10)

    def post_declaring(self, client, url, length, body):
        return client.generic(
            "POST",
            url,
            b"",
            content_type="multipart/form-data; boundary=BoUnDaRy",
            CONTENT_LENGTH=str(length),
            **{"wsgi.input": body},
        )

    def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(
        self, client, org_editor, assessment
    ):
        client.force_login(org_editor)
        url = reverse("assessments:evidence_upload", args=[assessment.pk, "CSL-01"])
        body = UnreadableBody()
        response = self.post_declaring(client, url, 25 * 1024 * 1024, body)
        assert response.status_code == 413
        assert body.reads == 0
        assert "20 MB" in text(response)
        assert Evidence.objects.count() == 0

    def test_any_url_refuses_an_oversized_body_even_signed_out(self, client):
        body = UnreadableBody()
        response = self.post_declaring(client, reverse("login"), 25 * 1024 * 1024, body)
        assert (response.status_code, body.reads) == (413, 0)

    def test_the_limit_leaves_room_for_a_20_mb_file_and_its_form(self):
        assert django_settings.REQUEST_MAX_BYTES >= evidence.MAX_EVIDENCE_BYTES + 64 * 1024
        assert django_settings.REQUEST_MAX_BYTES <= evidence.MAX_EVIDENCE_BYTES + 2 * 1024 * 1024

    def test_a_real_oversized_upload_is_refused(self, client, org_editor, assessment):
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        url = reverse("assessments:evidence_upload", args=[assessment.pk, "CSL-01"])
        big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (django_settings.REQUEST_MAX_BYTES))
        assert client.post(url, {"file": big}).status_code == 413
        assert Evidence.objects.count() == 0


def office_package(extra_entries=0, part="word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
        for n in range(extra_entries):
            package.writestr(f"p/{n}", "")
    return buffer.getvalue()


def declare_uncompressed_size(data: bytes, size: int) -> bytes:
    """Rewrite the central directory so every entry claims `size` bytes once expanded."""
    data = bytearray(data)
    start = data.find(b"PK\x01\x02")
    while start != -1:
        struct.pack_into("<L", data, start + 24, size)
        start = data.find(b"PK\x01\x02", start + 4)
    return bytes(data)


@pytest.fixture(scope="module")
def huge_docx() -> bytes:
    return office_package(extra_entries=150_000)


def plain_zip(count: int) -> bytes:
    """A DOCX of `count` empty entries written without ZIP64, as some tools do: the end record
    keeps only the low 16 bits of the count, so only the directory itself tells the truth."""
    names = [b"[Content_Types].xml", b"word/document.xml"]
    names += [b"p/%d" % n for n in range(count - 2)]
    local, directory = bytearray(), bytearray()
    for name in names:
        offset = len(local)
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0)
        local += name
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0, 0, 0, 0, 0,
            offset,
        )  # fmt: skip
        directory += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, count & 0xFFFF, count & 0xFFFF, len(directory),
        len(local), 0,
    )  # fmt: skip
    return bytes(local + directory + end)


class TestZipBombs:
    def upload(self, name, data):
        return SimpleUploadedFile(name, data)

    def test_a_docx_with_150000_entries_is_refused_in_well_under_a_second(self, huge_docx):
        upload = self.upload("many.docx", huge_docx)
        started = time.perf_counter()
        with pytest.raises(evidence.PackageRefused) as refused:
            evidence.inspect_upload(upload)
        elapsed = time.perf_counter() - started
        print(f"150,000-entry DOCX refused in {elapsed * 1000:.1f} ms")
        assert refused.value.code == "entries"
        assert elapsed < 0.5

    def test_150000_entries_under_reported_by_the_end_record_are_refused_quickly(self):
        data = plain_zip(150_000)
        assert zipfile.ZipFile(io.BytesIO(data)).namelist()[:2] == [
            "[Content_Types].xml",
            "word/document.xml",
        ]  # a valid package, whatever its size
        started = time.perf_counter()
        with pytest.raises(evidence.PackageRefused) as refused:
            evidence.inspect_upload(self.upload("many.docx", data))
        elapsed = time.perf_counter() - started
        print(f"150,000 entries without ZIP64 refused in {elapsed * 1000:.1f} ms")
        assert refused.value.code == "entries"
        assert elapsed < 0.5

    def test_a_package_just_over_the_entry_limit_is_refused(self):
        data = office_package(extra_entries=evidence.MAX_ZIP_ENTRIES)
        with pytest.raises(evidence.PackageRefused) as refused:
            evidence.inspect_upload(self.upload("a.docx", data))
        assert refused.value.code == "entries"

    def test_a_package_that_hides_its_entries_from_the_end_record_is_refused(self):
        data = bytearray(office_package(extra_entries=evidence.MAX_ZIP_ENTRIES))
        end = data.rfind(b"PK\x05\x06")
        struct.pack_into("<HH", data, end + 8, 2, 2)  # claims two entries
        with pytest.raises(evidence.PackageRefused):
            evidence.inspect_upload(self.upload("a.xlsx", bytes(data)))

    def test_a_package_that_expands_too_much_is_refused(self):
        data = declare_uncompressed_size(office_package(), 150 * 1024 * 1024)
        with pytest.raises(evidence.PackageRefused) as refused:
            evidence.inspect_upload(self.upload("bomb.docx", data))
        assert refused.value.code == "expands"

    def test_an_ordinary_docx_and_xlsx_are_still_accepted(self):
        docx = evidence.inspect_upload(self.upload("a.docx", office_package(extra_entries=300)))
        xlsx = evidence.inspect_upload(
            self.upload("b.xlsx", office_package(part="xl/workbook.xml"))
        )
        assert (docx.content_type, xlsx.content_type) == (evidence.DOCX, evidence.XLSX)

    @pytest.mark.django_db
    def test_the_upload_view_says_why_the_package_is_refused(
        self, client, organisation, org_owner, org_editor, huge_docx, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        load_small_questionnaire()
        assessment = start_assessment(organisation, org_owner, S01="domestic", S02=10)
        answer(assessment, "CSL-01", org_editor, level=3)
        client.force_login(org_editor)
        url = reverse("assessments:evidence_upload", args=[assessment.pk, "CSL-01"])
        started = time.perf_counter()
        response = client.post(url, {"file": self.upload("many.docx", huge_docx)})
        print(f"upload view answered in {(time.perf_counter() - started) * 1000:.0f} ms")
        assert response.status_code == 422
        assert "2000" in text(response) or "2,000" in text(response)
        assert Evidence.objects.count() == 0
        assert not any(tmp_path.iterdir())
