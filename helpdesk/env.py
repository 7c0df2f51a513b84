"""Strict readers of environment variables for helpdesk/settings.py: a value that cannot be
understood stops the start-up with its variable's name, never a silent default."""

import os
import re
from urllib.parse import unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

# Rates are "count/period", period s, m, h or d (django-ratelimit's syntax).
RATE_LIMIT_RE = r"[1-9][0-9]*/([1-9][0-9]*)?[smhd]"  # a period of 0 divides by zero


def envbool(name: str, default: bool) -> bool:
    """Read a boolean; only "true" and "false" (any case) are understood."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value.lower() == "true"


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envstr(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default) or default


def envchoice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envmailbox(name: str) -> dict | None:
    """Read an IMAP mailbox URL, imaps://user:password@host[:port][/folder] (or imap:// for
    plain IMAP); user and password percent-encoded (support%40example.com)."""
    value = os.environ.get(name)
    if not value:
        return None
    url = urlsplit(value)
    if url.scheme not in ("imap", "imaps") or not (url.hostname and url.username):
        raise ImproperlyConfigured(f"{name} must be imaps://user:password@host/FOLDER")
    try:
        port = url.port or (993 if url.scheme == "imaps" else 143)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a URL whose port is a number") from None
    return {
        "host": url.hostname,
        "port": port,
        "ssl": url.scheme == "imaps",
        "username": unquote(url.username),
        "password": unquote(url.password or ""),
        "folder": unquote(url.path.strip("/")) or "INBOX",
    }


def envsmtp(name: str) -> dict | None:
    """Read an SMTP URL (smtp://, smtp+tls://, smtp+ssl://, django-environ's forms) as the
    settings it names: the backend the mail is finally sent with (MAILER_EMAIL_BACKEND,
    behind the outbox) and EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
    EMAIL_USE_TLS, EMAIL_USE_SSL."""
    value = os.environ.get(name)
    if not value:
        return None
    parsed = environ.Env.email_url_config(value)
    return {
        "MAILER_EMAIL_BACKEND": parsed["EMAIL_BACKEND"],
        "EMAIL_HOST": parsed.get("EMAIL_HOST") or "localhost",
        "EMAIL_PORT": parsed.get("EMAIL_PORT") or 25,
        "EMAIL_HOST_USER": parsed.get("EMAIL_HOST_USER") or "",
        "EMAIL_HOST_PASSWORD": parsed.get("EMAIL_HOST_PASSWORD") or "",
        "EMAIL_USE_TLS": bool(parsed.get("EMAIL_USE_TLS")),
        "EMAIL_USE_SSL": bool(parsed.get("EMAIL_USE_SSL")),
    }


def envrate(name: str, default: str) -> str:
    value = envstr(name, default)
    if not re.fullmatch(RATE_LIMIT_RE, value):
        raise ImproperlyConfigured(f"{name} must be a rate such as '10/h', not {value!r}")
    return value
