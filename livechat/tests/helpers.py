from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User
from django.db import connection

from livechat.errors import Taken
from livechat.services import chat_accept, chat_open, chat_say

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """A moment `seconds` after T0: the tests' injected clock."""
    return T0 + timedelta(seconds=seconds)


def open_chat(
    name="Visitor", *, session_key="s-visitor", now=T0, question="I cannot log in", **extra
):
    return chat_open(
        name=name,
        email=f"{name.lower()}@example.com",
        member_id="",
        question=question,
        session_key=session_key,
        now=now,
        **extra,
    ).chat


def race(writers: int, messages: int) -> dict:
    """Let threads talk in one chat and agents grab another, all at once; answer the seqs
    stored and how many accepts won. Run inside a portal with a real SQLite file (WAL,
    BEGIN IMMEDIATE): the tests' in-memory database fails at once instead of waiting."""
    talk, grab = open_chat("Talk"), open_chat("Grab", session_key="s-grab")
    agents = [User.objects.create_user(f"racer{n}", is_staff=True) for n in range(writers)]

    def work(n):
        try:
            for m in range(messages):
                chat_say(
                    chat=talk, author="member", name="T", body="hi", client_id=f"{n}-{m}", now=T0
                )
            try:
                chat_accept(chat_id=grab.pk, agent=agents[n], now=T0)
                return 1
            except Taken:
                return 0
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=writers) as pool:
        won = sum(pool.map(work, range(writers)))
    seqs = list(talk.messages.order_by("seq").values_list("seq", flat=True))
    return {"seqs": seqs, "won": won}
