"""An accept's decision in plain SQL: of the agents clicking one waiting chat, exactly one
wins it, within their capacity and only while available. Plain SQL because under
contention this transaction is the round every chat of the queue waits for: through the
ORM it was 9 statements (the conditional UPDATE, the Away check, the agent's lock, their
count, the chat read again, the `joined` line's seq, its read, its INSERT, the queue's
revision), on PostgreSQL 11 round trips with BEGIN and COMMIT (bench/FINDINGS.md,
accept_contention). Here:

- PostgreSQL, 2 statements: the agent's row locked (`FOR UPDATE`), then one statement
  whose data-modifying CTEs take the chat (`UPDATE … WHERE state = 'waiting' RETURNING`,
  with its next seq), insert the `joined` line and bump the revision. The lock comes
  first, in a statement of its own, so that the count of the agent's chats in the second
  is read after it (each statement reads the database as of its start, READ COMMITTED):
  of one agent's tabs accepting two chats at once, the later counts the earlier's chat.
- SQLite, 3 statements: the same UPDATE … RETURNING, the INSERT, the bump. Its
  transactions are IMMEDIATE (the write lock from BEGIN), so they take turns anyway.

The UPDATE answers what the winner's consoles and the chat's sockets are told (the
chat's fields for the card, the seq of its `joined` line, whether the agent is away,
their alerts, how many chats they now hold): nothing is read again after commit. Leaving
the transaction on a refusal (Away, AtCapacity) undoes all of it. Call `decide` inside
a transaction.
"""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import DEFERRED

from livechat import events
from livechat.errors import AtCapacity, Away, Taken
from livechat.models import Chat, Message, QueueRevision, agent_name, stale_before
from portal.durations import seconds_sql

# What the card and the broadcasts need of the chat (its id is in hand); the others stay
# deferred: a read, which on the server's event loop fails loudly rather than unnoticed.
CHAT_FIELDS = (
    "name",
    "email",
    "member_id",
    "question",
    "language",
    "user_id",
    "session_key",
    "ticket_id",
    "last_seq",
)
TAKE = (
    "UPDATE livechat_chat SET state = %(active)s, agent_id = %(agent)s, accepted_at = %(now)s,"
    " wait_seconds = {waited}, last_seq = last_seq + 1"
    " WHERE id = %(chat)s AND state = %(waiting)s AND seen_at >= %(since)s"
    " RETURNING {fields},"
    # The agent's other chats: the chat itself is left out, so the count is the same
    # whether the database reads it before the change (PostgreSQL) or after (SQLite).
    " (SELECT COUNT(*) FROM livechat_chat AS held WHERE held.state = %(active)s"
    "  AND held.agent_id = %(agent)s AND held.id <> %(chat)s),"
    " (SELECT away FROM livechat_agentpresence WHERE agent_id = %(agent)s),"
    " (SELECT alerts FROM livechat_agentpresence WHERE agent_id = %(agent)s)"
)
JOINED = (
    "INSERT INTO livechat_message"
    " (chat_id, seq, author, name, body, client_id, sent_at, event, params)"
    " {rows} %(chat)s, {seq}, %(system)s, '', %(body)s, '', %(now)s, %(event)s, %(params)s {end}"
)
# PostgreSQL: the take, its line and the revision in one statement (one round trip).
TAKE_ALL = (
    "WITH won AS ({take}),"
    " joined AS ({joined}),"
    " revision AS (UPDATE livechat_queuerevision SET revision = revision + 1"
    "  WHERE id = %(revision_row)s AND EXISTS (SELECT 1 FROM won) RETURNING revision)"
    " SELECT won.*, revision.revision FROM won LEFT JOIN revision ON TRUE"
)
LOCK = "SELECT 1 FROM {users} WHERE id = %(agent)s FOR UPDATE"


class Decided(NamedTuple):
    chat: Chat  # built from what the UPDATE answered, with its agent in hand
    joined: Message  # the `joined` line, as stored
    revision: int  # the queue's revision this change made
    holding: int  # the agent's active chats, this one included
    alerts: bool  # the agent's new-chat alerts (their `status` frame)


def decide(*, chat_id, agent, now: datetime) -> Decided:
    """Give the waiting chat to `agent`, or raise Taken, Away or AtCapacity (then leave
    the transaction: the change is undone)."""
    said = {"agent": agent_name(agent)}
    params = _params(chat_id, agent, said, now)
    row = _take_on_postgresql(params) if connection.vendor == "postgresql" else _take(params)
    *fields, held, away, alerts, revision = row
    if away:
        raise Away
    if held + 1 > settings.LIVECHAT_AGENT_CAPACITY:
        raise AtCapacity
    if revision is None:  # SQLite's third statement, or a database without the row yet
        revision = QueueRevision.bump()
    chat = _chat(Chat._meta.pk.to_python(chat_id), fields)
    # Known without asking: it is active now, with this agent; a chat that waited never ended.
    chat.state, chat.agent, chat.accepted_at, chat.ended_at = Chat.State.ACTIVE, agent, now, None
    joined = Message(
        chat=chat,
        seq=chat.last_seq,
        author=Message.Author.SYSTEM,
        body=params["body"],
        sent_at=now,
        event=events.JOINED,
        params=said,
    )
    return Decided(chat, joined, revision, held + 1, bool(alerts))


def _chat(chat_id, fields: list) -> Chat:
    """The chat as answered, its other fields deferred (from_db takes every field's value,
    in the model's order, or DEFERRED)."""
    answered = {"id": chat_id, **dict(zip(CHAT_FIELDS, fields, strict=True))}
    names = [field.attname for field in Chat._meta.concrete_fields]
    return Chat.from_db(connection.alias, names, [answered.get(n, DEFERRED) for n in names])


def _take_on_postgresql(params: dict) -> tuple:
    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    joined = JOINED.format(rows="SELECT", seq="last_seq", end="FROM won")
    with connection.cursor() as cursor:
        cursor.execute(LOCK.format(users=users), params)
        cursor.execute(TAKE_ALL.format(take=_take_sql(), joined=joined), params)
        row = cursor.fetchone()
    if row is None:
        raise Taken
    return row


def _take(params: dict) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_take_sql(), params)
        row = cursor.fetchone()
        if row is None:
            raise Taken
        seq = row[CHAT_FIELDS.index("last_seq")]
        cursor.execute(
            JOINED.format(rows="VALUES (", seq="%(seq)s", end=")"), params | {"seq": seq}
        )
    return (*row, None)


def _take_sql() -> str:
    waited = seconds_sql(connection.vendor, "%(now)s", "created")
    return TAKE.format(waited=waited, fields=", ".join(CHAT_FIELDS))


def _params(chat_id, agent, said: dict, now: datetime) -> dict:
    moment = Chat._meta.get_field("accepted_at")
    return {
        "chat": Chat._meta.pk.get_db_prep_value(chat_id, connection),
        "agent": agent.pk,
        "now": moment.get_db_prep_value(now, connection),
        "since": moment.get_db_prep_value(stale_before(now), connection),
        "active": Chat.State.ACTIVE,
        "waiting": Chat.State.WAITING,
        "system": Message.Author.SYSTEM,
        "body": events.english(events.JOINED, said),
        "event": events.JOINED,
        "params": Message._meta.get_field("params").get_db_prep_value(said, connection),
        "revision_row": QueueRevision.ROW,
    }
