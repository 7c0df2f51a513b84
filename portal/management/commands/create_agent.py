import getpass
import sys

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.access import make_agent_of


class Command(BaseCommand):
    help = (
        "Create a support agent (staff, in the group 'Support agents'). The password is "
        "asked for at a terminal, or read from the first line of standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="", help="the name members see in chats")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, email, first_name, last_name, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
        )
        password = self._password()
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            make_agent_of(user)
        self.stdout.write(f"Agent {username!r} created.")

    def _password(self) -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return password
