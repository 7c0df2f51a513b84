"""What production must not start with (issue 13): a placeholder secret key, and e-mail links
to nowhere. Run by every manage.py command, and by helpdesk/asgi.py before daphne serves."""

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

# Words of the secrets people paste from examples and tutorials (deploy/helpdesk.env.example
# says "replace-with-..."); a secret made as the example says contains none of them.
PLACEHOLDER = re.compile(r"replace|change|example|placeholder|insecure|your[-_]?secret", re.I)
SECRET_MIN_LENGTH = 50  # as Django's own security.W009


def secret_key_errors() -> list[Error]:
    key = settings.SECRET_KEY
    if len(key) >= SECRET_MIN_LENGTH and len(set(key)) >= 5 and not PLACEHOLDER.search(key):
        return []
    return [
        Error(
            "DJANGO_SECRET_KEY is a placeholder or too short to be secret.",
            hint="Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="helpdesk.E001",
        )
    ]


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def portal_url_errors() -> list[Error]:
    """Over HTTPS, e-mails must link to the portal's public https:// address (over plain
    HTTP, DJANGO_HTTPS=false, the portal only serves loopback: tests and benchmarks)."""
    url = urlsplit(settings.PORTAL_URL)
    if url.scheme == "https" and url.hostname and not _is_loopback(url.hostname):
        return []
    return [
        Error(
            f"DJANGO_PORTAL_URL is {settings.PORTAL_URL!r}: the links in e-mails would not "
            "reach the portal.",
            hint="Set it to the portal's public address, e.g. https://help.example.com",
            id="helpdesk.E002",
        )
    ]


@register()
def production_is_configured(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    return secret_key_errors() + (portal_url_errors() if settings.HTTPS else [])


def refuse_to_start_unconfigured() -> None:
    """Stop a process before it serves anything with what production_is_configured refuses."""
    errors = production_is_configured(None)
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
