from django.core.management.base import BaseCommand
from django.utils import timezone

from livechat.notify import publish
from livechat.services import chat_abandon_stale


class Command(BaseCommand):
    help = (
        "Mark waiting chats whose member left longer ago than LIVECHAT_ABANDON_AFTER as "
        "abandoned. Open consoles do this every few seconds; run this from a timer so that "
        "the transcripts are right when no agent is online."
    )

    def handle(self, *args, **options):
        updates = chat_abandon_stale(now=timezone.now())
        for update in updates:
            publish(update)
        self.stdout.write(f"{len(updates)} chat(s) abandoned.")
