"""The reference of accept_contention: a raw conditional UPDATE loop, run inside a portal's
environment so that it uses the portal's database, engine settings and pragmas.

`agents` threads, each with a connection of its own, work the same queue of `chats` waiting
rows as an agent works the console: read the head of the queue (past the rows already
tried), try to take it with one `UPDATE ... WHERE id = %s AND state = 'waiting'`
transaction, as the portal decides an accept, until no row is left; a row is taken by
whoever changed it.

    python -m bench.raw_accepts AGENTS CHATS    (prints JSON)
"""

import json
import sys
import threading
import time

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

CREATE = (
    "CREATE TABLE bench_raw_chat "
    "(id INTEGER PRIMARY KEY, state VARCHAR(16) NOT NULL, agent INTEGER NULL)"
)
INSERT = "INSERT INTO bench_raw_chat (id, state) VALUES (%s, 'waiting')"
ACCEPT = (
    "UPDATE bench_raw_chat SET state = 'active', agent = %s WHERE id = %s AND state = 'waiting'"
)
HEAD = "SELECT id FROM bench_raw_chat WHERE state = 'waiting' AND id > %s ORDER BY id LIMIT 1"
TAKEN = "SELECT COUNT(*) FROM bench_raw_chat WHERE state = 'active'"


def _prepare(chats: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_chat")
        cursor.execute(CREATE)
        cursor.executemany(INSERT, [(n,) for n in range(1, chats + 1)])
    connection.close()


def _agent(agent: int, start: threading.Barrier, won: list[int]) -> None:
    start.wait()
    tried = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(HEAD, [tried])
            if (head := cursor.fetchone()) is None:
                break
            tried = head[0]
            with transaction.atomic():
                cursor.execute(ACCEPT, [agent, tried])
                if cursor.rowcount == 1:
                    won.append(tried)
    connection.close()


def race(agents: int, chats: int) -> dict:
    """Answer accepts per second, and how many rows were taken more than once."""
    _prepare(chats)
    won: list[int] = []
    start = threading.Barrier(agents + 1)
    threads = [
        threading.Thread(target=_agent, args=(agent, start, won)) for agent in range(1, agents + 1)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute(TAKEN)
        taken = cursor.fetchone()[0]
    return {
        "per_second": len(set(won)) / elapsed,
        "double": len(won) - len(set(won)),
        "taken": taken,
    }


if __name__ == "__main__":
    print(json.dumps(race(int(sys.argv[1]), int(sys.argv[2]))))
