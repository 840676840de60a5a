"""A small world of organisations, people and objects for the security tests, and the walk
over every URL pattern of the project.

The world is built once per module inside a transaction that is rolled back at the end
(`world_fixture`); each test still runs in its own savepoint (pytest-django's `db`), so what
one request writes never leaks into the next test.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHEAP_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Every persona of the matrix, in the order of the table's columns.
PERSONAS = (
    "anonymous",
    "owner",
    "editor",
    "viewer",
    "other_org",
    "regulator",
    "out_of_province",
    "out_of_sector",
    "content_admin",
    "superuser",
    "platform_admin",
)


# --- the URL patterns -------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern: its key in the table (the URL name, or the route when unnamed)."""

    key: str
    route: str
    name: str | None
    params: tuple[str, ...]
    lookup: str = ""  # the module of the view, to tell what a `pk` is


def endpoints(urlconf=None) -> list[Endpoint]:
    """Every URL pattern of `urlconf` (the project's by default), walked recursively."""
    found: dict[str, Endpoint] = {}
    for endpoint in walk(get_resolver(urlconf).url_patterns, "", ""):
        found.setdefault(endpoint.key, endpoint)
    return list(found.values())


def walk(patterns, prefix: str, namespace: str):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route))
            yield Endpoint(
                key=name or route,
                route=route,
                name=name,
                params=tuple(a or b for a, b in params),
                lookup=getattr(entry.callback, "__module__", ""),
            )


def concrete_path(route: str, values: dict) -> str:
    """The route with its parameters replaced by `values` (route and regex syntax alike)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    path = re.sub(
        r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)\??", lambda m: str(values[m.group(1)]), path
    )
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


# --- the world --------------------------------------------------------------------------------


@dataclass
class Side:
    """One organisation's objects: a scored submission with an answer, evidence, a comment."""

    organisation: object
    assessment: object
    submission: object
    evidence: object
    comment: object
    invitation: object


@dataclass
class World:
    people: dict
    own: Side
    other: Side
    extra: dict = field(default_factory=dict)


def build_world(private_root) -> World:
    from tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        RegulatorProfileFactory,
        UserFactory,
    )

    beijing = OrganisationFactory(province="110000", sector="internet")
    shanghai = OrganisationFactory(province="310000", sector="ecommerce")
    owner = MembershipFactory(organisation=beijing, role="owner").user
    other_owner = MembershipFactory(organisation=shanghai, role="owner").user
    people = {
        "anonymous": None,
        "owner": owner,
        "editor": MembershipFactory(organisation=beijing, role="editor").user,
        "viewer": MembershipFactory(organisation=beijing, role="viewer").user,
        "other_org": other_owner,
        "regulator": RegulatorProfileFactory(provinces=["110000"]).user,
        "out_of_province": RegulatorProfileFactory(provinces=["440000"]).user,
        "out_of_sector": RegulatorProfileFactory(provinces=["110000"], sectors=["finance"]).user,
        "content_admin": content_admin_user(UserFactory),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "platform_admin": platform_admin_user(UserFactory),
    }
    shanghai_regulator = RegulatorProfileFactory(provinces=["310000"]).user
    own = side(beijing, owner, people["regulator"])
    library_edition()
    return World(
        people=people,
        own=own,
        other=side(shanghai, other_owner, shanghai_regulator),
        extra={
            **onboarding_objects(people["regulator"], shanghai_regulator),
            "private_root": private_root,
            "export_own": export_job(people["regulator"]),
            "export_other": export_job(shanghai_regulator),
        },
    )


def export_job(regulator):
    """A large export written for `regulator` (oversight): only its requester may read it."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from oversight.models import ExportJob

    now = timezone.now()
    job = ExportJob(
        user=regulator, status="done", rows=0, created_at=now,
        expires_at=now + dt.timedelta(days=1),
    )  # fmt: skip
    job.file.save("matrix.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    return job


def platform_admin_user(user_factory):
    """A platform administrator as `createadmin` makes one: staff, in the platform group."""
    from portal.roles import PLATFORM_ADMIN_GROUP, role_groups

    role_groups()
    user = user_factory(is_staff=True)
    user.groups.add(Group.objects.get(name=PLATFORM_ADMIN_GROUP))
    return user


def onboarding_objects(regulator, shanghai_regulator) -> dict:
    """Registration requests waiting in Beijing ("own", the regulator's jurisdiction) and in
    Shanghai ("other"), one not yet verified, and the two regulators' profiles."""
    from onboarding.models import RegistrationRequest
    from tests.factories import make_uscc

    def request(n, province, status):
        return RegistrationRequest.objects.create(
            name=f"申请单位{n}",
            uscc=make_uscc(800_000 + n),
            province=province,
            sector="internet",
            size="small",
            applicant_name="申请人",
            applicant_email=f"applicant{n}@example.com",
            token=f"registration-{n}-" + "y" * 30,
            status=status,
            verified_at=timezone.now() if status == "pending" else None,
        )

    return {
        "registration_own": request(1, "110000", "pending"),
        "registration_other": request(2, "310000", "pending"),
        "unverified": request(3, "110000", "unverified"),
        "profile_own": regulator.regulator_profile,
        "profile_other": shanghai_regulator.regulator_profile,
    }


def library_edition():
    """The test law (TST, made with the questionnaire) gets a published text to read."""
    from regulations.models import Regulation
    from tests.regulations.factories import edition_with_articles

    return edition_with_articles(regulation=Regulation.objects.get(code="TST"), articles=3)


def content_admin_user(user_factory):
    """A content admin exactly as `seed_demo` makes one: staff, in the content-admin group."""
    from portal.management.commands.seed_demo import (
        CONTENT_ADMIN_GROUP,
        content_admin_permissions,
    )

    user = user_factory(is_staff=True)
    group, _ = Group.objects.get_or_create(name=CONTENT_ADMIN_GROUP)
    group.permissions.set(content_admin_permissions())
    user.groups.add(group)
    return user


def side(organisation, owner, regulator) -> Side:
    from assessments import results
    from assessments import services as assessment_services
    from assessments.models import Invitation
    from supervision import services as review_services
    from tests.assessments.factories import submit
    from tests.supervision.workspace_support import complete, draft_assessment

    assessment = draft_assessment(organisation, owner)
    complete(assessment, owner)
    evidence = assessment_services.evidence_attach(
        answer=assessment.answers.get(question__code="CSL-01"),
        upload=SimpleUploadedFile("制度.pdf", PDF_BYTES),
        by=owner,
    )
    results.submission_score(submit(assessment, owner).pk)
    comment = review_services.review_comment_add(
        assessment=assessment, by=regulator, body="请补充制度文件", question_code="CSL-01"
    )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=f"new-{organisation.pk}@example.com",
        role="editor",
        token=f"token-{organisation.pk}-" + "x" * 40,
        invited_by=owner,
        expires_at=timezone.now() + timedelta(days=7),
    )
    assessment.refresh_from_db()
    return Side(
        organisation=organisation,
        assessment=assessment,
        submission=assessment.submissions.get(number=1),
        evidence=evidence,
        comment=comment,
        invitation=invitation,
    )


