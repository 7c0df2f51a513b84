"""Measure Django 5.1+'s psycopg connection pool against a connection per request.

A daphne process on a throwaway PostgreSQL cluster answers /health/ (one query) to 4
client threads, 1,000 requests, with DJANGO_DB_POOL=true and then false.

    .venv/bin/python -m bench.db_pool
"""

import statistics
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.servers import Daphne, PostgreSQL, portal_env

REQUESTS, CLIENTS = 1_000, 4


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        response.read()
    return (time.perf_counter() - started) * 1000


def measure(postgres: PostgreSQL, pool: str) -> None:
    env = portal_env(
        Path(tempfile.mkdtemp(prefix="bench-")),
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "x" * 50,
        DJANGO_HTTPS="false",
        DATABASE_URL=postgres.url("postgres"),
        DJANGO_DB_POOL=pool,
    )
    daphne = Daphne(env).start()
    try:
        url = f"{daphne.url}/health/"
        with ThreadPoolExecutor(CLIENTS) as clients:
            list(clients.map(_get, [url] * 50))  # warm up
            started = time.perf_counter()
            latencies = sorted(clients.map(_get, [url] * REQUESTS))
            elapsed = time.perf_counter() - started
    finally:
        daphne.stop()
    print(
        f"pool={pool:5} {REQUESTS / elapsed:6.0f} requests/s, median "
        f"{statistics.median(latencies):.1f} ms, p95 {latencies[int(REQUESTS * 0.95)]:.1f} ms"
    )


def main() -> None:
    postgres = PostgreSQL().start()
    try:
        for pool in ("true", "false", "true", "false"):
            measure(postgres, pool)
    finally:
        postgres.stop()


if __name__ == "__main__":
    main()
