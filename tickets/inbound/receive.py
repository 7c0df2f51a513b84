"""What becomes of one message from the support mailbox.

A reply whose key verifies goes through the same services as a reply typed on the page
(tickets.services: statuses, notifications) and its images through the same screenshot
pipeline (tickets.images); anything else is dropped or kept here for an administrator.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import can_open_tech_issues, is_agent
from tickets.forms import BODY_MAX_LENGTH
from tickets.images import prepare
from tickets.inbound.addresses import keys_in, match
from tickets.inbound.answers import answer
from tickets.inbound.reading import Reading, header_values, parse, read
from tickets.models import InboundEmail, TransitionError
from tickets.services import ticket_agent_post, ticket_member_reply

logger = logging.getLogger("helpdesk.inbound")
Outcome = InboundEmail.Outcome


@dataclass(frozen=True)
class Place:
    """Where a message is in the mailbox: what makes it the same message to two pollers."""

    folder: str
    uidvalidity: int
    uid: int


def receive(raw: bytes, *, place: Place, too_large=False) -> InboundEmail | None:
    """Process one message, once: return its record, or None when another poller has
    recorded it already (the unique place refuses the second insert). For a message over
    INBOUND_EMAIL_MAX_BYTES, `raw` is only its header."""
    try:
        reading = read(parse(raw))
        # Screenshots are decoded before the transaction: the database's write lock (all
        # of SQLite's) must not wait on Pillow while another poller waits on the lock.
        files = _screenshots(reading)
    except Exception as error:  # no message may stop the poller
        reading, files, failure = None, None, error
    try:
        with transaction.atomic():
            record = InboundEmail.objects.create(
                folder=place.folder, uidvalidity=place.uidvalidity, uid=place.uid, outcome=""
            )
            try:
                if reading is None:
                    raise failure
                with transaction.atomic():
                    _handle(record, reading, files, too_large)
            except Exception as error:  # kept for an administrator, and logged
                logger.exception("inbound e-mail %s could not be read", place)
                record.outcome, record.reason = Outcome.FAILED, repr(error)[:250]
                record.posted = record.answered_at = None
            record.save()
    except IntegrityError:
        # Another poller holds this place, or posted the same message from another place
        # (tickets_inbound_posted_once): this one's work is rolled back whole.
        return None
    return record


def _handle(record: InboundEmail, reading: Reading, files: tuple, too_large: bool) -> None:
    record.sender, record.subject = reading.sender, reading.subject
    record.message_id = reading.message_id
    record.attachments = ", ".join(file.name for file in reading.images + reading.others)
    record.text = reading.text[:BODY_MAX_LENGTH]
    if not reading.sender:
        return _keep(record, Outcome.UNMATCHED, "no single From address")
    if _is_own(reading.sender):
        return _keep(record, Outcome.OWN, "sent from the portal's own address")
    if reading.automatic:
        return _keep(record, Outcome.AUTOMATIC, reading.automatic)
    if _seen_before(record):
        return _keep(record, Outcome.DUPLICATE, "the same Message-ID was received before")
    if too_large:
        limit = settings.INBOUND_EMAIL_MAX_BYTES
        _keep(record, Outcome.TOO_LARGE, f"larger than {limit} bytes")
        return answer(record, "too_large")
    keys = keys_in(reading.mail)
    if not keys:
        _keep(record, Outcome.NOT_A_REPLY, "no ticket key in its addresses or references")
        return answer(record, "not_a_reply", once=True)
    ticket, author, why = match(keys, reading.sender)
    record.ticket = ticket
    why = why or _may_not_reply(ticket, author)
    if why:
        _keep(record, Outcome.UNMATCHED, why)
        return answer(record, "unmatched", once=True)
    if _dmarc_failed(reading):
        _keep(record, Outcome.UNMATCHED, "the sender's domain failed DMARC")
        return answer(record, "unmatched", once=True)
    return _post(record, reading, files, ticket, author)


def _may_not_reply(ticket, author) -> str:
    """Why the key's reader may not reply as the page would let them, or ""."""
    if not author.is_active:
        return "the account is deactivated"
    if not can_open_tech_issues(author):  # the rank gate, as on every page
        return "the member's rank no longer opens Technical Issues"
    if author != ticket.member and not is_agent(author):
        return "the assignee is no longer an agent"
    return ""


