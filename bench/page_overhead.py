"""page overhead: what the portal's middleware costs a page. The same bare view
(bench/urls.py's fixed response) under the whole MIDDLEWARE and under none, on the same
daphne process with the same signed-in session, in turns; then each middleware added one
by one (bench/asgi.py cuts the stack), so that the costly ones show.

    python -m bench.page_overhead
"""

from bench.httpload import load
from bench.portal import Portal
from bench.results import Result, report

SECONDS = 3.0
STEP_SECONDS = 1.5


def _rate(portal: Portal, path: str, session: str, seconds: float) -> float:
    tally = load(portal.port, path, session, duration=seconds)
    if tally.failed:
        raise RuntimeError(f"{tally.failed} requests to {path} failed")
    return tally.per_second


def run(seconds=SECONDS, step_seconds=STEP_SECONDS) -> list[Result]:
    with Portal() as portal:
        stack = portal.seed("middleware")
        whole, none = f"/bench/stack/{len(stack)}/", "/bench/stack/0/"
        session = portal.seed("member", "bench-overhead")
        _rate(portal, none, session, 1.0)  # warm up
        best = {whole: 0.0, none: 0.0}
        for _round in range(2):
            for path in (none, whole):
                best[path] = max(best[path], _rate(portal, path, session, seconds))
        steps = [
            _rate(portal, f"/bench/stack/{n}/", session, step_seconds) for n in range(1, len(stack))
        ]
    ratio = best[whole] / best[none]
    results = [
        Result(
            "page overhead: bare view, whole middleware stack",
            best[whole],
            "requests/s",
            "the same view, no middleware",
            best[none],
            "ratio >= 0.5",
            ratio >= 0.5,
        )
    ]
    rates = [best[none], *steps, best[whole]]
    for n, name in enumerate(stack, start=1):
        results.append(
            Result(
                f"page overhead: + {name.rsplit('.', 1)[-1]}",
                rates[n],
                "requests/s",
                "the stack before it",
                rates[n - 1],
                "-",
                True,
            )
        )
    return results


if __name__ == "__main__":
    report(run())
