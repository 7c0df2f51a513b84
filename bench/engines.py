"""The production profile's engines for the benchmarks' scale-out variants: a throwaway
PostgreSQL cluster and redis-server (tests/servers.py), started and stopped together."""

import uuid
from contextlib import contextmanager

from bench.portal import Portal


@contextmanager
def postgresql():
    """Answer the URL of a fresh database on a throwaway PostgreSQL cluster."""
    from tests.servers import PostgreSQL

    cluster = PostgreSQL().start()
    try:
        yield cluster.create_database(f"bench_{uuid.uuid4().hex[:8]}")
    finally:
        cluster.stop()


@contextmanager
def redis():
    """Answer the URL of a throwaway redis-server."""
    from tests.servers import Redis

    server = Redis().start()
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def scaled_out(**env: str):
    """Answer a started Portal of two daphne processes sharing PostgreSQL and Redis."""
    with (
        postgresql() as database_url,
        redis() as redis_url,
        Portal(processes=2, database_url=database_url, redis_url=redis_url, **env) as portal,
    ):
        yield portal
