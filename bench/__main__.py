"""Run every benchmark in one go: `python -m bench [name ...]` (make bench)."""

import importlib
import sys
import time

from bench.machine import Watch
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
    machine = {}
    for name in names or BENCHMARKS:
        started = time.monotonic()
        print(f"== {name}", flush=True)
        with Watch() as watch:
            run = lambda name=name: importlib.import_module(f"bench.{name}").run()  # noqa: E731
            produced = attempt(name, run)
        report(produced)
        results.extend(produced)
        machine[name] = watch.account
        print(f"   ({time.monotonic() - started:.0f} s; {watch.account})", flush=True)
    print()
    report(results)
    for name, spent in machine.items():
        print(f"{name}: {spent}")
    write(results, machine=machine)
    return 1 if failed(results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
