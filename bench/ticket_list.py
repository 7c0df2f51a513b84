"""ticket_list: requests per second and p99 of My Technical Issues (/tech-issues/) for a
member with 500 tickets, against a bare Django view returning a fixed response
(/bench/fixed/, bench/urls.py) on the same daphne process with the same signed-in session;
and SQL queries per request for members with 10, 100 and 1,000 tickets, which must not grow.

The two pages are loaded in turns, twice, and the best of each kept: other work on the
machine then costs both alike.

    python -m bench.ticket_list
"""

from bench.httpload import Tally, load
from bench.portal import Portal
from bench.results import Result, report

TICKETS = 500
SIZES = (10, 100, 1_000)
SECONDS = 4.0
PAGE, FIXED = "/tech-issues/", "/bench/fixed/"


def _best(port: int, session: str, seconds: float) -> dict[str, Tally]:
    best: dict[str, Tally] = {}
    load(port, FIXED, session, duration=1.0)  # warm up both processes and the server
    for _round in range(2):
        for path in (FIXED, PAGE):
            tally = load(port, path, session, duration=seconds)
            if tally.failed:
                raise RuntimeError(f"{tally.failed} requests to {path} failed")
            if path not in best or tally.per_second > best[path].per_second:
                best[path] = tally
    return best


def run(tickets=TICKETS, sizes=SIZES, seconds=SECONDS) -> list[Result]:
    with Portal() as portal:
        session = portal.seed("member_with_tickets", str(tickets))
        members = [portal.seed("member_with_tickets", str(size)) for size in sizes]
        counts = portal.python("bench.queries", PAGE, *members)
        best = _best(portal.port, session, seconds)
    page, fixed = best[PAGE], best[FIXED]
    name = f"ticket_list ({tickets} tickets)"
    return [
        Result(
            f"{name} requests/s",
            page.per_second,
            "requests/s",
            "fixed Django view",
            fixed.per_second,
            "ratio >= 0.8",
            page.per_second >= 0.8 * fixed.per_second,
        ),
        Result(f"{name} p99", page.p99, "ms", "fixed Django view p99", fixed.p99, "-", True),
        Result(
            f"ticket_list queries per request at {sizes[-1]} tickets",
            counts[-1],
            "queries",
            f"at {sizes[0]} tickets",
            counts[0],
            "constant (" + ", ".join(map(str, counts)) + ")",
            len(set(counts)) == 1,
        ),
    ]


if __name__ == "__main__":
    report(run())
