"""Writes that span a ticket, its messages and screenshots, and notify people.

The member's pages, the agents' admin and the live chat's hand-off all go through these.
E-mails leave only once the write is committed.
"""

from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tickets import notify
from tickets.images import PreparedScreenshot, prepare
from tickets.languages import LANGUAGES_BY_CODE
from tickets.models import Message, Screenshot, Status, Ticket, TransitionError

Screenshots = Iterable[UploadedFile | PreparedScreenshot]


def ticket_submit(
    *,
    member: User,
    language: str,
    summary: str,
    description: str,
    screenshots: Screenshots = (),
) -> Ticket:
    """File a new ticket for `member`: its description opens the thread, with the
    screenshots; the agents are told. Raise ValidationError for a bad language or file."""
    if language not in LANGUAGES_BY_CODE:
        raise ValidationError(_("Choose a language from the list."), code="language")
    prepared = [prepare(upload) for upload in screenshots]
    with transaction.atomic():
        ticket = Ticket.objects.create(member=member, language=language, summary=summary.strip())
        _post(ticket, Message.Kind.MEMBER, member, description, prepared)
    transaction.on_commit(partial(notify.ticket_submitted, ticket), robust=True)
    transaction.on_commit(partial(notify.ticket_received, ticket), robust=True)
    return ticket


def ticket_member_reply(
    *, ticket: Ticket, member: User, body: str, screenshots: Screenshots = ()
) -> Message:
    """Add the member's answer; a ticket that waited on them, or was resolved, is Open
    again. A Closed ticket takes no reply (TransitionError)."""
    if ticket.is_closed:
        raise TransitionError(f"{ticket.reference} is closed")
    prepared = [prepare(upload) for upload in screenshots]
    with transaction.atomic():
        message = _post(ticket, Message.Kind.MEMBER, member, body, prepared)
        ticket.record_activity(message)
        if ticket.status in (Status.AWAITING_MEMBER, Status.RESOLVED):
            ticket.apply_status(Status.OPEN, by=member)
    transaction.on_commit(partial(notify.member_replied, ticket, message), robust=True)
    return message


def ticket_agent_post(
    *,
    ticket: Ticket,
    agent: User,
    body: str,
    internal: bool,
    screenshots: Screenshots = (),
    then: Status | None = None,
) -> Message:
    """Add an agent's public reply or an internal note, then maybe resolve or close.

    A public reply moves the ticket to `then`, or else to Awaiting your reply, and the
    member is sent its text: in the resolved e-mail when it resolves the ticket, so that
    they get one e-mail, not two. A note is never shown to the member and changes
    nothing but the status, to `then` if given. A status change that a Closed ticket
    refuses (TransitionError) takes the post back too.
    """
    prepared = [prepare(upload) for upload in screenshots]
    with transaction.atomic():
        if internal:
            message = _post(ticket, Message.Kind.NOTE, agent, body, prepared)
            if then:
                ticket_set_status(ticket=ticket, status=then, by=agent)
            return message
        message = _post(ticket, Message.Kind.REPLY, agent, body, prepared)
        ticket.apply_status(then or Status.AWAITING_MEMBER, by=agent)
        ticket.record_activity(message)
    notice = notify.ticket_resolved if then == Status.RESOLVED else notify.agent_replied
    transaction.on_commit(partial(notice, ticket, message), robust=True)
    return message


def ticket_assign(*, ticket: Ticket, assignee: User | None, by: User) -> None:
    """Give the ticket to `assignee` (or to nobody); a New ticket someone is on is Open."""
    with transaction.atomic():
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee"])
        if assignee is not None and ticket.status == Status.NEW:
            ticket.apply_status(Status.OPEN, by=by)


def ticket_set_status(*, ticket: Ticket, status: Status, by: User) -> None:
    """Resolve or close a ticket (from the agents' queue); the member hears of Resolved."""
    with transaction.atomic():
        event = ticket.apply_status(status, by=by)
    if event is not None and status == Status.RESOLVED:
        transaction.on_commit(partial(notify.ticket_resolved, ticket), robust=True)


MEMBER_MAY_SET = (Status.RESOLVED, Status.CLOSED)


def ticket_member_set_status(*, ticket: Ticket, member: User, status: Status) -> None:
    """The member marks their ticket solved (Resolved: a reply opens it again) or closes it
    (final). Anything else, or a move the workflow refuses, is a TransitionError."""
    if status not in MEMBER_MAY_SET:
        raise TransitionError(f"{ticket.reference}: a member cannot set {status}")
    with transaction.atomic():
        ticket.apply_status(status, by=member)


def _post(ticket, kind, author, body, screenshots: list[PreparedScreenshot]) -> Message:
    message = ticket.messages.create(kind=kind, author=author, body=body.strip())
    for shot in screenshots:
        Screenshot.objects.create(
            message=message,
            image=shot.image,
            thumbnail=shot.thumbnail,
            content_type=shot.content_type,
            width=shot.width,
            height=shot.height,
            original_name=shot.name,
        )
    return message
