"""helpdesk.sqlite: a closed connection is kept for the next request, rolled back first."""

import pytest
from django.db.utils import ConnectionHandler

from helpdesk.settings import SQLITE_OPTIONS
from helpdesk.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests open files of their own, outside pytest-django's test database."""
    DatabaseWrapper._idle.clear()
    with django_db_blocker.unblock():
        yield
    DatabaseWrapper._idle.clear()


def database(path):
    handler = ConnectionHandler(
        {"default": {"ENGINE": "helpdesk.sqlite", "NAME": str(path), "OPTIONS": SQLITE_OPTIONS}}
    )
    return handler["default"]


def test_a_closed_connection_serves_the_next_one_without_reopening(tmp_path):
    first = database(tmp_path / "db.sqlite3")
    first.ensure_connection()
    raw = first.connection
    first.close()
    assert first.connection is None
    second = database(tmp_path / "db.sqlite3")
    second.ensure_connection()
    assert second.connection is raw
    with second.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)  # the PRAGMAs of its first opening hold
    second.close()


def test_a_connection_serves_its_own_database_file_only(tmp_path):
    one = database(tmp_path / "one.sqlite3")
    one.ensure_connection()
    raw = one.connection
    one.close()
    other = database(tmp_path / "other.sqlite3")
    other.ensure_connection()
    assert other.connection is not raw
    other.close()


def test_what_a_closed_connection_left_uncommitted_is_rolled_back(tmp_path):
    one = database(tmp_path / "db.sqlite3")
    with one.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    one.connection.execute("BEGIN")
    one.connection.execute("INSERT INTO t VALUES (1)")
    one.close()
    two = database(tmp_path / "db.sqlite3")
    with two.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t")
        assert cursor.fetchone() == (0,)
    two.close()
