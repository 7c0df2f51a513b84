"""Group commit: one writer thread per process stores every socket's messages, as many as
are waiting, in one transaction on a connection it keeps.

A message costs a commit (and on SQLite with synchronous=FULL an fsync) only once per
batch, and no connection is opened or closed per message (Channels'
database_sync_to_async closes old connections around every call, which with
CONN_MAX_AGE = 0 reopens SQLite each time). The outcomes are handed back only after the
commit, a whole batch in one call on the event loop that gave the messages (one wake-up
of the loop per batch, not one per message): nothing is acknowledged or broadcast before
it is stored.

A batch that fails in the database (a lost connection, a client_id committed meanwhile by
another process) is rolled back and each of its messages is tried alone; one that fails
alone too is answered `not_stored`, and the writer goes on with the next batch.
"""

import asyncio
import contextlib
import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Callable

from django.db import IntegrityError, connection, transaction

from livechat import sql
from livechat.errors import NotStored

CLOSE = object()  # the request to close the connection, in the queue of messages
MAX_BATCH = 500  # messages in one transaction: bounds how long one commit holds the lock
Settle = Callable[[list[tuple[object, sql.Outcome]]], None]

logger = logging.getLogger("livechat")


class Writer:
    def __init__(self):
        # Lists of messages, one per pass of an event loop that handed some over.
        self.pending: queue.SimpleQueue = queue.SimpleQueue()
        self.handing: dict[asyncio.AbstractEventLoop, list] = {}  # this pass's, per loop
        self.left: list = []  # taken from the queue beyond MAX_BATCH: the next batch's
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def say(self, say: sql.Say, sender, settle: Settle) -> None:
        """Hand a message to the writer. Once the batch holding it is committed, `settle`
        is called on this event loop with the (sender, sql.Outcome) of each message of the
        batch that named it, in order.

        The messages of one pass of the loop reach the writer together, at the end of the
        pass: one put (a wake-up of the writer thread) per pass, not one per message."""
        loop = asyncio.get_running_loop()
        handing = self.handing.get(loop)
        if handing is None:
            handing = self.handing[loop] = []
            loop.call_soon(self.hand_over, loop)
        handing.append((say, sender, settle, loop))

    def hand_over(self, loop) -> None:
        self.start()
        self.pending.put(self.handing.pop(loop))

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="livechat-writer", daemon=True)
                self.thread.start()

    def close_connection(self) -> None:
        """Let the writer's kept connection go (a test database cannot be dropped while it
        is open); the next batch opens another."""
        if self.thread is not None and self.thread.is_alive():
            done = threading.Event()
            self.pending.put((CLOSE, done))
            done.wait(5)

    def run(self) -> None:
        while True:
            batch = self.take()
            outcomes = self.write([item[0] for item in batch])
            settled = defaultdict(list)
            for (_, sender, settle, loop), outcome in zip(batch, outcomes, strict=True):
                settled[settle, loop].append((sender, outcome))
            for (settle, loop), pairs in settled.items():
                # A loop closed meanwhile has no socket left to tell.
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(settle, pairs)

    def take(self) -> list:
        """Wait for messages, then take every other one waiting (up to MAX_BATCH)."""
        batch, self.left = self.left, []
        while not batch and (batch := self.pending.get())[0] is CLOSE:
            connection.close()
            batch[1].set()
            batch = []
        while len(batch) < MAX_BATCH:
            try:
                handed = self.pending.get_nowait()
            except queue.Empty:
                break
            if handed[0] is CLOSE:
                self.pending.put(handed)  # after this batch
                break
            batch.extend(handed)
        batch, self.left = batch[:MAX_BATCH], batch[MAX_BATCH:]
        return batch

    def write(self, says: list[sql.Say]) -> list[sql.Outcome]:
        """Store a batch in one transaction; answer one outcome per message."""
        try:
            return _committed(says, look_up_resends=False)
        except IntegrityError:
            pass  # a resend of a message stored earlier: again, reading the client_ids
        except Exception as error:
            return self.one_by_one(says, error)
        try:
            return _committed(says)
        except Exception as error:
            return self.one_by_one(says, error)

    def one_by_one(self, says: list[sql.Say], error: Exception) -> list[sql.Outcome]:
        """After a batch failed: each message alone, so that only what fails fails."""
        logger.warning("a batch of %d messages failed (%r): one by one", len(says), error)
        _drop_broken_connection()
        outcomes = []
        for say in says:
            try:
                outcomes.extend(_committed([say]))
            except Exception:
                logger.exception("a message to chat %s could not be stored", say.chat_id)
                _drop_broken_connection()
                outcomes.append(NotStored())
        return outcomes


def _committed(says: list[sql.Say], **options) -> list[sql.Outcome]:
    _durable()
    with transaction.atomic():
        outcomes = sql.store(says, **options)
    if _checkpoints_here:
        checkpoints.committed()
    return outcomes


CHECKPOINT_EVERY = 100  # the writer's commits between two checkpoints of SQLite's WAL


class Checkpoints:
    """SQLite in WAL mode: the WAL is copied back into the database file on a thread of
    its own, every CHECKPOINT_EVERY commits of the writer, not by whichever commit of the
    writer crosses SQLite's 1,000 pages (wal_autocheckpoint), which then waits for the
    copy and its fsyncs before the batch is told (bench/FINDINGS.md: a tenth of the commits
    took 5 ms instead of 1.5). PASSIVE: it never blocks the writer or a reader; what it
    cannot copy now (a reader still needs it) it copies next time."""

    def __init__(self):
        self.commits = 0
        self.due = threading.Event()
        self.thread: threading.Thread | None = None

    def committed(self) -> None:
        self.commits += 1
        if self.commits >= CHECKPOINT_EVERY:
            self.commits = 0
            if self.thread is None or not self.thread.is_alive():
                name = "livechat-checkpoints"
                self.thread = threading.Thread(target=self.run, name=name, daemon=True)
                self.thread.start()
            self.due.set()

    def run(self) -> None:
        while self.due.wait():
            self.due.clear()
            try:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception:
                logger.exception("a checkpoint of the WAL failed (the next one copies it)")
            finally:
                connection.close()  # not kept: a test database is dropped in between


checkpoints = Checkpoints()
_durable_connection = None
_checkpoints_here = False  # the writer's connection leaves the WAL's checkpoints to them


def _durable() -> None:
    """On SQLite the writer's connection syncs every commit to disk (synchronous=FULL; the
    rest of the portal keeps WAL's NORMAL): a message acknowledged survives a power loss,
    not only a crash. Measured (bench/FINDINGS.md): an fsync per commit costs 5-10x with
    one message per commit, 2.5x at 20, nothing at 100, and batches grow with the load."""
    global _durable_connection, _checkpoints_here
    if connection.vendor != "sqlite":
        return  # PostgreSQL syncs every commit already (fsync, synchronous_commit on)
    connection.ensure_connection()
    if connection.connection is not _durable_connection:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA journal_mode")
            _checkpoints_here = cursor.fetchone()[0] == "wal"
            if _checkpoints_here:  # on their own thread (Checkpoints)
                cursor.execute("PRAGMA wal_autocheckpoint = 0")
        _durable_connection = connection.connection


def _drop_broken_connection() -> None:
    """After an error, a connection that no longer works is closed: the next batch opens
    a new one (a kept connection must survive a database restart)."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()


writer = Writer()
