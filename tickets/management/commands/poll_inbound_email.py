from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from imapclient.exceptions import IMAPClientError

from tickets.inbound.mailbox import poll, watch


class Command(BaseCommand):
    help = (
        "Read the support mailbox (INBOUND_EMAIL_URL) once: members' answers to the "
        "notifications become replies on their tickets. Run it from a timer; several at "
        "once process each message once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--watch",
            action="store_true",
            help="Keep reading: wait in IMAP IDLE for new mail instead of exiting.",
        )

    def handle(self, *args, **options):
        if not settings.INBOUND_EMAIL:
            self.stdout.write("INBOUND_EMAIL_URL is not set: there is no mailbox to read.")
            return
        try:
            if options["watch"]:
                watch()
            records = poll()
        except (OSError, IMAPClientError) as error:
            raise CommandError(f"the mailbox could not be read: {error}") from error
        outcomes = Counter(record.outcome for record in records)
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"{len(records)} message(s) read{': ' + summary if summary else ''}.")