def world_fixture(tmp_path_factory, django_db_setup, django_db_blocker):
    """Build the world once, inside a transaction rolled back when the module is done."""
    private_root = tmp_path_factory.mktemp("private")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=CHEAP_HASHERS, PRIVATE_MEDIA_ROOT=private_root, MEDIA_ROOT=private_root
        ),
    ):
        with transaction.atomic():
            world = build_world(private_root)
            yield world
            transaction.set_rollback(True)


# --- parameter values -------------------------------------------------------------------------


def admin_object_id(route: str) -> str:
    """The pk of one object of the model an admin route is about ("admin/<app>/<model>/…")."""
    from django.apps import apps

    parts = route.split("/")
    model = apps.get_model(parts[1], parts[2])
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj is not None else "0"


def admin_history_id(route: str) -> str:
    from django.apps import apps

    parts = route.split("/")
    model = apps.get_model(parts[1], parts[2])
    history = getattr(model, "history", None)
    record = history.order_by("history_id").first() if history is not None else None
    return str(record.history_id) if record is not None else "0"


def values_for(endpoint: Endpoint, world: World, variant: str) -> dict:
    """Concrete values for every parameter of `endpoint`, taken from `variant`'s side."""
    chosen = world.own if variant == "own" else world.other
    is_submission = endpoint.lookup == "assessments.views_results"
    values = {
        "pk": chosen.submission.pk if is_submission else chosen.assessment.pk,
        "organisation_pk": chosen.organisation.pk,
        "module": "CSL",
        "code": "CSL-01",
        "comment_pk": chosen.comment.pk,
        "evidence_pk": chosen.evidence.pk,
        "token": chosen.invitation.token,
        "invitation_pk": chosen.invitation.pk,
        "number": 1,
        "uidb64": urlsafe_base64_encode(force_bytes(world.people["owner"].pk)),
        "url": "no-such-page/",
        "app_label": "regulations",
        "table": "by_sector",
    }
    if endpoint.key == "assessments:article":
        values["code"] = "TST"
    if endpoint.key.startswith("regulations:"):
        values["code"] = "TST"
    if endpoint.key == "onboarding:request":
        values["pk"] = world.extra[f"registration_{variant}"].pk
    if endpoint.key in ("oversight:export_job", "oversight:export_download"):
        values["pk"] = world.extra[f"export_{variant}"].pk
    if endpoint.key == "onboarding:regulator_change":
        values["pk"] = world.extra[f"profile_{variant}"].pk
    if endpoint.key == "onboarding:verify":
        values["token"] = world.extra["unverified"].token
    if endpoint.key == "password_reset_confirm":
        values["token"] = "bad-token"  # an expired or forged link: the invalid-link page
    if endpoint.route.startswith("admin/"):
        if {"object_id", "id"} & set(endpoint.params) and "content_type_id" not in endpoint.params:
            values["object_id"] = values["id"] = admin_object_id(endpoint.route)
        if "history_id" in endpoint.params:
            values["history_id"] = admin_history_id(endpoint.route)
        if "content_type_id" in endpoint.params:
            values["content_type_id"] = ContentType.objects.get_for_model(chosen.organisation).pk
            values["object_id"] = chosen.organisation.pk
    return values


def url_for(endpoint: Endpoint, world: World, variant: str) -> str:
    return concrete_path(endpoint.route, values_for(endpoint, world, variant))


def variants_of(endpoint: Endpoint) -> tuple[str, ...]:
    """Objects of the persona's own organisation and of another one, where the URL has any."""
    tenant = {"pk", "organisation_pk", "comment_pk", "evidence_pk", "content_type_id"}
    if endpoint.key == "assessments:invitation_accept":
        return ("own", "other")
    if endpoint.route.startswith("admin/") and "content_type_id" not in endpoint.params:
        return ("-",)
    return ("own", "other") if tenant & set(endpoint.params) else ("-",)


def outcome(response, login_url: str = "/accounts/login/") -> str:
    """What a request came to: a status code, or where a redirect led."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(login_url):
            return "L"
        if location.startswith("/admin/login/"):
            return "A"
        return "R"
    return str(response.status_code)


def request_as(client, user, method: str, url: str):
    client.logout()
    if user is not None:
        client.force_login(user)
    if method == "GET":
        return client.get(url)
    return client.post(url, {})
