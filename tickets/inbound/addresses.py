"""The keys that thread an e-mailed reply to its ticket, signed so they cannot be made up.

A notification to a member (or to a ticket's assignee) replies to
`support+TI-000123.<token>@example.com` and carries Message-IDs ending in
`TI-000123.<token>@example.com`, the token being an HMAC of the ticket and that reader
under the secret key. A reply is matched by either key, and only when the token verifies
for the person it came from: the subject is never trusted (django-helpdesk #756, #1279).
"""

import re
import secrets
from email.message import EmailMessage
from email.utils import getaddresses

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from tickets.inbound.reading import header_values
from tickets.models import Ticket

SALT = "tickets.inbound.reply-key"
TOKEN_LENGTH = 20  # hex digits: 80 bits
KEY = re.compile(rf"(TI-\d{{6,12}})\.([0-9a-f]{{{TOKEN_LENGTH}}})", re.IGNORECASE)
RECIPIENT_HEADERS = ["To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"]


def token_for(ticket: Ticket, user) -> str:
    # The address is part of what is signed: a reader whose address changes gets new keys.
    value = f"{ticket.pk}:{user.pk}:{user.email.lower()}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def _address_parts() -> tuple[str, str]:
    local, _at, domain = settings.INBOUND_EMAIL_ADDRESS.rpartition("@")
    return local, domain


def reply_address(ticket: Ticket, user) -> str:
    local, domain = _address_parts()
    return f"{local}+{ticket.reference}.{token_for(ticket, user)}@{domain}"


def notification_headers(ticket: Ticket, user) -> dict[str, str]:
    """The headers of a notification to `user` about `ticket`: none while no mailbox is
    read, else the signed Reply-To, a fresh Message-ID and the ticket's thread."""
    if not settings.INBOUND_EMAIL:
        return {}
    _local, domain = _address_parts()
    key = f"{ticket.reference}.{token_for(ticket, user)}@{domain}"
    return {
        "Reply-To": reply_address(ticket, user),
        "Message-ID": f"<{secrets.token_hex(8)}.{key}>",
        # One root per ticket and reader: mail clients show the notifications as one thread.
        "References": f"<{key}>",
        "In-Reply-To": f"<{key}>",
    }


def keys_in(mail: EmailMessage) -> list[tuple[str, str]]:
    """The (reference, token) pairs a message carries: in a plus-address it was sent to,
    then in the Message-IDs it answers. Only keys at the portal's own address count."""
    local, domain = _address_parts()
    plus = re.compile(rf"{re.escape(local)}\+{KEY.pattern}@{re.escape(domain)}", re.IGNORECASE)
    ids = re.compile(rf"<(?:[0-9a-f]+\.)?{KEY.pattern}@{re.escape(domain)}>", re.IGNORECASE)
    found = []
    for header in RECIPIENT_HEADERS:
        for _name, address in getaddresses(header_values(mail, header)):
            found += [match.groups() for match in [plus.fullmatch(address.strip())] if match]
    for header in ["In-Reply-To", "References"]:
        found += ids.findall(" ".join(header_values(mail, header)))
    return list(dict.fromkeys((reference.upper(), token.lower()) for reference, token in found))


def match(keys: list[tuple[str, str]], sender: str) -> tuple[Ticket | None, object, str]:
    """Return (ticket, author, "") for the first key whose token verifies for the sender,
    the ticket's member or its assignee; else (ticket or None, None, why not)."""
    ticket, why = None, "no ticket has this reference"
    for reference, token in keys:
        found = Ticket.objects.select_related("member", "assignee").filter(reference=reference)
        candidate = found.first()
        if candidate is None:
            continue
        ticket, why = candidate, "the signature does not verify"
        for person in (candidate.member, candidate.assignee):
            if person is None or not constant_time_compare(token, token_for(candidate, person)):
                continue
            if person.email.lower() != sender:
                why = "the signature is another person's than the sender's"
                continue
            return candidate, person, ""
    return ticket, None, why