def _post(record: InboundEmail, reading: Reading, files: tuple, ticket, author) -> None:
    screenshots, refused = files
    text, cut = reading.text[:BODY_MAX_LENGTH], len(reading.text) > BODY_MAX_LENGTH
    if not ticket.is_closed and not text and not screenshots:
        _keep(record, Outcome.EMPTY, "no new text and no screenshot")
        return answer(record, "empty", user=author, ticket=ticket, refused=refused)
    if _too_many(record):
        _keep(record, Outcome.TOO_MANY, "over RATE_LIMIT_REPLIES_PER_MEMBER")
        return answer(record, "too_many", user=author, ticket=ticket)
    try:
        if ticket.is_closed:
            raise TransitionError(ticket.reference)
        if author == ticket.member:
            posted = ticket_member_reply(
                ticket=ticket, member=author, body=text, screenshots=screenshots
            )
        else:  # the assignee, answering the member in public
            posted = ticket_agent_post(
                ticket=ticket, agent=author, body=text, internal=False, screenshots=screenshots
            )
    except TransitionError:
        _keep(record, Outcome.CLOSED, "the ticket is closed")
        return answer(record, "closed", user=author, ticket=ticket)
    record.posted, record.outcome = posted, Outcome.POSTED
    if refused or cut:
        answer(record, "partly", user=author, ticket=ticket, refused=refused, cut=cut)


def _screenshots(reading: Reading) -> tuple[list, list[ValidationError]]:
    """The images, through the page's pipeline (verified, re-encoded without metadata,
    bounded); every file that is not kept, with the reason the sender will be told."""
    limit = settings.TICKETS_SCREENSHOTS_PER_MESSAGE
    refused = [_refusal(file.name, _("only screenshots are kept")) for file in reading.others]
    prepared = []
    for file in reading.images:
        if len(prepared) >= limit:
            refused.append(_refusal(file.name, _("a message keeps %(limit)d screenshots at most")))
            continue
        try:
            prepared.append(prepare(SimpleUploadedFile(file.name, file.data)))
        except ValidationError as error:
            refused.append(error)
    return prepared, refused


def _refusal(name: str, reason) -> ValidationError:
    # The same wording as the pipeline's own refusals: "name: reason."
    params = {"limit": settings.TICKETS_SCREENSHOTS_PER_MESSAGE}
    return ValidationError(
        _("%(name)s: %(reason)s."), params={"name": name, "reason": reason % params}
    )


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _too_many(record: InboundEmail) -> bool:
    """The page's limit on one member's replies (RATE_LIMIT_REPLIES_PER_MEMBER), counted in
    the database: each poll is a process of its own, whose cache may be its own memory."""
    count, period = settings.RATE_LIMIT_REPLIES_PER_MEMBER.split("/")
    since = timezone.now() - timedelta(seconds=int(period[:-1] or 1) * PERIODS[period[-1]])
    posted = InboundEmail.objects.filter(
        sender=record.sender, outcome=Outcome.POSTED, received_at__gte=since
    )
    return posted.count() >= int(count)


def _keep(record: InboundEmail, outcome: str, reason: str) -> None:
    record.outcome, record.reason = outcome, reason


def _is_own(sender: str) -> bool:
    local, _at, domain = settings.INBOUND_EMAIL_ADDRESS.rpartition("@")
    sender_local, _at, sender_domain = sender.rpartition("@")
    return sender_domain == domain and sender_local.split("+")[0] == local


def _seen_before(record: InboundEmail) -> bool:
    if not record.message_id:
        return False
    earlier = InboundEmail.objects.filter(message_id=record.message_id, sender=record.sender)
    return earlier.exclude(pk=record.pk).exists()


def _dmarc_failed(reading: Reading) -> bool:
    # Only the topmost Authentication-Results, which the receiving server wrote; any lower
    # one may have come with the message itself.
    results = header_values(reading.mail, "Authentication-Results")
    return bool(results) and "dmarc=fail" in results[0].lower()
