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
from django.db import DatabaseError, close_old_connections
from imapclient import IMAPClient

from tickets.inbound.models import InboundEmail
from tickets.inbound.receive import Place, receive

logger = logging.getLogger("helpdesk.inbound")
BATCH = 50  # messages fetched per round trip
# Servers end an IDLE after 30 minutes at most (RFC 2177 asks clients to renew within 29).
IDLE_SECONDS = 5 * 60


def poll(mailbox: dict | None = None) -> list[InboundEmail]:
    """Read every message of the mailbox that no poller has recorded yet; return the
    records this poll made (none for messages another poller took first)."""
    mailbox = mailbox or settings.INBOUND_EMAIL
    with _connect(mailbox) as client:
        return _poll_with(client, mailbox["folder"])


def watch(mailbox: dict | None = None, *, rounds: int | None = None) -> None:
    """Poll, then wait in IMAP IDLE until the server says that mail came (or IDLE_SECONDS
    passed), and poll again, on one connection: replies land within seconds. `rounds`
    bounds the loop (tests); a dropped connection raises, for systemd to restart."""
    mailbox = mailbox or settings.INBOUND_EMAIL
    with _connect(mailbox) as client:
        done = 0
        while rounds is None or done < rounds:
            close_old_connections()  # a long-lived process, as a request's end would
            _poll_with(client, mailbox["folder"])
            client.idle()
            try:
                client.idle_check(timeout=IDLE_SECONDS)
            finally:
                client.idle_done()
            done += 1


def _connect(mailbox: dict) -> IMAPClient:
    context = ssl.create_default_context() if mailbox["ssl"] else None
    client = IMAPClient(
        mailbox["host"], mailbox["port"], ssl=mailbox["ssl"], ssl_context=context, timeout=60
    )
    client.login(mailbox["username"], mailbox["password"])
    return client


def _poll_with(client: IMAPClient, folder: str) -> list[InboundEmail]:
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
