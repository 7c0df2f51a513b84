"""Personas shared by every app's tests (one base of people for every app).

silver owns tickets, diamond is another member, premier is below the gate, agent works the
queues. Each is signed in with `client.force_login(...)`.
"""

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.utils import translation

from portal.access import make_agent_of
from portal.models import Rank


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIVECHAT_MAIL_IN_BACKGROUND = False  # tests read the outbox right after
    for cache in caches.all():  # rate-limit counts, sessions; ids repeat from test to test
        cache.clear()
    # A request by a Polish member leaves Polish active in this thread (the middleware
    # activates it, nothing deactivates): each test starts in the default language.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _decisions_in_memory(monkeypatch):
    """The tests' SQLite in memory shares one cache between connections and locks whole
    tables there without waiting ("database table is locked"), where a database file in
    WAL mode, as the portal runs, waits: on it, an accept's decision moves from its own
    thread and connection to Channels' database thread. The daphne tests (a database
    file) and PostgreSQL run it on its own thread."""
    from channels.db import database_sync_to_async
    from django.db import connection

    from livechat import console

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        on_database_thread = lambda f, *args: database_sync_to_async(f)(*args)  # noqa: E731
        monkeypatch.setattr(console._deciding, "run", on_database_thread)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Threads that keep a connection must let it go before the test database is dropped
    (PostgreSQL refuses to drop a database in use): the chat's writer and readers, and
    asgiref's one thread for `sync_to_async`, where the tests' own sync_to_async calls leave
    theirs open (only Channels' database_sync_to_async closes it after each call)."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    from livechat import reader
    from livechat.writer import writer

    writer.close_connection()
    reader.close_connection()
    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=5)


@pytest.fixture
def outbox(settings):
    """The production profile's mail settings (helpdesk/settings.py, EMAIL_URL set), with
    the SMTP server's place taken by Django's test outbox unless a test says otherwise."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAILER_EMAIL_LOG_MESSAGE_DATA = False
    settings.MAILER_USE_FILE_LOCK = False
    settings.EMAIL_TIMEOUT = 2
    return settings


@pytest.fixture
def make_member(db):
    def make(username, rank=Rank.SILVER, *, member_id="", language="en", **fields):
        user = User.objects.create_user(
            username, email=f"{username}@example.com", password="portal-test", **fields
        )
        profile = user.profile
        profile.rank, profile.member_id, profile.preferred_language = rank, member_id, language
        profile.save()
        return user

    return make


@pytest.fixture
def silver(make_member):
    return make_member("silver", Rank.SILVER, member_id="1000007", first_name="Sylwia")


@pytest.fixture
def diamond(make_member):
    return make_member("diamond", Rank.DIAMOND, member_id="1000010", first_name="Diana")


@pytest.fixture
def premier(make_member):
    return make_member("premier", Rank.PREMIER, member_id="1000006", first_name="Piotr")


@pytest.fixture
def make_agent(db):
    def make(username="agent", **fields):
        user = User.objects.create_user(
            username,
            email=f"{username}@example.com",
            password="portal-test",
            first_name=fields.pop("first_name", "Alex"),
            **fields,
        )
        make_agent_of(user)
        return user

    return make


@pytest.fixture
def agent(make_agent):
    return make_agent()
