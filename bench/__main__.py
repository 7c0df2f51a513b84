"""Run every benchmark in one go: `python -m bench [name ...]` (make bench)."""

import importlib
import sys
import time

from bench.results import Result, report, write

BENCHMARKS = [
    "screenshot_pipeline",
    "ticket_list",
    "accept_contention",
    "chat_resume",
    "chat_throughput",
    "chat_latency",
    "console_fanout",
    "idle_sockets",
]


def main(names: list[str]) -> None:
    results: list[Result] = []
    for name in names or BENCHMARKS:
        started = time.monotonic()
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        produced = module.run()
        report(produced)
        results.extend(produced)
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    print()
    report(results)
    write(results)


if __name__ == "__main__":
    main(sys.argv[1:])
