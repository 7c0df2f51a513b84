"""Files leave the disk with their rows, and a member's chats with the member.

A screenshot's two files are deleted once the transaction that deleted its row commits: a
rolled-back deletion keeps its files, and a committed one leaves nothing in MEDIA_ROOT,
whether the row went alone, with its ticket, or with its member (Ticket.member cascades).
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from livechat.models import Chat
from tickets.models import Screenshot


def delete_files_on_commit(*files) -> None:
    """Delete stored files after the current transaction commits (at once outside one)."""
    names = [(file.storage, file.name) for file in files if file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@receiver(post_delete, sender=Screenshot)
def delete_screenshot_files(sender, instance, **kwargs):
    delete_files_on_commit(instance.image, instance.thumbnail)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def delete_members_chats(sender, instance, **kwargs):
    # Chat.user is SET_NULL (a visitor's chat has no account), which would leave a deleted
    # member's transcripts behind, named and addressed but no longer anyone's to erase.
    Chat.objects.filter(user=instance).delete()
