"""Each ticket or reply form carries a token of its own, so that a post whose answer was lost
(a dropped connection, a 502 from the proxy after the commit) can be asked about, and a post
sent again is not stored twice. The cache remembers where each stored post went: with
REDIS_URL it is shared by every process, as the rate limits are."""

import re
import secrets

from django.core.cache import cache

KEPT_SECONDS = 24 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def submission_token() -> str:
    return secrets.token_urlsafe(16)


def _key(user, token: str) -> str | None:
    return f"tickets:submission:{user.pk}:{token}" if TOKEN.fullmatch(token or "") else None


def submission_stored(*, user, token: str) -> str | None:
    """Where `user`'s post with this token was stored (a page's address), or None."""
    key = _key(user, token)
    return cache.get(key) if key else None


def submission_record(*, user, token: str, url: str) -> None:
    if key := _key(user, token):
        cache.set(key, url, KEPT_SECONDS)
