from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.memberdata.retention import retention_purge


class Command(BaseCommand):
    help = (
        "Delete closed tickets' screenshots and ended chats' transcripts older than the "
        "retention period set in the admin (Members' data > Retention period), and mail "
        "the outbox gave up sending a week ago. Run daily by "
        "deploy/systemd/helpdesk-retention.timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        purge = retention_purge(now=timezone.now(), dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for line in purge.screenshots:
            self.stdout.write(f"screenshot {line}")
        for line in purge.transcripts:
            self.stdout.write(f"transcript {line}")
        for line in purge.mail:
            self.stdout.write(f"mail {line}")
        self.stdout.write(
            f"{len(purge.screenshots)} screenshot(s), {len(purge.transcripts)} "
            f"transcript(s) and {len(purge.mail)} given-up mail(s) {verb}."
        )
