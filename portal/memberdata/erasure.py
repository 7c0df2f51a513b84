"""Erasure of a member on request (GDPR article 17): the rule is docs/members-data.md.

What people wrote, who they are and what they sent goes; what the support statistics count
stays, attached to an account that no longer says whose it was: how many tickets and chats,
when, in which language, in which status, handled by which agent, how fast, and the
ratings' scores. None of that identifies the member once the text, names, addresses and
files are gone, and without it every report of past months would change each time someone
asked to be forgotten.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from mailer.models import Message as OutgoingMail

from livechat.models import Chat
from livechat.models import Message as ChatMessage
from tickets.models import InboundEmail, Message, Screenshot, Ticket

ERASED = "[erased]"


def erased_username(member) -> str:
    return f"erased-{member.pk}"


def members_chats(member):
    """The member's chats: opened while signed in, or as a visitor with their address."""
    chats = Q(user=member)
    if member.email:
        chats |= Q(email__iexact=member.email)
    return Chat.objects.filter(chats)


@transaction.atomic
def member_erase(*, member: User) -> dict:
    """Erase `member`'s personal data and de-identify their account; answer the counts.
    The screenshots' files are deleted once the transaction commits."""
    chats, tickets = members_chats(member), Ticket.objects.filter(member=member)
    _erase_emails(member, tickets)
    _erase_outgoing_mail(member)
    counts = {"tickets": _erase_tickets(tickets), "chats": chats.count()}
    # A system line's parameters name people too ("Vic ended the chat."): they go.
    ChatMessage.objects.filter(chat__in=chats).update(body="", name="", client_id="", params={})
    chats.update(name="", email="", member_id="", question="", rating_comment="", session_key="")
    _forget_account(member)
    return counts


def _erase_tickets(tickets) -> int:
    # Their files go after the commit (portal.memberdata.signals).
    Screenshot.objects.filter(message__ticket__in=tickets).delete()
    # Agents' replies and notes go too: they quote the member and name them.
    Message.objects.filter(ticket__in=tickets).update(body="")
    ids = list(tickets.values_list("pk", flat=True))
    tickets.update(summary=ERASED, rating_comment="")
    for ticket in Ticket.objects.filter(pk__in=ids):
        _rename_in_history(ticket)
    return len(ids)


def _erase_emails(member, tickets) -> None:
    """The e-mails read from the support mailbox: on the member's tickets, or from their
    address. What became of each, and when, stays (the reply-by-e-mail counts)."""
    emails = Q(ticket__in=tickets)
    if member.email:
        emails |= Q(sender__iexact=member.email)
    InboundEmail.objects.filter(emails).update(
        sender="", subject="", text="", attachments="", reason="", message_id=""
    )


def _erase_outgoing_mail(member) -> None:
    """Mail waiting in the outbox (or given up there) for the member: it quotes their
    tickets. The addresses are inside each stored message, so each is read; the outbox
    holds only what the sender has not sent yet."""
    if not member.email:
        return
    address = member.email.lower()
    theirs = [
        mail.pk
        for mail in OutgoingMail.objects.all()
        if address in (to.lower() for to in mail.to_addresses)
    ]
    OutgoingMail.objects.filter(pk__in=theirs).delete()


def _rename_in_history(thing) -> None:
    """The admin's history names objects as they were: "TI-000123 English - <summary>"."""
    kind = ContentType.objects.get_for_model(thing)
    LogEntry.objects.filter(content_type=kind, object_id=str(thing.pk)).update(
        object_repr=str(thing)
    )


def _forget_account(member: User) -> None:
    # Sign-in attempts are kept by username (and address): the old name must not stay.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=member.username).delete()
    member.username = erased_username(member)
    member.first_name = member.last_name = member.email = ""
    member.is_active = member.is_staff = member.is_superuser = False
    member.set_unusable_password()
    member.last_login = None
    member.save()
    member.groups.clear()
    member.user_permissions.clear()
    member.profile.member_id = ""
    member.profile.save(update_fields=["member_id"])
    # Deactivated, the account's sessions no longer authenticate and its sockets close.
    _rename_in_history(member)
