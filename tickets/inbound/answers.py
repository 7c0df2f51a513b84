"""The portal's automatic answers to inbound mail: polite, rare, never answered back.

Each is marked Auto-Submitted (RFC 3834) so that other systems do not answer it, and one
sender gets at most INBOUND_EMAIL_ANSWERS_PER_HOUR an hour, and one "could not match" or
"not a reply" answer an hour, counted in the database (pollers are separate processes).
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tickets.forms import BODY_MAX_LENGTH
from tickets.inbound.models import InboundEmail
from tickets.notify import language_of

ONCE_AN_HOUR = [InboundEmail.Outcome.UNMATCHED, InboundEmail.Outcome.NOT_A_REPLY]


def answer(record: InboundEmail, reason: str, *, once=False, user=None, ticket=None, **extra):
    """Answer the record's sender after the commit, unless they had enough answers."""
    answered = InboundEmail.objects.filter(
        sender=record.sender, answered_at__gte=timezone.now() - timedelta(hours=1)
    )
    if once:
        answered = answered.filter(outcome__in=ONCE_AN_HOUR)
    limit = 1 if once else settings.INBOUND_EMAIL_ANSWERS_PER_HOUR
    if answered.count() >= limit:
        return
    record.answered_at = timezone.now()
    reader = user or User.objects.filter(email__iexact=record.sender, is_active=True).first()
    context = {"reason": reason, "reader": reader, "ticket": ticket, **extra}
    mail = partial(_send, record.sender, record.subject, record.message_id, context)
    transaction.on_commit(mail, robust=True)


def _send(to: str, subject: str, message_id: str, context: dict) -> None:
    portal = settings.PORTAL_URL.rstrip("/")
    ticket = context["ticket"]
    language = language_of(context["reader"]) if context["reader"] else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **context,
            "refused": [text for error in context.get("refused", []) for text in error.messages],
            "new_url": portal + reverse("tickets:new"),
            "ticket_url": portal + ticket.get_absolute_url() if ticket else "",
            "limit": BODY_MAX_LENGTH,
        }
        body = render_to_string("tickets/email/inbound_answer.txt", context)
    headers = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}
    if message_id:
        headers |= {"In-Reply-To": message_id, "References": message_id}
    subject = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    EmailMessage(subject[:200], body, None, [to], headers=headers).send()
