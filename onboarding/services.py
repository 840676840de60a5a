"""Writes: registration requests (submit, verify, decide), the spreadsheet import, regulators.

Every write is one transaction with its audit event; mails leave after the commit.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from onboarding import reading, sheet
from onboarding.models import RegistrationRequest
from onboarding.selectors import covered_by_any_regulator, platform_admins
from portal import access
from portal.audit import audit_record
from portal.models import Organisation, RegulatorProfile, User
from portal.regions import Province, Sector, Size
from portal.validators import validate_uscc

Status = RegistrationRequest.Status


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def mail_after_commit(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, recipients, fail_silently=False)
        )


# --------------------------------------------------------------------------- registration


def duplicate_problem(uscc: str, *, exclude_pk=None) -> ValidationError | None:
    if Organisation.objects.filter(uscc=uscc).exists():
        return ValidationError(
            _(
                "An organisation with the credit code %(code)s is already registered on Hegui. "
                "Ask one of its owners to invite you."
            )
            % {"code": uscc},
            code="registered",
        )
    waiting = RegistrationRequest.objects.filter(uscc=uscc, status=Status.PENDING)
    if waiting.exclude(pk=exclude_pk).exists():
        return ValidationError(
            _("A request for the credit code %(code)s is already waiting for a decision.")
            % {"code": uscc},
            code="pending",
        )
    return None


@transaction.atomic
def registration_submit(*, data: dict) -> RegistrationRequest:
    """A company's request; nothing is decided until its e-mail address is verified."""
    uscc = data["uscc"].strip().upper()
    problem = duplicate_problem(uscc)
    if problem is not None:
        raise problem
    request = RegistrationRequest.objects.create(
        **{**data, "uscc": uscc, "applicant_email": data["applicant_email"].strip().lower()},
        token=secrets.token_urlsafe(32),
    )
    audit_record(actor=None, verb="registration.submit", obj=request, organisation=None, uscc=uscc)
    link = absolute(reverse("onboarding:verify", args=[request.token]))
    mail_after_commit(
        _("Confirm your e-mail address for Hegui"),
        _(
            "You asked to register %(name)s on Hegui. Open %(link)s to confirm your e-mail "
            "address within %(days)s days; the request then goes to the regulator."
        )
        % {"name": request.name, "link": link, "days": settings.INVITATION_DAYS},
        [request.applicant_email],
    )
    return request


def verification_refusal(request: RegistrationRequest | None) -> ValidationError | None:
    if request is None:
        return ValidationError(_("This confirmation link is not valid."), code="unknown")
    expires = request.created_at + timedelta(days=settings.INVITATION_DAYS)
    if request.status == Status.UNVERIFIED and timezone.now() > expires:
        return ValidationError(
            _("This confirmation link has expired. Register again."), code="expired"
        )
    return None


@transaction.atomic
def registration_verify(*, token: str) -> RegistrationRequest:
    """The applicant's address is confirmed: the request waits for a decision, and the
    jurisdiction's regulators (or, outside every jurisdiction, the platform administrators)
    are told."""
    request = RegistrationRequest.objects.select_for_update().filter(token=token).first()
    refusal = verification_refusal(request)
    if refusal is not None:
        raise refusal
    if request.status != Status.UNVERIFIED:
        return request  # a second click changes nothing
    problem = duplicate_problem(request.uscc, exclude_pk=request.pk)
    if problem is not None:
        raise problem
    request.status, request.verified_at = Status.PENDING, timezone.now()
    try:
        with transaction.atomic():
            request.save(update_fields=["status", "verified_at"])
    except IntegrityError as error:  # another request for the code was verified meanwhile
        raise duplicate_problem(request.uscc, exclude_pk=request.pk) or ValidationError(
            _("A request for this credit code is already waiting for a decision."),
            code="pending",
        ) from error
    audit_record(actor=None, verb="registration.verify", obj=request, organisation=None)
    deciders = access.regulators_for_organisation(request) or list(platform_admins())
    mail_after_commit(
        _("New registration request: %(name)s") % {"name": request.name},
        _("%(name)s (%(code)s) asks to join Hegui. Decide at %(link)s")
        % {
            "name": request.name,
            "code": request.uscc,
            "link": absolute(reverse("onboarding:request", args=[request.pk])),
        },
        [user.email for user in deciders],
    )
    return request


