"""Create the first platform administrator (or a content administrator) of a new server.

Interactive on a terminal; from the environment otherwise (HEGUI_ADMIN_EMAIL,
HEGUI_ADMIN_PASSWORD, HEGUI_ADMIN_NAME), e.g. in the compose stack:

    docker compose run --rm -e HEGUI_ADMIN_EMAIL=… -e HEGUI_ADMIN_PASSWORD=… web \
        python manage.py createadmin --no-input

The password must pass the project's validators (length, not common, not numeric, not like
the e-mail address). Running it again for an administrator who exists changes nothing.
"""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from portal.audit import audit_record
from portal.models import User
from portal.roles import CONTENT_ADMIN_GROUP, PLATFORM_ADMIN_GROUP, role_groups

ROLES = {"platform": PLATFORM_ADMIN_GROUP, "content": CONTENT_ADMIN_GROUP}


class Command(BaseCommand):
    help = "Create a platform (default) or content administrator; refuses a weak password."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=None, help="default: $HEGUI_ADMIN_EMAIL")
        parser.add_argument("--name", default=None, help="full name (default: $HEGUI_ADMIN_NAME)")
        parser.add_argument("--role", choices=sorted(ROLES), default="platform")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never prompt: take the password from $HEGUI_ADMIN_PASSWORD",
        )

    def handle(self, *args, email, name, role, interactive, **options):
        interactive = interactive and self.stdin_is_terminal()
        email = (email or os.environ.get("HEGUI_ADMIN_EMAIL", "")).strip().lower()
        name = (name if name is not None else os.environ.get("HEGUI_ADMIN_NAME", "")).strip()
        password = os.environ.get("HEGUI_ADMIN_PASSWORD", "")
        if interactive:
            email = email or self.ask_email()
            name = name or input("Full name (optional): ").strip()
        email = self.checked_email(email)
        existing = User.objects.filter(email=email).first()
        if existing is not None:
            return self.already(existing, role)
        if interactive and not password:
            password = self.ask_password(email, name)
        if not password:
            raise CommandError(
                "No password: set HEGUI_ADMIN_PASSWORD or run the command on a terminal."
            )
        self.check_password(password, email, name)
        with transaction.atomic():
            user = self.create(email, name, password, role)
        self.stdout.write(self.style.SUCCESS(f"Created the {role} administrator {user.email}."))

    def stdin_is_terminal(self) -> bool:
        import sys

        return sys.stdin.isatty()

    def checked_email(self, email: str) -> str:
        if not email:
            raise CommandError("No e-mail address: pass --email or set HEGUI_ADMIN_EMAIL.")
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an e-mail address.") from error
        return email

    def ask_email(self) -> str:
        while True:
            email = input("E-mail address: ").strip().lower()
            try:
                validate_email(email)
                return email
            except ValidationError:
                self.stderr.write("Error: enter a valid e-mail address.")

    def ask_password(self, email: str, name: str) -> str:
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("Error: the two passwords differ.")
                continue
            try:
                self.check_password(password, email, name)
                return password
            except CommandError as error:
                self.stderr.write(f"Error: {error}")

    def check_password(self, password: str, email: str, name: str) -> None:
        try:
            validate_password(password, user=User(email=email, full_name=name))
        except ValidationError as error:
            raise CommandError("The password is too weak: " + " ".join(error.messages)) from error

    def already(self, user, role: str) -> None:
        if user.is_staff and user.groups.filter(name=ROLES[role]).exists():
            self.stdout.write(f"{user.email} is already a {role} administrator; nothing changed.")
            return
        raise CommandError(
            f"{user.email} already has an account that is not a {role} administrator; "
            "give the role in the administration pages, or choose another address."
        )

    def create(self, email: str, name: str, password: str, role: str) -> User:
        groups = dict(zip(("content", "platform"), role_groups(), strict=True))
        user = User.objects.create_user(email, password, full_name=name, is_staff=True)
        user.groups.add(groups[role])
        audit_record(actor=None, verb="admin.create", obj=user, organisation=None, role=role)
        return user
