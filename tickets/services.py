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

from tickets import notify, sla
from tickets.images import PreparedScreenshot, prepare
from tickets.languages import LANGUAGES_BY_CODE
from tickets.models import (
    REOPEN,
    Message,
    Screenshot,
    Status,
    Ticket,
    TransitionError,
    transition_refusal,
)

Screenshots = Iterable[UploadedFile | PreparedScreenshot]


def ticket_submit(
    *,
    member: User,
    language: str,
    summary: str,
    description: str,
    screenshots: Screenshots = (),
    assignee: User | None = None,
) -> Ticket:
    """File a new ticket for `member`: its description opens the thread, with the
    screenshots. Raise ValidationError for a bad language or file.

    The agents are told of it, unless it is born assigned (an agent turning a chat into a
    ticket): then it is Open and the one agent on it, who made it, needs no e-mail."""
    if language not in LANGUAGES_BY_CODE:
        raise ValidationError(_("Choose a language from the list."), code="language")
    prepared = [prepare(upload) for upload in screenshots]
    with transaction.atomic():
        ticket = Ticket.objects.create(member=member, language=language, summary=summary.strip())
        _post(ticket, Message.Kind.MEMBER, member, description, prepared)
        sla.ticket_refresh_due(ticket, restart=ticket.created_at)
        if assignee is not None:
            ticket_assign(ticket=ticket, assignee=assignee, by=assignee)
            return ticket
    transaction.on_commit(partial(notify.ticket_submitted, ticket), robust=True)
    transaction.on_commit(partial(notify.ticket_received, ticket), robust=True)
    return ticket


def ticket_member_reply(
    *, ticket: Ticket, member: User, body: str, screenshots: Screenshots = ()
) -> Message:
    """Add the member's answer; a ticket that waited on them, or was resolved, is Open
    again. A Closed ticket takes no reply (TransitionError)."""
    if ticket.is_closed:
        raise TransitionError(transition_refusal(ticket.status, Status.OPEN))
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
    """Add an agent's public reply or an internal note, then maybe change the status.

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
        if ticket.first_response_at is None:  # the first answer, for the service levels
            ticket.first_response_at = message.created_at
            ticket.save(update_fields=["first_response_at"])
        if ticket.apply_status(then or Status.AWAITING_MEMBER, by=agent) is None:
            sla.ticket_refresh_due(ticket)
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
    """Move a ticket to any status its current one allows; the member hears of Resolved."""
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


def ticket_reopen(*, ticket: Ticket, agent: User, reason: str) -> Message:
    """Reopen a Closed ticket, the one way out of Closed: the reason goes into the thread
    as an internal note (agents see why, the member sees the ticket Open again)."""
    if not reason.strip():
        raise TransitionError(str(_("Give the reason for reopening the ticket.")))
    with transaction.atomic():
        note = _post(ticket, Message.Kind.NOTE, agent, reason, [])
        if not ticket.is_closed or ticket.apply_status(REOPEN[1], by=agent, reopen=True) is None:
            raise TransitionError(transition_refusal(ticket.status, REOPEN[1]))
    return note


UNCHANGED = object()


def ticket_agent_update(
    *,
    ticket: Ticket,
    agent: User,
    assignee: "User | object | None" = UNCHANGED,
    status: Status | None = None,
    body: str = "",
    internal: bool = False,
    screenshots: Screenshots = (),
) -> list[str]:
    """The agents' one form: assign, post a reply or a note, set a status, all or nothing.

    Each part goes through the service that does it alone, in this order, so that the
    rules are the same: assigning a New ticket opens it, a public reply awaits the member
    unless `status` says otherwise, a Closed ticket is reopened only with `status` Open and
    the message as the reason. Answer what was done, for the admin's history; raise
    TransitionError (and keep nothing) when the status is refused.
    """
    done, before = [], ticket.status
    with transaction.atomic():
        if assignee is not UNCHANGED:
            ticket_assign(ticket=ticket, assignee=assignee, by=agent)
            done.append(f"Assigned to {assignee.username}" if assignee else "Unassigned")
        if ticket.is_closed and status == REOPEN[1]:
            ticket_reopen(ticket=ticket, agent=agent, reason=body)
            return [*done, "Reopened"]
        if body.strip():
            post = {"body": body, "internal": internal, "screenshots": screenshots}
            ticket_agent_post(ticket=ticket, agent=agent, then=status, **post)
            done.append("Added an internal note" if internal else "Replied")
        elif status:
            ticket_set_status(ticket=ticket, status=status, by=agent)
        if ticket.status != before:
            done.append(f"Status set to {Status(ticket.status).label}")
    return done


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
