"""An accept's decision in plain SQL: of the agents clicking one waiting chat, exactly one
wins it, within their capacity and only while available. Plain SQL because under
contention this transaction is the round every chat of the queue waits for: through the
ORM it was 9 statements (the conditional UPDATE, the Away check, the agent's lock, their
count, the chat read again, the `joined` line's seq, its read, its INSERT, the queue's
revision), on PostgreSQL 11 round trips with BEGIN and COMMIT (bench/FINDINGS.md,
accept_contention). Here the refusals (away, at capacity) are conditions of the UPDATE
itself, so a decision either makes every change or none, and nothing has to be undone:

- PostgreSQL, 2 statements in one round trip: the agent's row locked (`FOR UPDATE`),
  then one statement whose data-modifying CTEs take the chat (`UPDATE … WHERE state =
  'waiting' RETURNING`, with its next seq), insert the `joined` line and count the queue's
  revision. The lock is a statement of its own so that the count of the agent's chats in
  the next one is read after it (READ COMMITTED: each statement reads the database as of
  its start): of one agent's tabs accepting two chats at once, the later counts the
  earlier's chat. Sent as one simple-protocol query, which PostgreSQL runs as one
  transaction (or as part of the caller's, inside an atomic block): no BEGIN and COMMIT
  round trips.
- SQLite, 3 statements in one IMMEDIATE transaction (the write lock from BEGIN: accepts
  take turns anyway): the same UPDATE … RETURNING, the INSERT, the revision.

The UPDATE answers what the winner's consoles and the chat's sockets are told (the
chat's fields for the card, the seq of its `joined` line, the agent's alerts and how many
chats they now hold): nothing is read again after commit. A refused accept costs one more
read, to say why.
"""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import DEFERRED

from livechat import events
from livechat.errors import AtCapacity, Away, ChatError, Taken
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
# The agent's other active chats (the chat itself left out: the count is the same whether
# the database reads the row before the change, PostgreSQL, or after it, SQLite).
HELD = (
    "(SELECT COUNT(*) FROM livechat_chat AS held WHERE held.state = %(active)s"
    " AND held.agent_id = %(agent)s AND held.id <> %(chat)s)"
)
AWAY = "COALESCE((SELECT away FROM livechat_agentpresence WHERE agent_id = %(agent)s), FALSE)"
WAITING = "id = %(chat)s AND state = %(waiting)s AND seen_at >= %(since)s"
# Only these constants are joined into the statements; every value is a parameter.
TAKE = (
    "UPDATE livechat_chat SET state = %(active)s, agent_id = %(agent)s, accepted_at = %(now)s,"  # noqa: S608
    " wait_seconds = {waited}, last_seq = last_seq + 1"
    f" WHERE {WAITING} AND NOT {AWAY} AND {HELD} < %(capacity)s"
    f" RETURNING {{fields}}, {HELD},"
    " (SELECT alerts FROM livechat_agentpresence WHERE agent_id = %(agent)s)"
)
JOINED = (
    "INSERT INTO livechat_message"
    " (chat_id, seq, author, name, body, client_id, sent_at, event, params)"
    " {rows} %(chat)s, {seq}, %(system)s, '', %(body)s, '', %(now)s, %(event)s, %(params)s {end}"
)
# Made on first use (a flushed test database has no row either).
REVISION = (
    "INSERT INTO livechat_queuerevision (id, revision) {rows} %(revision_row)s, 1 {end}"
    " ON CONFLICT (id) DO UPDATE SET revision = livechat_queuerevision.revision + 1"
    " RETURNING revision"
)
TAKE_ALL = (
    "SELECT 1 FROM {users} WHERE id = %(agent)s FOR UPDATE;"
    " WITH won AS ({take}), joined AS ({joined}), revision AS ({revision})"
    " SELECT won.*, revision.revision FROM won, revision"
)
WHY = f"SELECT EXISTS (SELECT 1 FROM livechat_chat WHERE {WAITING}), {AWAY}, {HELD}"  # noqa: S608


class Decided(NamedTuple):
    chat: Chat  # built from what the UPDATE answered, with its agent in hand
    joined: Message  # the `joined` line, as stored
    revision: int  # the queue's revision this change made
    holding: int  # the agent's active chats, this one included
    alerts: bool  # the agent's new-chat alerts (their `status` frame)


def decide(*, chat_id, agent, now: datetime) -> Decided:
    """Give the waiting chat to `agent`, or raise Taken, Away or AtCapacity (nothing
    changed then). Runs its own transaction, or joins the caller's."""
    said = {"agent": agent_name(agent)}
    params = _params(chat_id, agent, said, now)
    take = _take_on_postgresql if connection.vendor == "postgresql" else _take
    row = take(params)
    if row is None:
        raise _refusal(params)
    *fields, held, alerts, revision = row
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


def _take_on_postgresql(params: dict) -> tuple | None:
    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    joined = JOINED.format(rows="SELECT", seq="last_seq", end="FROM won")
    revision = REVISION.format(rows="SELECT", end="FROM won")
    query = TAKE_ALL.format(users=users, take=_take_sql(), joined=joined, revision=revision)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        cursor.nextset()  # past the lock's row, to the take's
        return cursor.fetchone()


def _take(params: dict) -> tuple | None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_take_sql(), params)
        row = cursor.fetchone()
        if row is None:
            return None
        seq = row[CHAT_FIELDS.index("last_seq")]
        joined = JOINED.format(rows="VALUES (", seq="%(seq)s", end=")")
        cursor.execute(joined, params | {"seq": seq})
        cursor.execute(REVISION.format(rows="VALUES (", end=")"), params)
        [revision] = cursor.fetchone()
    return (*row, revision)


def _refusal(params: dict) -> ChatError:
    """Why the chat was not given: it is not waiting (any more), or the agent is away, or
    at capacity."""
    with connection.cursor() as cursor:
        cursor.execute(WHY, params)
        waiting, away, held = cursor.fetchone()
    if waiting and away:
        return Away()
    if waiting and held >= settings.LIVECHAT_AGENT_CAPACITY:
        return AtCapacity()
    return Taken()  # or it changed since, and the agent may try again


def _chat(chat_id, fields: list) -> Chat:
    """The chat as answered, its other fields deferred (from_db takes every field's value,
    in the model's order, or DEFERRED)."""
    answered = {"id": chat_id, **dict(zip(CHAT_FIELDS, fields, strict=True))}
    names = [field.attname for field in Chat._meta.concrete_fields]
    return Chat.from_db(connection.alias, names, [answered.get(n, DEFERRED) for n in names])


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
        "capacity": settings.LIVECHAT_AGENT_CAPACITY,
        "system": Message.Author.SYSTEM,
        "body": events.english(events.JOINED, said),
        "event": events.JOINED,
        "params": Message._meta.get_field("params").get_db_prep_value(said, connection),
        "revision_row": QueueRevision.ROW,
    }