def outside_every_jurisdiction(request: RegistrationRequest) -> bool:
    return not covered_by_any_regulator(request.province, request.sector)


@transaction.atomic
def registration_decide(
    *, request: RegistrationRequest, by, approve: bool, reason: str = ""
) -> RegistrationRequest:
    """Approve (the organisation is created and the applicant invited as its owner) or reject
    (a reason is required and sent to the applicant). A request decided already is refused."""
    from assessments.services import member_invite

    request = RegistrationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Status.PENDING:
        who = request.decided_by.get_short_name() if request.decided_by else "-"
        raise ValidationError(
            _("This request was already decided (%(status)s, by %(who)s).")
            % {"status": request.get_status_display(), "who": who},
            code="decided",
        )
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(_("Give the reason for the rejection."), code="reason")
    request.decided_by, request.decided_at, request.reason = by, timezone.now(), reason
    if approve:
        if Organisation.objects.filter(uscc=request.uscc).exists():
            raise duplicate_problem(request.uscc, exclude_pk=request.pk)
        organisation = Organisation.objects.create(
            name=request.name,
            uscc=request.uscc,
            province=request.province,
            sector=request.sector,
            size=request.size,
        )
        request.status, request.organisation = Status.APPROVED, organisation
        request.save()
        audit_record(
            actor=by,
            verb="registration.approve",
            obj=request,
            organisation=organisation,
            uscc=request.uscc,
        )
        member_invite(
            organisation=organisation,
            email=request.applicant_email,
            role="owner",
            by=by,
            site_url=settings.SITE_URL,
        )
        return request
    request.status = Status.REJECTED
    request.save()
    audit_record(
        actor=by, verb="registration.reject", obj=request, organisation=None, reason=reason
    )
    mail_after_commit(
        _("Your registration on Hegui was not accepted"),
        _("The request to register %(name)s (%(code)s) was rejected. The reason: %(reason)s")
        % {"name": request.name, "code": request.uscc, "reason": reason},
        [request.applicant_email],
    )
    return request


# --------------------------------------------------------------------------- the spreadsheet

SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def names_of(choices, extra=()) -> dict[str, str]:
    """Every way a choice may be written: its code, its English and Chinese labels."""
    names = {}
    for code, label in choices:
        written = {code, str(label)}
        with translation.override("zh-hans"):
            chinese = str(label)
        written.add(chinese)
        for suffix in SUFFIXES:
            if chinese.endswith(suffix):
                written.add(chinese[: -len(suffix)])
        written |= {chinese + suffix for suffix in extra}
        with translation.override("en"):
            written.add(str(label))
        names.update({sheet.normalise(name): code for name in written})
    return names


