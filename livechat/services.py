"""The chat's writes: each one stores first and answers what changed, for broadcasting.

Every rule of the chat's life lives here or on the models (docs/architecture.md); the
consumers and views only parse, authorise and call these.
"""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.utils.translation import gettext as _
from django.utils.translation import override

from livechat import accept, events, sql
from livechat.errors import AtCapacity, ChatError, ChatOver, Taken
from livechat.models import Chat, Message, QueueRevision, agent_name
from livechat.transcripts import transcript_send_on_commit
from portal.access import can_open_tech_issues
from portal.durations import Seconds, seconds_between
from tickets.services import ticket_submit

OPEN_STATES = (Chat.State.WAITING, Chat.State.ACTIVE)
# A system note may still follow the end (the chat became a ticket afterwards).
NOTE_STATES = (Chat.State.ACTIVE, Chat.State.ENDED)


class Update(NamedTuple):
    """What a write changed: the messages it stored and whether the state or queue moved."""

    chat: Chat
    # Message instances, or a `say`'s sql.Said (what a frame needs, without a model).
    messages: tuple[Message | sql.Said, ...] = ()
    state_changed: bool = False
    queue_changed: bool = False
    # The queue's revision the change made (livechat.models.QueueRevision), when it did.
    revision: int = 0
    # A `say` whose client_id was stored already: the stored message, for its sender only.
    resent: sql.Said | None = None
    # The agent's chats held and new-chat alerts after the change, when the write knows
    # them (an accept, which only an available agent makes): their consoles' `status` is
    # sent from these instead of each console reading it again.
    held: tuple[int, bool] | None = None


def chat_open(
    *, name, email, member_id, question, session_key, now: datetime, user=None, language=""
) -> Update:
    """Queue a new chat; the question is its first message. A session or member who has
    a chat open already gets that one back, unchanged (no messages): never a second place
    in the queue (a closed tab, a double click, another device)."""
    with transaction.atomic():
        mine = Chat.objects.open_for(session_key=session_key, user=user, now=now).first()
        if mine is not None:
            return Update(mine)
        chat, message = _chat_create(
            Chat.State.WAITING, name, email, member_id, question, session_key, user, language, now
        )
        revision = QueueRevision.bump()
    return Update(chat, (message,), state_changed=True, queue_changed=True, revision=revision)


def _chat_create(state, name, email, member_id, question, session_key, user, language, now):
    """A new chat in `state` whose first message is the member's question."""
    chat = Chat.objects.create(
        state=state,
        name=name,
        email=email,
        member_id=member_id,
        question=question,
        session_key=session_key,
        user=user,
        language=language,
        created=now,
        seen_at=now,
    )
    return chat, _append(chat, Message.Author.MEMBER, name, question, now=now, states=[state])


def chat_follow_sign_in(*, chat_ids: list[str], session_key: str, user) -> int:
    """Keep a visitor's open chats when they sign in: Django gives the session a new key
    at sign-in, and the chats belong to the session. Answer how many chats followed."""
    chats = Chat.objects.filter(pk__in=chat_ids, state__in=OPEN_STATES)
    chats.filter(user__isnull=True).update(user=user)
    return chats.update(session_key=session_key)


def chat_say(*, chat: Chat, author: str, name: str, body: str, client_id: str, now) -> Update:
    """Store a message once per `client_id`: a resend answers the stored one, unchanged.
    One side of a chat says at most LIVECHAT_RATE_LIMIT, however many sockets it has open
    (SlowDown); each socket also holds itself to it without the database. The sockets
    store through livechat.writer, in batches, by the same rules (livechat.sql)."""
    say = sql.Say(chat.pk, author, name, body, client_id, now)
    try:
        with transaction.atomic():
            [outcome] = sql.store([say])
    except IntegrityError:
        # The same client_id committed by a concurrent writer in between (PostgreSQL):
        # stored again, the batch finds it.
        with transaction.atomic():
            [outcome] = sql.store([say])
    if isinstance(outcome, ChatError):
        raise outcome
    if outcome.resent:
        return Update(chat, resent=outcome.message)
    return Update(chat, (outcome.message,))


