"""The two settings profiles, read in subprocesses so each starts from its own environment."""

import json
import subprocess
import sys

import pytest

from tests.servers import ROOT, portal_env

PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
    "DJANGO_PORTAL_URL": "https://help.example.com",
}

SHOW = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "LAYER": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "EMAIL": settings.EMAIL_BACKEND,
    "SENDER": getattr(settings, "MAILER_EMAIL_BACKEND", None),
    "SECURE": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
               settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS],
    "STATIC": settings.STORAGES["staticfiles"]["BACKEND"],
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    "POOL": settings.DATABASES["default"]["OPTIONS"].get("pool"),
    "SESSIONS": settings.SESSION_ENGINE,
}))
"""


def run(env, *args):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def settings_under(env) -> dict:
    result = run(env, "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_embedded_default_needs_nothing_set(tmp_path):
    shown = settings_under(portal_env(tmp_path))
    assert shown["DEBUG"] is True
    assert shown["ENGINE"] == "helpdesk.sqlite"
    assert shown["LAYER"] == "livechat.layers.LeanInMemoryChannelLayer"
    assert shown["EMAIL"] == "django.core.mail.backends.console.EmailBackend"
    assert shown["SENDER"] is None
    assert shown["SECURE"] == [False, False, False, 0]
    assert shown["MEDIA_ROOT"] == str(tmp_path / "media")
    assert not shown["MEDIA_ROOT"].startswith(str(ROOT / "static"))


def test_the_production_profile_comes_from_the_environment(tmp_path):
    env = portal_env(
        tmp_path,
        **PRODUCTION,
        DATABASE_URL="postgres://portal:pw@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.com:587",
        MEDIA_ROOT="/srv/portal/media",
    )
    shown = settings_under(env)
    assert shown["DEBUG"] is False
    assert shown["ENGINE"] == "django.db.backends.postgresql"
    assert shown["LAYER"] == "livechat.layers.PipelinedRedisPubSubChannelLayer"
    assert shown["POOL"] == {"min_size": 1, "max_size": 8, "timeout": 2}
    assert shown["SESSIONS"] == "portal.sessions"  # the database, read through Redis
    assert shown["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["EMAIL"] == "mailer.backend.DbBackend"  # the outbox, sent by runmailer
    assert shown["SENDER"] == "django.core.mail.backends.smtp.EmailBackend"
    assert shown["SECURE"] == [True, True, True, 31_536_000]
    assert shown["STATIC"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert shown["MEDIA_ROOT"] == "/srv/portal/media"


def test_plain_http_can_be_asked_for_explicitly(tmp_path):
    shown = settings_under(portal_env(tmp_path, **PRODUCTION, DJANGO_HTTPS="false"))
    assert shown["DEBUG"] is False
    assert shown["SECURE"] == [False, False, False, 0]


@pytest.mark.parametrize("redis", [{}, {"REDIS_URL": "redis://cache.internal:6379/0"}])
def test_check_deploy_is_clean_under_production(tmp_path, redis):
    env = portal_env(tmp_path, **PRODUCTION, **redis)
    result = run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "ture"),
        ("DJANGO_HTTPS", "yes"),
        ("DJANGO_LOGIN_FAILURE_LIMIT", "five"),
        ("DJANGO_LOG_FORMAT", "yaml"),
        ("DJANGO_DB_POOL", "on"),
        ("DJANGO_RATE_LIMIT_TICKETS_PER_MEMBER", "ten an hour"),
        ("DJANGO_RATE_LIMIT_CHATS_PER_ADDRESS", "10/0s"),
        ("INBOUND_EMAIL_URL", "pop3://support:secret@mail.example.com/INBOX"),
        ("INBOUND_EMAIL_URL", "imaps://support:secret@mail.example.com:nine/INBOX"),
        ("DJANGO_INBOUND_EMAIL_ANSWERS_PER_HOUR", "five"),
    ],
)
def test_a_typo_in_a_variable_is_an_error(tmp_path, name, value):
    result = run(portal_env(tmp_path, **{name: value}), "-c", SHOW)
    assert result.returncode != 0
    assert f"{name} must be" in result.stderr


def test_debug_off_without_a_secret_key_is_an_error(tmp_path):
    result = run(portal_env(tmp_path, DJANGO_DEBUG="false"), "-c", SHOW)
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    values = [cursor.execute(f"PRAGMA {p}").fetchone()[0]
              for p in ("journal_mode", "busy_timeout", "synchronous")]
print(values, connection.transaction_mode)
"""
    result = run(portal_env(tmp_path), "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['wal', 5000, 1] IMMEDIATE"