def uscc_problem(code: str) -> str | None:
    try:
        validate_uscc(code)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def email_ok(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def sheet_rules(user, codes: set[str]) -> sheet.Rules:
    profile = access.regulator_profile(user)

    def covers(province: str, sector: str) -> bool:
        probe = type("Probe", (), {"province": province, "sector": sector})()
        return profile is not None and access.profile_covers(profile, probe)

    sizes = names_of(Size.choices)
    sizes.update({"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"})
    return sheet.Rules(
        provinces=names_of(Province.choices, extra=("省", "市")),
        sectors=names_of(Sector.choices),
        sizes=sizes,
        registered=frozenset(
            Organisation.objects.filter(uscc__in=codes).values_list("uscc", flat=True)
        ),
        uscc_problem=uscc_problem,
        email_ok=email_ok,
        covers=covers,
    )


def table_codes(table: list[list]) -> set[str]:
    return {str(cell).strip().upper() for row in table[1:] for cell in row if cell is not None}


def organisations_import(*, by, filename: str, data: bytes, dry_run: bool) -> sheet.Checked:
    """Check every row (the dry run); for real, create all the organisations and invite each
    contact as its owner, or, when any row has a problem, write nothing."""
    try:
        table = reading.read_table(filename, data)
    except reading.Unreadable as error:
        return sheet.Checked(file_problems=[sheet.Problem(f"file:{error.code}")])
    checked = sheet.check_table(table, sheet_rules(by, table_codes(table)))
    if dry_run or not checked.ok:
        return checked
    try:
        with transaction.atomic():
            import_rows(checked.rows, by, filename)
    except IntegrityError:  # a code registered by someone else since the check
        again = sheet.check_table(table, sheet_rules(by, table_codes(table)))
        if again.ok:  # pragma: no cover - the conflict vanished: report it plainly
            again.file_problems.append(sheet.Problem("file:conflict"))
        return again
    return checked


def import_rows(rows: list[sheet.Row], by, filename: str) -> None:
    from assessments.services import member_invite

    for row in rows:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=row.name,
                uscc=row.uscc,
                province=row.province,
                sector=row.sector,
                size=row.size,
            )
        audit_record(
            actor=by,
            verb="organisation.import",
            obj=organisation,
            organisation=organisation,
            file=filename[:100],
            row=row.number,
        )
        member_invite(
            organisation=organisation,
            email=row.email,
            role="owner",
            by=by,
            site_url=settings.SITE_URL,
        )


# --------------------------------------------------------------------------- regulators


def jurisdiction_of(profile: RegulatorProfile) -> dict:
    return {
        "authority": profile.authority,
        "provinces": sorted(profile.provinces),
        "sectors": sorted(profile.sectors),
        "active": profile.user.is_active,
    }


@transaction.atomic
def regulator_create(
    *, by, email: str, full_name: str, authority: str, provinces: list, sectors: list
) -> RegulatorProfile:
    """A regulator's account for an office, with its jurisdiction; the person sets a password
    from the link mailed to them."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError(
            _("An account with the address %(email)s exists already.") % {"email": email},
            code="exists",
        )
    user = User.objects.create_user(email, None, full_name=full_name.strip())
    profile = RegulatorProfile(
        user=user, authority=authority.strip(), provinces=list(provinces), sectors=list(sectors)
    )
    profile.full_clean(exclude=["user"])
    profile.save()
    audit_record(
        actor=by,
        verb="regulator.create",
        obj=profile,
        organisation=None,
        **jurisdiction_of(profile),
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = absolute(
        reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    )
    mail_after_commit(
        _("Your regulator account on Hegui"),
        _(
            "An account was created for you on Hegui for %(authority)s. Choose your password "
            "at %(link)s, then sign in with %(email)s."
        )
        % {"authority": profile.authority, "link": link, "email": email},
        [email],
    )
    return profile


@transaction.atomic
def regulator_update(
    *, by, profile: RegulatorProfile, authority: str, provinces: list, sectors: list, active: bool
) -> RegulatorProfile:
    """Change an office's jurisdiction or switch the account off; the audit event keeps the
    jurisdiction before and after."""
    profile = RegulatorProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    before = jurisdiction_of(profile)
    profile.authority, profile.provinces, profile.sectors = (
        authority.strip(),
        list(provinces),
        list(sectors),
    )
    profile.full_clean(exclude=["user"])
    profile.save()
    if profile.user.is_active != active:
        profile.user.is_active = active
        profile.user.save(update_fields=["is_active"])
    after = jurisdiction_of(profile)
    if after != before:
        audit_record(
            actor=by,
            verb="regulator.update",
            obj=profile,
            organisation=None,
            before=before,
            after=after,
        )
    return profile