def chat_accept(*, chat_id, agent, now: datetime) -> Update:
    """Give a waiting chat to this agent: of two clicking at once exactly one wins, within
    their capacity (of one agent's tabs accepting two chats at once on PostgreSQL, the
    later counts the earlier's chat), and an agent who is away takes no new chat. In
    plain SQL, in as few statements as the rules allow (livechat/accept.py); the update
    holds what the agent's `status` now says, so that nobody reads it again."""
    decided = accept.decide(chat_id=chat_id, agent=agent, now=now)
    return Update(
        decided.chat,
        (decided.joined,),
        state_changed=True,
        queue_changed=True,
        revision=decided.revision,
        held=(decided.holding, decided.alerts),
    )


def within_capacity(agent) -> None:
    """Refuse (AtCapacity) when the agent now holds more chats than allowed: call inside
    the transaction that gave them one. The agent's row is locked first, so of one agent's
    tabs taking two chats at once on PostgreSQL, the later counts the earlier's chat."""
    get_user_model().objects.select_for_update().filter(pk=agent.pk).values_list("pk").get()
    if Chat.objects.active_for(agent).count() > settings.LIVECHAT_AGENT_CAPACITY:
        raise AtCapacity


def chat_end(*, chat: Chat, by: str, now: datetime) -> Update:
    """End an open chat (either side may); a chat still waiting leaves the queue."""
    with transaction.atomic():
        note = _event(chat, events.ENDED, {"by": by}, now=now)
        was_waiting = _close(chat, Chat.State.ENDED, now)
        if not was_waiting:  # a chat that never began has no conversation to send
            transcript_send_on_commit(chat)
        revision = QueueRevision.bump() if was_waiting else 0
    return Update(chat, (note,), state_changed=True, queue_changed=was_waiting, revision=revision)


def chat_seen(*, chat: Chat, now: datetime) -> Update:
    """Note that the member's page is open. A member back in time keeps the place; one
    back too late finds the chat abandoned."""
    if Chat.objects.waiting(now).filter(pk=chat.pk).update(seen_at=now):
        return Update(chat)
    return _abandon(chat, now) or Update(chat)


def chats_seen(*, chat_ids: list, now: datetime) -> list[Update]:
    """chat_seen for many chats at once (the pages open on one process) in two queries:
    answer the updates of those found abandoned."""
    Chat.objects.waiting(now).filter(pk__in=chat_ids).update(seen_at=now)
    return chat_abandon_stale(now=now, among=chat_ids)


def chat_abandon_stale(*, now: datetime, among: list | None = None) -> list[Update]:
    """Drop from the queue every waiting member (of the chats `among`, if given) whose page
    has been gone too long."""
    stale = Chat.objects.stale(now)
    if among is not None:
        stale = stale.filter(pk__in=among)
    return [update for chat in stale if (update := _abandon(chat, now))]


def chat_to_ticket(*, chat: Chat, agent, now: datetime):
    """Turn the agent's chat into a ticket of its member (the transcript is the ticket's
    first message), assigned to that agent, once: an active chat, which ends, or one
    that ended a short while ago (Chat.convertible). Answer the ticket and the update."""
    if chat.agent_id != agent.pk or not chat.convertible(now):
        raise ChatError
    if refusal := convert_refusal(chat):
        raise ChatError(refusal)
    was_active = chat.state == Chat.State.ACTIVE
    with transaction.atomic():
        # Of two converts at once, the second finds the ticket (the row is locked until
        # commit on PostgreSQL; SQLite's IMMEDIATE transactions take turns anyway).
        if not Chat.objects.select_for_update().filter(pk=chat.pk, ticket=None).exists():
            raise ChatError
        ticket = ticket_submit(
            member=chat.user,
            language=chat.language or "en",
            summary=chat.question.splitlines()[0][:100],
            description=transcript(chat, chat.language or "en"),
            assignee=agent,
        )
        Chat.objects.filter(pk=chat.pk).update(ticket=ticket)
        note = _event(
            chat, events.CONVERTED, {"reference": ticket.reference}, now=now, states=NOTE_STATES
        )
        if was_active:  # a chat converted after its end had its transcript sent then
            _close(chat, Chat.State.ENDED, now)
            transcript_send_on_commit(chat)
    chat.ticket = ticket
    return ticket, Update(chat, (note,), state_changed=was_active)


def chat_leave_message(
    *, name, email, member_id, question, session_key, now: datetime, user=None, language=""
) -> Chat:
    """Keep a question asked while nobody can chat (outside support hours, or no agent
    available): an "offline message", answered by e-mail from the console."""
    with transaction.atomic():
        chat, _question = _chat_create(
            Chat.State.OFFLINE, name, email, member_id, question, session_key, user, language, now
        )
    return chat


