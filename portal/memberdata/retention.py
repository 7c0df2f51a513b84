"""The retention period's purge: closed tickets' screenshots and ended chats' transcripts
older than the administrators' RetentionPolicy, and mail the outbox gave up sending. Run by
`manage.py purge_expired_data` (deploy/systemd/helpdesk-retention.timer, daily);
docs/members-data.md says what stays.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from mailer.models import Message as OutgoingMail

from livechat.models import Chat
from livechat.models import Message as ChatMessage
from portal.memberdata.models import RetentionPolicy
from tickets.models import Message, Screenshot, Status, Ticket

ENDED = [Chat.State.ENDED, Chat.State.ABANDONED]
# Mail still deferred this long after it was written was given up: the retries stop after
# six hours (MAILER_EMAIL_MAX_RETRIES), and the week is the administrators' time to see it
# in the outbox and send it again. It quotes tickets and names members.
GIVEN_UP_MAIL_KEPT = timedelta(days=7)


@dataclass
class Purge:
    """What a purge deleted, or with dry_run what it would: one line per item."""

    screenshots: list[str] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    mail: list[str] = field(default_factory=list)


def screenshots_due(cutoff: datetime):
    """Screenshots of tickets closed before `cutoff` (when the closing is not recorded in
    the thread, the ticket's last activity stands for it)."""
    closing = Q(messages__kind=Message.Kind.EVENT, messages__status=Status.CLOSED)
    closed = Ticket.objects.filter(status=Status.CLOSED).annotate(
        closed_at=Coalesce(Max("messages__created_at", filter=closing), "last_activity")
    )
    tickets = closed.filter(closed_at__lt=cutoff).values("pk")
    return Screenshot.objects.filter(message__ticket__in=tickets).select_related("message__ticket")


def transcripts_due(cutoff: datetime):
    """Chats that ended (or were abandoned) before `cutoff` and still have a transcript."""
    chats = Chat.objects.filter(state__in=ENDED, ended_at__lt=cutoff)
    chats = chats.annotate(lines=Count("messages"))
    return chats.filter(Q(lines__gt=0) | ~Q(question="")).order_by("ended_at")


@transaction.atomic
def retention_purge(*, now: datetime, dry_run: bool = False) -> Purge:
    """Delete (or, with dry_run, only list) what the retention period says is due."""
    policy, purge = RetentionPolicy.current(), Purge()
    if (cutoff := policy.cutoff(policy.screenshot_days, now)) is not None:
        shots = list(screenshots_due(cutoff))
        purge.screenshots = [
            f"{s.message.ticket.reference} {s.original_name} ({s.image.name})" for s in shots
        ]
        if not dry_run:
            Screenshot.objects.filter(pk__in=[s.pk for s in shots]).delete()
    if (cutoff := policy.cutoff(policy.transcript_days, now)) is not None:
        chats = list(transcripts_due(cutoff))
        purge.transcripts = [f"{c.pk} ended {c.ended_at:%Y-%m-%d} ({c.lines} lines)" for c in chats]
        if not dry_run:
            ChatMessage.objects.filter(chat__in=chats).delete()
            Chat.objects.filter(pk__in=[c.pk for c in chats]).update(question="")
    given_up = OutgoingMail.objects.deferred().filter(when_added__lt=now - GIVEN_UP_MAIL_KEPT)
    # No address or subject in the purge's output: it goes to the journal.
    purge.mail = [f"{m.pk} written {m.when_added:%Y-%m-%d}" for m in given_up.order_by("pk")]
    if not dry_run:
        given_up.delete()
    return purge
