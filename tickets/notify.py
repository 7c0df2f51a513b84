"""E-mails about tickets, each written in its reader's preferred language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.access import agents
from portal.ratings import rating_url
from tickets.inbound.addresses import notification_headers

SUBJECTS = {
    "submitted": _("New technical issue %(reference)s: %(title)s"),
    "received": _("We received your technical issue %(reference)s: %(title)s"),
    "member_replied": _("The member answered on %(reference)s: %(title)s"),
    "agent_replied": _("We answered your technical issue %(reference)s"),
    "resolved": _("Your technical issue %(reference)s is resolved"),
}


def ticket_submitted(ticket) -> None:
    _send(agents(), "submitted", ticket, ticket.messages.first())


def ticket_received(ticket) -> None:
    """The member's confirmation, with the reference to quote."""
    _send([ticket.member], "received", ticket, None)


def member_replied(ticket, message) -> None:
    readers = [ticket.assignee] if ticket.assignee else agents()
    _send(readers, "member_replied", ticket, message)


def agent_replied(ticket, message) -> None:
    _send([ticket.member], "agent_replied", ticket, message)


def ticket_resolved(ticket, message=None) -> None:
    _send([ticket.member], "resolved", ticket, message)


def _send(readers, event: str, ticket, message) -> None:
    repliers = [ticket.member, ticket.assignee]
    for reader in readers:
        if not reader.email:
            continue
        to_member = reader == ticket.member
        url = (
            ticket.get_absolute_url()
            if to_member
            else reverse("admin:tickets_ticket_change", args=[ticket.pk])
        )
        context = {
            "event": event,
            "reader": reader,
            "ticket": ticket,
            "message": message,
            "url": settings.PORTAL_URL.rstrip("/") + url,
            "to_member": to_member,
            **(_member_links(ticket, event) if to_member else {}),
        }
        # Reply by e-mail: the member, and the assignee (a public reply), may answer this;
        # not once the ticket is closed, which takes no more replies.
        may_reply = reader in repliers and not ticket.is_closed
        headers = notification_headers(ticket, reader) if may_reply else {}
        context["reply_by_email"] = bool(headers)
        with translation.override(language_of(reader)):
            subject = SUBJECTS[event] % {"reference": ticket.reference, "title": ticket.title}
            body = render_to_string("tickets/email/notification.txt", context)
        EmailMessage(subject, body, None, [reader.email], headers=headers).send()


def _member_links(ticket, event: str) -> dict:
    """A closed ticket's e-mail points to a new ticket, not to a reply the page refuses;
    the resolved one asks for a rating, by a link that needs no sign-in."""
    new = f"{reverse('tickets:new')}?language={ticket.language}"
    links = {"new_url": settings.PORTAL_URL.rstrip("/") + new}
    if event == "resolved" and ticket.rated_at is None:
        links["rating_url"] = rating_url(ticket)
    return links


def language_of(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE
