from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo import DEMO_PASSWORD, seed_people
from tickets.demo import seed_tickets


class Command(BaseCommand):
    help = "Create the demo accounts and tickets (idempotent; refuses to run with DEBUG off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates known passwords: it runs only with DEBUG on.")
        with transaction.atomic():
            people = seed_people()
            seed_tickets(people)
        names = ", ".join(people)
        self.stdout.write(f"Demo accounts ready ({names}), password {DEMO_PASSWORD!r}.")
