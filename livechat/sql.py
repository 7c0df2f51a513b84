"""Storing chat messages in batches, in plain SQL: the one place where the chat bypasses
the ORM, because on the hot path the ORM was the cost (bench/FINDINGS.md: a message cost
about 3 ms of Python through querysets and model saves, against well under 1 ms here).

`store` takes any number of `say`s, for any chats, and stores them in the caller's
transaction with one statement to number them and one INSERT for all of them. The
rules are the chat's (livechat.services.chat_say is a batch of one):

- a client_id already stored, or twice in the batch, is a resend: nothing is stored, and
  the answer is the stored message;
- a chat that is over takes nothing (ChatOver);
- one side of a chat says at most LIVECHAT_RATE_LIMIT, over all its sockets (SlowDown);
- seq comes from one `UPDATE … RETURNING` for every chat of the batch, which holds the
  rows' write locks until commit, so writers on other processes queue up behind this batch
  (PostgreSQL: the rows are locked first, in id order, so two batches never deadlock) or
  behind the database's one writer (SQLite). One statement, not one per chat: on
  PostgreSQL each was a round trip, 70% of the writer's time when the batches were small.
  On PostgreSQL the batch's statements take arrays (unnest), so their text is the same
  whatever the batch holds: psycopg binds a long statement in Python each time, and
  PostgreSQL plans it anew (bench/FINDINGS.md, session 4).

A refused message does not spoil the batch. An error from the database does: the caller
rolls back and decides (livechat.writer retries each message alone).
"""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from livechat.errors import ChatError, ChatOver, SlowDown
from livechat.events import localise
from livechat.models import Chat, Message, encoded, message_frame

OPEN = (Chat.State.WAITING, Chat.State.ACTIVE)
# What a `say` stores; its event is always "" and its params {} (those are system lines').
SAID_FIELDS = ("seq", "author", "name", "body", "sent_at", "client_id")


class Say(NamedTuple):
    chat_id: object  # uuid.UUID
    author: str
    name: str
    body: str
    client_id: str
    sent_at: datetime


class Said(NamedTuple):
    """A stored message as its frame needs it, from what the batch holds or the row (a
    tuple, not a Message: a model instance per message, its init signals included, was
    15% of the writer's time, bench/FINDINGS.md)."""

    chat_id: object
    seq: int
    author: str
    name: str
    body: str
    sent_at: datetime
    client_id: str

    def to_frame(self) -> dict:
        return message_frame(*self[1:])


class Stored(NamedTuple):
    message: Said
    resent: bool  # the client_id was stored before: this is the earlier message


Outcome = Stored | ChatError


def store(says: list[Say], *, look_up_resends=True) -> list[Outcome]:
    """Store a batch of messages; answer one outcome per `say`, in order. Call inside a
    transaction.

    Without `look_up_resends` the stored client_ids are not read first: a resend of a
    message stored earlier then fails the batch on the unique index (IntegrityError), and
    the caller stores the batch again with the look-up. Resends are rare (a reconnect), so
    the common batch saves a query per chat."""
    outcomes: list[Outcome | None] = [None] * len(says)
    by_chat: dict[object, list[tuple[int, Say]]] = defaultdict(list)
    for index, say in enumerate(says):
        by_chat[say.chat_id].append((index, say))
    # Each chat by its key in the database, worked out once per batch. The chats in one
    # order on every process: two batches lock the chats' rows in the same order, so
    # writers on two processes wait for each other, never deadlock.
    chats = sorted(((_chat_key(c), said) for c, said in by_chat.items()), key=lambda c: str(c[0]))
    rows: list[tuple] = []  # every chat's, for one INSERT (one round trip on PostgreSQL)
    row = _row_maker()
    with connection.cursor() as cursor:
        fresh = [_fresh(said, outcomes, look_up_resends) for _, said in chats]
        allowed = _within_rate(cursor, [key for key, _ in chats], fresh, outcomes)
        counts = [(key, len(a)) for (key, _), a in zip(chats, allowed, strict=True) if a]
        last_seqs = _number(cursor, counts)
        for (key, said), chat_allowed in zip(chats, allowed, strict=True):
            if chat_allowed:
                _append(key, last_seqs.get(key), chat_allowed, outcomes, rows, row)
            _settle_resends(said, outcomes)
        if rows:
            _insert(cursor, rows)
    return outcomes


