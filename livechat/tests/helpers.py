import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User
from django.db import connection

from livechat.errors import AtCapacity, Taken
from livechat.models import Chat
from livechat.services import chat_accept, chat_open, chat_say

# Well in the past on purpose: a test that mixes this clock with the real one fails at once,
# instead of on the day the real clock passes it (which is how one was found).
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    """A moment `seconds` after T0: the tests' injected clock."""
    return T0 + timedelta(seconds=seconds)


def open_chat(name="Visitor", *, session_key=None, now=T0, question="I cannot log in", **extra):
    """A chat of its own browser session (one per name unless told): a session with a chat
    open gets that one back instead of a new one."""
    return chat_open(
        name=name,
        email=f"{name.lower()}@example.com",
        member_id="",
        question=question,
        session_key=session_key or f"s-{name.lower()}",
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


def tabs_race(tabs: int) -> int:
    """Let one agent accept `tabs` different waiting chats at the same instant, as from
    that many console tabs; answer how many accepts won. Needs a real database, as `race`."""
    agent = User.objects.create_user("tabs", is_staff=True)
    chats = [open_chat(f"Tab{n}", session_key=f"s-tab{n}") for n in range(tabs)]
    start = threading.Barrier(tabs)

    def accept(chat):
        start.wait()
        try:
            chat_accept(chat_id=chat.pk, agent=agent, now=T0)
            return 1
        except AtCapacity:
            return 0
        finally:
            connection.close()

    try:
        with ThreadPoolExecutor(max_workers=tabs) as pool:
            return sum(pool.map(accept, chats))
    finally:  # leave a shared database's queue as it was
        Chat.objects.filter(pk__in=[chat.pk for chat in chats]).delete()
        agent.delete()


def checkpointed(batches: int) -> dict:
    """Store `batches` one-message batches through the writer, then answer how many of them
    the database file itself holds once the checkpoints settle (the WAL left out: read as
    immutable), and the writer's wal_autocheckpoint. Run inside a portal with a real
    SQLite file in WAL mode."""
    import sqlite3
    import time

    from livechat import sql
    from livechat.writer import Writer

    chat = open_chat("Busy")
    writer = Writer()
    for n in range(batches):
        writer.write([sql.Say(chat.pk, "member", "Busy", f"m{n}", f"c{n}", datetime.now(UTC))])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        autocheckpoint = cursor.fetchone()[0]
    uri = f"file:{connection.settings_dict['NAME']}?immutable=1"
    deadline, in_file = time.monotonic() + 10, 0
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(uri, uri=True) as file:
                in_file = file.execute(
                    "SELECT count(*) FROM livechat_message WHERE body != ?", [chat.question]
                ).fetchone()[0]
        except sqlite3.DatabaseError:
            # Read as immutable while a checkpoint is copying pages into it, the file can
            # look malformed for a moment ("database disk image is malformed"): read again.
            pass
        else:
            if in_file >= batches - batches % 100:
                break
        time.sleep(0.05)
    return {"in_file": in_file, "autocheckpoint": autocheckpoint}
