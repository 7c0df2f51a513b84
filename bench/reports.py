"""reports: the support lead's page (/reports/, its default 30 days) with 50,000 tickets
and 50,000 chats in the period, as a ratio to the admin's ticket changelist (the agents'
queue, 100 rows a page) in the same run on the same daphne process; and SQL queries per
request of the reports page at 1,000 and at 50,000 of each, which must not grow.

The two pages are requested in turns, one at a time (a person reading, not a load), and the
median of each kept.

    python -m bench.reports
"""

import http.client
import statistics
import time

from bench.portal import Portal
from bench.results import Result

SMALL, LARGE = 1_000, 50_000
ROUNDS = 15
PAGE, QUEUE = "/reports/", "/admin/tickets/ticket/"
GOAL_MS = 300


def _get_ms(port: int, path: str, session: str) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
    response = connection.getresponse()
    response.read()
    spent = (time.perf_counter() - started) * 1000
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return spent


def _medians(port: int, session: str, rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {PAGE: [], QUEUE: []}
    for path in times:  # warm up both
        _get_ms(port, path, session)
    for _round in range(rounds):
        for path, spent in times.items():
            spent.append(_get_ms(port, path, session))
    return {path: statistics.median(spent) for path, spent in times.items()}


def run(small=SMALL, large=LARGE, rounds=ROUNDS) -> list[Result]:
    with Portal() as portal:
        session = portal.seed("support_history", str(small), str(small))
        few = portal.python("bench.queries", PAGE, session)[0]
        portal.seed("support_history", str(large - small), str(large - small))
        many = portal.python("bench.queries", PAGE, session)[0]
        medians = _medians(portal.port, session, rounds)
    page, queue = medians[PAGE], medians[QUEUE]
    name = f"reports page ({large:,} tickets, {large:,} chats)"
    return [
        Result(
            f"{name} median",
            page,
            "ms",
            "admin ticket changelist median",
            queue,
            f"< {GOAL_MS} ms",
            page < GOAL_MS,
        ),
        Result(
            f"reports queries per request at {large:,}",
            many,
            "queries",
            f"at {small:,}",
            few,
            "constant",
            many == few,
        ),
    ]


if __name__ == "__main__":
    from bench.results import report

    report(run())