COLUMNS = "(chat_id, seq, author, name, body, client_id, sent_at, event, params)"
INSERT_VALUES = (
    f"INSERT INTO livechat_message {COLUMNS}"  # noqa: S608 (constant text)
    " VALUES (%s, %s, %s, %s, %s, %s, %s, '', %s)"
)
# PostgreSQL: the batch's rows as arrays, one statement (an executemany was one statement
# per row, each bound in Python: 8 ms of a batch of 50, the writer's largest cost once the
# rate check and the numbering were arrays too).
INSERT_ROWS = (
    f"INSERT INTO livechat_message {COLUMNS}"  # noqa: S608 (constant text)
    " SELECT r.chat, r.seq, r.author, r.name, r.body, r.client_id, r.sent_at, '', %s"
    " FROM unnest(%s::uuid[], %s::int[], %s::text[], %s::text[], %s::text[], %s::text[],"
    " %s::timestamptz[]) AS r(chat, seq, author, name, body, client_id, sent_at)"
)


def _insert(cursor, rows: list[tuple]) -> None:
    """The batch's rows (made by _row_maker), every chat's, in one round trip."""
    if connection.vendor == "postgresql":
        columns = [list(column) for column in zip(*(row[:7] for row in rows), strict=True)]
        cursor.execute(INSERT_ROWS, [rows[0][7], *columns])
    else:
        cursor.executemany(INSERT_VALUES, rows)


def _fresh(says, outcomes, look_up_resends) -> list[tuple[int, Say]]:
    """A chat's messages to store; a resend is answered with what was stored, or with its
    first in this batch (an index, settled by _settle_resends)."""
    ids = {say.client_id for _, say in says if say.client_id} if look_up_resends else set()
    known = _stored_client_ids(says[0][1].chat_id, ids)
    fresh, firsts = [], {}
    for index, say in says:
        if say.client_id in known:
            outcomes[index] = Stored(known[say.client_id], resent=True)
        elif say.client_id and say.client_id in firsts:
            outcomes[index] = firsts[say.client_id]
        else:
            fresh.append((index, say))
            if say.client_id:
                firsts[say.client_id] = index
    return fresh


def _settle_resends(says, outcomes) -> None:
    for index, _ in says:
        first = outcomes[index]
        if isinstance(first, int):  # a resend within the batch: its first's outcome
            stored = outcomes[first]
            outcomes[index] = Stored(stored.message, True) if isinstance(stored, Stored) else stored


MISSED = (
    "SELECT seq, author, name, body, sent_at, client_id, event, params"
    " FROM livechat_message WHERE chat_id = %s AND seq > %s ORDER BY seq"
)
# SQLite's own text of the moment, not Django's converter's datetime (see _iso).
MISSED_SQLITE = MISSED.replace("sent_at,", "CAST(sent_at AS TEXT),", 1)


def texts_after(chat_id, seq: int, language: str) -> list[tuple[int, str]]:
    """The `message` frames of a chat after `seq`, in order, as (seq, the frame's JSON)
    for a reader of `language`, straight from the rows: a replay of a thousand messages
    builds no model instance, and its frames are serialised here, on the reader's
    thread, not on the event loop that sends them."""
    params = Message._meta.get_field("params")
    missed = MISSED_SQLITE if connection.vendor == "sqlite" else MISSED
    with connection.cursor() as cursor:
        cursor.execute(missed, [_chat_key(chat_id), seq])
        rows = cursor.fetchall()
    texts = []
    for row in rows:
        frame = message_frame(*row[:4], _iso(row[4]), row[5], row[6], _params(params, *row[6:]))
        texts.append((row[0], encoded(localise(frame, language))))
    return texts


def _params(field, event, value) -> dict:
    # A system line's parameters, as the ORM would decode them (JSON text on SQLite); a
    # said message has none to decode ({}), and its frame shows none.
    return field.from_db_value(value, None, connection) if event and value is not None else {}


def _stored_client_ids(chat_id, client_ids: set[str]) -> dict[str, Said]:
    if not client_ids:
        return {}
    # `client_id != ""` repeated: the unique index is partial on it, and SQLite uses a
    # partial index only when the query states its condition (else it walks the chat).
    rows = (
        Message.objects.filter(chat_id=chat_id, client_id__in=client_ids)
        .exclude(client_id="")
        .values_list(*SAID_FIELDS)
    )
    return {row[-1]: _said(chat_id, *row) for row in rows}