def chat_answer_message(*, chat: Chat, agent, body: str, now: datetime) -> Message:
    """An agent's answer to an offline message, e-mailed to the member with the question
    (the transcript). Answered once: another agent's answer raises Taken."""
    with transaction.atomic():
        try:
            answer = _append(
                chat,
                Message.Author.AGENT,
                agent_name(agent),
                body,
                now=now,
                states=[Chat.State.OFFLINE],
            )
        except ChatOver:
            raise Taken from None
        Chat.objects.filter(pk=chat.pk).update(
            state=Chat.State.ANSWERED,
            agent=agent,
            accepted_at=now,
            ended_at=now,
            wait_seconds=seconds_between(chat.created, now),
            handle_seconds=0,
        )
        transcript_send_on_commit(chat)
    return answer


def convert_refusal(chat: Chat) -> str:
    """Why this chat cannot become a ticket ("" when it can)."""
    if chat.user is None:
        return str(_("The visitor is not signed in: ask them to sign in and file a ticket."))
    if not can_open_tech_issues(chat.user):
        return str(_("The member's rank does not open Technical Issues."))
    return ""


def transcript(chat: Chat, language: str) -> str:
    """The chat as plain text for a reader of `language` (a ticket's first message, an
    e-mail), system lines in that language."""
    with override(language):
        lines = [_("Tech Support Chat with %(name)s <%(email)s>") % vars(chat)]
        for message in chat.messages.order_by("seq"):
            who = message.name or message.get_author_display()
            text = events.render(message, language)
            lines.append(f"[{message.sent_at:%Y-%m-%d %H:%M}] {who}: {text}")
    return "\n".join(lines)


def _event(chat: Chat, code: str, params: dict, *, now, states=OPEN_STATES) -> Message:
    """Store a system line as what happened (livechat/events.py); its body is English."""
    body = events.english(code, params)
    return _append(
        chat, Message.Author.SYSTEM, "", body, now=now, event=code, params=params, states=states
    )


def _append(
    chat: Chat, author, name, body, client_id="", *, now, event="", params=None, states=OPEN_STATES
) -> Message:
    """Store the chat's next message. Allocating the seq is an UPDATE of the chat's counter,
    which holds the row's write lock until commit, so concurrent writers queue up; the
    unique (chat, seq) constraint is the backstop. Call inside a transaction."""
    if not Chat.objects.filter(pk=chat.pk, state__in=states).update(last_seq=F("last_seq") + 1):
        raise ChatOver
    seq = Chat.objects.filter(pk=chat.pk).values_list("last_seq", flat=True).get()
    return Message.objects.create(
        chat=chat,
        seq=seq,
        author=author,
        name=name,
        body=body,
        client_id=client_id,
        sent_at=now,
        event=event,
        params=params or {},
    )


def _abandon(chat: Chat, now: datetime) -> Update | None:
    with transaction.atomic():
        stale = Chat.objects.stale(now).filter(pk=chat.pk)
        if not stale.update(state=Chat.State.ABANDONED, ended_at=now):
            return None
        revision = QueueRevision.bump()
    chat.state, chat.ended_at = Chat.State.ABANDONED, now
    return Update(chat, state_changed=True, queue_changed=True, revision=revision)


def _close(chat: Chat, state: str, now: datetime) -> bool:
    """Move an open chat to an ended state; answer whether it was still waiting. Call after
    _append, in its transaction: the chat is open, and locked until commit."""
    ended = {"state": state, "ended_at": now}
    # Handled from acceptance (a chat never accepted has no handle time: NULL).
    handled = {"handle_seconds": Seconds(Value(now), "accepted_at")}
    # An active chat never waits again, so only a chat read as waiting may still be.
    was_waiting = chat.state == Chat.State.WAITING and bool(
        Chat.objects.filter(pk=chat.pk, state=Chat.State.WAITING).update(**ended)
    )
    if not was_waiting:
        active = Chat.objects.filter(pk=chat.pk, state=Chat.State.ACTIVE)
        if not active.update(**ended, **handled):
            raise ChatOver
        if chat.state == Chat.State.WAITING:
            chat.refresh_from_db()  # accepted since it was read: the agent came with that
    chat.state, chat.ended_at = state, now
    return was_waiting
