"""Polling the support mailbox over IMAP (INBOUND_EMAIL_URL).

Each message is read without marking it (BODY.PEEK), processed once (tickets.inbound.receive
records its folder, UIDVALIDITY and UID under a unique constraint, in the transaction that
posts it), then flagged \\Seen for a person who looks at the mailbox. Processed messages stay
where they are: the poller never needs to move or delete anything, so any IMAP server and
any number of pollers at once will do; the operator may expunge old mail at will.
"""

import logging
import ssl

from django.conf import settings
from django.db import DatabaseError
from imapclient import IMAPClient

from tickets.inbound.receive import Place, receive
from tickets.models import InboundEmail

logger = logging.getLogger("helpdesk.inbound")
BATCH = 50  # messages fetched per round trip


def poll(mailbox: dict | None = None) -> list[InboundEmail]:
    """Read every message of the mailbox that no poller has recorded yet; return the
    records this poll made (none for messages another poller took first)."""
    mailbox = mailbox or settings.INBOUND_EMAIL
    context = ssl.create_default_context() if mailbox["ssl"] else None
    with IMAPClient(
        mailbox["host"], mailbox["port"], ssl=mailbox["ssl"], ssl_context=context, timeout=60
    ) as client:
        client.login(mailbox["username"], mailbox["password"])
        folder = mailbox["folder"]
        uidvalidity = int(client.select_folder(folder)[b"UIDVALIDITY"])
        records = []
        for batch in _batches(_unrecorded(client, folder, uidvalidity)):
            records += _read(client, [Place(folder, uidvalidity, uid) for uid in batch])
        return records


def _unrecorded(client: IMAPClient, folder: str, uidvalidity: int) -> list[int]:
    uids = sorted(client.search("UNDELETED"))
    known = set()
    for batch in _batches(uids, 1000):
        known.update(
            InboundEmail.objects.filter(
                folder=folder, uidvalidity=uidvalidity, uid__in=batch
            ).values_list("uid", flat=True)
        )
    return [uid for uid in uids if uid not in known]


def _read(client: IMAPClient, places: list[Place]) -> list[InboundEmail]:
    sizes = client.fetch([place.uid for place in places], ["RFC822.SIZE"])
    records = []
    for place in places:
        size = sizes.get(place.uid, {}).get(b"RFC822.SIZE", 0)
        too_large = size > settings.INBOUND_EMAIL_MAX_BYTES
        part = b"BODY.PEEK[HEADER]" if too_large else b"BODY.PEEK[]"
        fetched = client.fetch([place.uid], [part]).get(place.uid)
        if fetched is None:  # expunged meanwhile
            continue
        raw = fetched.get(b"BODY[HEADER]" if too_large else b"BODY[]", b"")
        try:
            record = receive(raw, place=place, too_large=too_large)
        except DatabaseError:
            # Not recorded, so read again next time; the messages after it are not held up.
            logger.exception("inbound e-mail %s: the database refused it", place)
            continue
        if record is not None:
            records.append(record)
            logger.info("inbound e-mail %s: %s", place.uid, record.outcome)
        client.add_flags([place.uid], [b"\\Seen"], silent=True)
    return records


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]