def _within_rate(cursor, chat_ids, fresh, outcomes) -> list[list[tuple[int, Say]]]:
    """Each chat's fresh messages the rate allows; the others are answered SlowDown. A
    message is refused when the side's `count` messages before it all fall in its window."""
    count, seconds = settings.LIVECHAT_RATE_LIMIT
    window = timedelta(seconds=seconds)
    sides = []  # (chat's index, author, the side's fresh messages, stored ones skipped)
    for n, chat_fresh in enumerate(fresh):
        by_author = defaultdict(list)
        for item in chat_fresh:
            by_author[item[1].author].append(item)
        # Only the side's `count` newest are ever compared, and only as many of them as
        # this batch has messages of the side.
        sides += [(n, a, items, max(count - len(items), 0)) for a, items in by_author.items()]
    wanted = [(chat_ids[n], author, skip, count - skip) for n, author, _, skip in sides]
    allowed: list[list[tuple[int, Say]]] = [[] for _ in fresh]
    for (n, _, items, skip), earlier in zip(sides, _sent_at(cursor, wanted), strict=True):
        accepted: list[datetime] = []
        for index, say in items:
            nth = len(accepted)
            before = accepted[nth - count] if nth >= count else _at(earlier, count - 1 - nth - skip)
            if before is not None and before > say.sent_at - window:
                outcomes[index] = SlowDown()
                continue
            accepted.append(say.sent_at)
            allowed[n].append((index, say))
    return [sorted(chat_allowed, key=lambda item: item[0]) for chat_allowed in allowed]


SIDES_PER_QUERY = 200  # SQLite takes at most 500 terms in one compound SELECT
SIDE = (
    "SELECT * FROM (SELECT %s AS side, seq, sent_at FROM livechat_message"
    " WHERE chat_id = %s AND author = %s AND seq > 1 ORDER BY seq DESC"
    " LIMIT (SELECT CASE WHEN last_seq > %s THEN %s ELSE 0 END"
    " FROM livechat_chat WHERE id = %s) OFFSET %s) AS side"
)


# PostgreSQL: the same, as one statement of constant text over arrays. The compound
# SELECT of 50 chats was 15 KB of text with 350 parameters, bound in Python (psycopg caches
# no statement over 4 KB) and planned anew by PostgreSQL in every batch: 14 ms of a batch
# of 50 messages, the PostgreSQL writer's largest cost (bench/FINDINGS.md).
SIDES = (
    "SELECT s.side, m.seq, m.sent_at FROM unnest(%s::int[], %s::uuid[], %s::text[],"
    " %s::int[], %s::int[]) AS s(side, chat, author, skip, lim) CROSS JOIN LATERAL"
    " (SELECT seq, sent_at FROM livechat_message WHERE chat_id = s.chat"
    " AND author = s.author AND seq > 1 ORDER BY seq DESC"
    " LIMIT (SELECT CASE WHEN c.last_seq > s.skip + 1 THEN s.lim ELSE 0 END"
    " FROM livechat_chat AS c WHERE c.id = s.chat) OFFSET s.skip) AS m"
    " ORDER BY s.side, m.seq DESC"
)


def _sent_at(cursor, sides) -> list[list[datetime]]:
    """For each (chat, author, offset, limit): when the side's newest messages were sent
    (newest first from `offset`; seq 1, the form's question, does not count), every side
    of the batch in one query (one round trip on PostgreSQL, not one per chat).

    The LIMIT is 0 when the chat holds too few messages to reach `offset`: the database
    would otherwise walk the whole chat to find nothing there, in every batch, when the
    limit is high (a chat of 25,000 messages under a limit of 1,000,000)."""
    found: list[list[datetime]] = [[] for _ in sides]
    if connection.vendor == "postgresql":
        columns = [list(column) for column in zip(*sides, strict=True)] if sides else [[]] * 4
        cursor.execute(SIDES, [list(range(len(sides))), *columns])
        for side, _, sent_at in cursor.fetchall():
            found[side].append(sent_at)
        return found
    for start in range(0, len(sides), SIDES_PER_QUERY):
        parts, params = [], []
        for k, (key, author, offset, limit) in enumerate(
            sides[start : start + SIDES_PER_QUERY], start
        ):
            parts.append(SIDE)
            params += [k, key, author, offset + 1, limit, key, offset]
        cursor.execute(" UNION ALL ".join(parts) + " ORDER BY side, seq DESC", params)
        for side, _, sent_at in cursor.fetchall():
            found[side].append(_aware(sent_at))
    return found


CHATS_PER_STATEMENT = 200  # three parameters each: well within SQLite's limit


