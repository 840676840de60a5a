"""Idempotent demo data: two organisations with three members each, a regulator, a content admin."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import Membership, Organisation, RegulatorProfile, User
from portal.regions import Province, Sector, Size
from portal.roles import CONTENT_ADMIN_GROUP, content_admin_permissions  # noqa: F401 (re-exported)

DEMO_PASSWORD = "hegui-demo-2026"
ORGANISATIONS = [
    {
        "key": "bj",
        "name": "北京智言示范科技有限公司",
        "uscc": "91110108MA01HG010",
        "sector": Sector.INTERNET,
        "province": Province.BEIJING,
        "size": Size.MEDIUM,
    },
    {
        "key": "sh",
        "name": "上海数澜示范电子商务有限公司",
        "uscc": "91310115MA1KHG020",
        "sector": Sector.ECOMMERCE,
        "province": Province.SHANGHAI,
        "size": Size.LARGE,
    },
]
ROLE_NAMES = {"owner": "负责人", "editor": "填报人", "viewer": "查看人"}


def demo_uscc(first17: str) -> str:
    from portal.validators import uscc_check_character

    return first17 + uscc_check_character(first17)


class Command(BaseCommand):
    help = "Create or refresh the demo organisations and accounts, then print the logins."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (HEGUI_ENV=production)."
            )
        with transaction.atomic():
            logins = self.seed()
        self.submitted_assessment()  # before the logins, so they are the last thing printed
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for email, description in logins:
            self.stdout.write(f"  {email:<28} {description}")

    def submitted_assessment(self) -> None:
        """One submitted assessment of the Beijing organisation, so the regulator's queue and
        a result page have something to show (only once, and only with a questionnaire)."""
        from assessments.demo import demo_submission

        spec = ORGANISATIONS[0]
        organisation = Organisation.objects.get(uscc=demo_uscc(spec["uscc"]))
        owner = User.objects.get(email=f"owner@{spec['key']}.example.com")
        submission = demo_submission(organisation=organisation, owner=owner)
        if submission is not None:
            self.stdout.write(
                f"Demo submission: {organisation.name}, no. {submission.number}, "
                "waiting in the regulator's review queue"
            )

    def seed(self) -> list[tuple[str, str]]:
        logins = []
        for spec in ORGANISATIONS:
            organisation, _ = Organisation.objects.update_or_create(
                uscc=demo_uscc(spec["uscc"]),
                defaults={k: spec[k] for k in ("name", "sector", "province", "size")},
            )
            for role in Membership.Role.values:
                email = f"{role}@{spec['key']}.example.com"
                user = self.user(email, f"{organisation.name[:2]}{ROLE_NAMES[role]}")
                Membership.objects.update_or_create(
                    user=user, organisation=organisation, defaults={"role": role}
                )
                logins.append((email, f"{organisation.name} · {role}"))
        logins.append(self.regulator())
        logins.append(self.content_admin())
        return logins

    def user(self, email: str, full_name: str, **flags) -> User:
        user, _ = User.objects.update_or_create(
            email=email, defaults={"full_name": full_name, "is_active": True, **flags}
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        return user

    def regulator(self) -> tuple[str, str]:
        email = "regulator@bj.example.com"
        user = self.user(email, "北京市网信办审查员")
        RegulatorProfile.objects.update_or_create(
            user=user,
            defaults={
                "authority": "北京市互联网信息办公室（示范）",
                "provinces": [Province.BEIJING.value],
                "sectors": [],
            },
        )
        return email, "regulator · Beijing (110000)"

    def content_admin(self) -> tuple[str, str]:
        email = "admin@hegui.example.com"
        user = self.user(email, "内容管理员", is_staff=True)
        group, _ = Group.objects.get_or_create(name=CONTENT_ADMIN_GROUP)
        group.permissions.set(content_admin_permissions())
        user.groups.add(group)
        return email, "content admin (staff)"
