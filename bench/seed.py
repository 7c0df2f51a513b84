"""Data for the benchmarks, written straight to a portal's database (run in the portal's
environment by Portal.seed): `python -m bench.seed WHAT ARGS...` prints JSON.

Passwords are unusable and sessions are made here, so no benchmark pays for password hashing
or trips the sign-in lockout.
"""

import contextlib
import json
import sys
import uuid
from datetime import timedelta

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.access import make_agent_of  # noqa: E402
from portal.models import Rank  # noqa: E402

MODEL_BACKEND = "portal.backends.MemberBackend"
QUESTION = "I cannot sign in to the order page since this morning, it says my session expired."


def session_for(user: User) -> str:
    """A signed-in session of this user, as login() would make it; answer its key."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def make_user(username: str, **fields) -> User:
    user = User(username=username, email=f"{username}@example.com", **fields)
    user.set_unusable_password()
    user.save()
    return user


def agents(count: str) -> list[str]:
    """`count` agents; answer a signed-in session key of each."""
    sessions = []
    for n in range(int(count)):
        agent = make_user(f"bench-agent-{uuid.uuid4().hex[:12]}", first_name=f"Agent {n}")
        make_agent_of(agent)
        sessions.append(session_for(agent))
    return sessions


def member(username: str) -> str:
    """A Silver member; answer a signed-in session key."""
    user = make_user(username, first_name=username.title())
    user.profile.rank = Rank.SILVER
    user.profile.save()
    return session_for(user)


def chats(count: str) -> list[list[str]]:
    """`count` waiting chats, oldest first, each opened by a visitor's session of its own;
    answer [chat id, session key] of each."""
    from livechat.services import chat_open

    opened, start = [], timezone.now()
    for n in range(int(count)):
        store = SessionStore()
        store.create()
        update = chat_open(
            name=f"Visitor {n}",
            email=f"visitor{n}@example.com",
            member_id="",
            question=QUESTION,
            session_key=store.session_key,
            now=start + timedelta(milliseconds=n),
        )
        opened.append([str(update.chat.id), store.session_key])
    return opened


def conversations(count: str) -> list[list[str]]:
    """`count` chats, each accepted by an agent of its own; answer [chat id, member's
    session key, agent's session key] of each."""
    from livechat.services import chat_accept

    agent_sessions = agents(count)
    group = []
    for (chat, member_session), agent_session in zip(chats(count), agent_sessions, strict=True):
        agent = User.objects.get(pk=SessionStore(agent_session)[SESSION_KEY])
        chat_accept(chat_id=chat, agent=agent, now=timezone.now())
        group.append([chat, member_session, agent_session])
    return group


def history(count: str) -> list:
    """An accepted chat whose member has sent `count` messages; answer [chat id, member's
    session key, the last seq before those messages]."""
    from livechat.models import Chat
    from livechat.services import chat_say

    chat_id, member_session, _agent = conversations("1")[0]
    chat = Chat.objects.get(pk=chat_id)
    before = chat.last_seq
    for n in range(int(count)):
        body = f"{n}: {QUESTION}"
        client_id = str(uuid.uuid4())
        chat_say(
            chat=chat,
            author="member",
            name="Visitor",
            body=body,
            client_id=client_id,
            now=timezone.now(),
        )
    return [chat_id, member_session, before]


def member_with_tickets(count: str) -> str:
    """A Silver member who has filed `count` tickets; answer a signed-in session key."""
    from tickets.services import ticket_submit

    session = member(f"bench-member-{uuid.uuid4().hex[:12]}")
    user = User.objects.get(pk=SessionStore(session)[SESSION_KEY])
    for n in range(int(count)):
        ticket_submit(
            member=user,
            language="en",
            summary=f"Order {n} cannot be processed",
            description=QUESTION,
        )
    return session


def said() -> int:
    """How many messages the sockets stored (a client_id: not the questions or notes)."""
    from livechat.models import Message

    return Message.objects.exclude(client_id="").count()


def middleware() -> list[str]:
    """The portal's MIDDLEWARE, in order (bench/page_overhead.py adds them one by one)."""
    from django.conf import settings

    return list(settings.MIDDLEWARE)


def with_durations(rows: list) -> list:
    """The rows with the durations their save() would store (bulk_create calls none)."""
    for row in rows:
        for name, value in row.durations().items():
            setattr(row, name, value)
    return rows


def support_history(tickets: str, chats: str, days: str = "30") -> str:
    """`tickets` tickets and `chats` chats spread over the last `days` days, answered,
    resolved and rated in proportions like a real queue's (bulk inserts: the reports page
    is measured, not the seeding); answer a signed-in session of an agent of theirs."""
    import random

    from livechat.models import Chat
    from tickets.models import Ticket

    rng, span = random.Random(7), timedelta(days=int(days))
    team = [
        make_user(f"bench-agent-{uuid.uuid4().hex[:12]}", first_name=f"Agent {n}") for n in range(6)
    ]
    for person in team:
        make_agent_of(person)
    members = [make_user(f"bench-member-{uuid.uuid4().hex[:12]}") for _ in range(50)]
    start, now = Ticket.objects.count(), timezone.now()
    moments = [now - span * rng.random() for _ in range(int(tickets) + int(chats))]
    rows = [
        _history_ticket(n, start, created, rng, team, members)
        for n, created in enumerate(moments[: int(tickets)])
    ]
    Ticket.objects.bulk_create(with_durations(rows), batch_size=2_000)
    rows = [
        _history_chat(n, created, rng, team) for n, created in enumerate(moments[int(tickets) :])
    ]
    Chat.objects.bulk_create(with_durations(rows), batch_size=2_000)
    return session_for(team[0])


def _history_ticket(n, start, created, rng, team, members):
    """The nth ticket of a support history: 4 in 5 answered, half of those resolved."""
    from tickets.models import Ticket

    answered = created + timedelta(minutes=rng.randrange(5, 600)) if n % 5 else None
    resolved = answered + timedelta(hours=rng.randrange(1, 72)) if answered and n % 2 else None
    rated = resolved and n % 3 == 0
    return Ticket(
        reference=f"B-{start + n:07d}",
        member=rng.choice(members),
        language=rng.choice(["en", "pl", "de", "es"]),
        summary=f"Order {n} cannot be processed",
        status="resolved" if resolved else ("awaiting_member" if answered else "new"),
        assignee=rng.choice(team) if answered else None,
        created_at=created,
        last_member_activity=created,
        last_activity=resolved or answered or created,
        first_response_at=answered,
        first_response_due=created + timedelta(hours=4),
        resolved_at=resolved,
        resolution_due=created + timedelta(days=2),
        rating=rng.randrange(1, 6) if rated else None,
        rated_at=resolved if rated else None,
    )


def _history_chat(n, created, rng, team):
    """The nth chat of a support history: 5 in 6 answered, a quarter of those rated."""
    from livechat.models import Chat

    accepted = created + timedelta(seconds=rng.randrange(5, 900)) if n % 6 else None
    ended = (accepted or created) + timedelta(seconds=rng.randrange(60, 3_600))
    rated = accepted and n % 4 == 0
    return Chat(
        state="ended" if accepted else "abandoned",
        name="Member",
        email="member@example.com",
        question=QUESTION,
        language=rng.choice(["en", "pl", ""]),
        session_key="bench",
        agent=rng.choice(team) if accepted else None,
        created=created,
        seen_at=ended,
        accepted_at=accepted,
        ended_at=ended,
        rating=rng.randrange(1, 6) if rated else None,
        rated_at=ended if rated else None,
    )


COMMANDS = {
    "middleware": middleware,
    "said": said,
    "support_history": support_history,
    "member_with_tickets": member_with_tickets,
    "history": history,
    "agents": agents,
    "member": member,
    "chats": chats,
    "conversations": conversations,
}

if __name__ == "__main__":
    what, *args = sys.argv[1:]
    # The console e-mail backend writes to stdout, which carries the answer.
    with contextlib.redirect_stdout(sys.stderr):
        answer = COMMANDS[what](*args)
    print(json.dumps(answer))