def _number(cursor, counts: list[tuple[object, int]]) -> dict:
    """Add each chat's count of new messages to its `last_seq`, for every open chat of
    `counts` ((its key, count), in id order) at once; answer {the chat's key: its new
    last_seq}. A chat that is over is left out of the answer."""
    if connection.vendor == "postgresql":
        return _number_postgresql(cursor, counts)
    last_seqs = {}
    for start in range(0, len(counts), CHATS_PER_STATEMENT):
        part = counts[start : start + CHATS_PER_STATEMENT]
        keys = [key for key, _ in part]
        # Only placeholders are joined into these statements; every value is a parameter.
        among = ", ".join(["%s"] * len(keys))
        added = " ".join(["WHEN %s THEN %s"] * len(part))
        cursor.execute(
            f"UPDATE livechat_chat SET last_seq = last_seq + CASE id {added} END"  # noqa: S608
            f" WHERE id IN ({among}) AND state IN (%s, %s) RETURNING id, last_seq",
            [value for pair in part for value in pair] + keys + list(OPEN),
        )
        last_seqs.update(cursor.fetchall())
    return last_seqs


# PostgreSQL: two statements of constant text over arrays, whatever the batch's chats (as
# SIDES above: a statement of 150 parameters was bound in Python and planned anew).
LOCK = "SELECT id FROM livechat_chat WHERE id = ANY(%s::uuid[]) ORDER BY id FOR UPDATE"
NUMBER = (
    "UPDATE livechat_chat AS c SET last_seq = c.last_seq + v.n"
    " FROM unnest(%s::uuid[], %s::int[]) AS v(id, n)"
    " WHERE c.id = v.id AND c.state IN (%s, %s) RETURNING c.id, c.last_seq"
)


def _number_postgresql(cursor, counts: list[tuple[object, int]]) -> dict:
    if not counts:
        return {}
    keys, added = [key for key, _ in counts], [count for _, count in counts]
    # Locked in one order on every process: batches wait for each other, never deadlock
    # (an UPDATE's own scan locks its rows in whatever order it reads them). SQLite has one
    # writer at a time and no row locks.
    cursor.execute(LOCK, [keys])
    cursor.execute(NUMBER, [keys, added, *OPEN])
    return dict(cursor.fetchall())


def _append(key, last_seq, fresh, outcomes, rows, row) -> None:
    """The chat's fresh messages numbered up to `last_seq` (None: the chat is over); their
    rows (made by `row`) join `rows`, for the batch's INSERT."""
    if last_seq is None:
        for index, _ in fresh:
            outcomes[index] = ChatOver()
        return
    seq = last_seq - len(fresh)
    for index, say in fresh:
        seq += 1
        rows.append(row(key, seq, say))
        outcomes[index] = Stored(Said(say[0], seq, *say[1:4], say.sent_at, say.client_id), False)


def _row_maker():
    """A function making a `say`'s row of the INSERT: the connection's adapters looked up
    once per batch (through Django's connection proxy each look-up costs a thread-local
    read), and a `say`'s sent_at is aware already (timezone.now()): the backend's adapter
    is all DateTimeField.get_db_prep_value would do with it."""
    adapt = connection.ops.adapt_datetimefield_value
    no_params = Message._meta.get_field("params").get_db_prep_value({}, connection)

    def row(key, seq, say: Say) -> tuple:
        _, author, name, body, client_id, sent_at = say
        return (key, seq, author, name, body, client_id, adapt(sent_at), no_params)

    return row


def _said(chat_id, seq, author, name, body, sent_at, client_id) -> Said:
    return Said(chat_id, seq, author, name, body, _aware(sent_at), client_id)


def _chat_key(chat_id):
    """The chat's id as the database holds it (32 hex digits on SQLite, uuid on PostgreSQL)."""
    return Chat._meta.pk.get_db_prep_value(chat_id, connection)


def _iso(value) -> str:
    """A row's sent_at as its frame says it (datetime.isoformat() of the aware UTC moment).
    SQLite's text is that moment in UTC, "2026-12-01 12:00:00[.123456]": the same text with
    a "T" and "+00:00", without parsing and formatting it (1.4 ms for a replay of 1,000)."""
    if isinstance(value, str) and len(value) in (19, 26) and value[10] == " ":
        return value.replace(" ", "T", 1) + "+00:00"
    return _aware(value).isoformat()


def _aware(value) -> datetime:
    # Plain SQL gets SQLite's text for a datetime, as Django writes it (UTC, ISO 8601 with a
    # space: what datetime.fromisoformat reads, several times faster than parse_datetime).
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _at(values: list, index: int):
    return values[index] if 0 <= index < len(values) else None
