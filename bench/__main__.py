"""Run every benchmark in one go: `python -m bench [name ...]` (make bench)."""

import importlib
import sys
import time

from bench.results import Result, attempt, failed, report, write

BENCHMARKS = [
    "screenshot_pipeline",
    "ticket_list",
    "page_overhead",
    "reports",
    "accept_contention",
    "chat_resume",
    "chat_throughput",
    "chat_latency",
    "console_fanout",
    "idle_sockets",
]


def main(names: list[str]) -> int:
    """Run the benchmarks, print the table, write results.json; answer 1 if one of them
    could not run (a goal not met is a finding, not a failure)."""
    results: list[Result] = []
    for name in names or BENCHMARKS:
        started = time.monotonic()
        print(f"== {name}", flush=True)
        produced = attempt(name, lambda name=name: importlib.import_module(f"bench.{name}").run())
        report(produced)
        results.extend(produced)
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    print()
    report(results)
    write(results)
    return 1 if failed(results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
