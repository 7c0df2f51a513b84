"""/health/: can this process serve? For the load balancer and the operator.

Answers 200 with each dependency's state, or 503 when one is down: the database, the
channel layer (a message sent to and received from a channel of its own) and the cache
(Redis with REDIS_URL), through the cache's own client: a value written and read back with
the settings the portal counts sign-in failures and rate limits with. nginx lets only
loopback and the operator's monitor ask (deploy/nginx/helpdesk-site.conf.template).
"""

import asyncio
import contextlib
import logging
import secrets

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)
TIMEOUT = 2.0


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


async def _channel_layer() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("health.")
    await layer.send(channel, {"type": "health.ping"})
    await layer.receive(channel)
    # Channels has no delete_channel(): a receive cancelled while it waits is how a layer
    # lets go of a channel (the pub/sub layer unsubscribes then; see its receive()).
    waiting = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting


def _cache() -> None:
    # A key of its own each time, gone in seconds: processes asking at once never race.
    key, value = f"health:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not give back what it was given")
    cache.delete(key)


async def _state(name: str, check) -> str:
    try:
        await asyncio.wait_for(check(), TIMEOUT)
    except Exception:
        logger.warning("health: %s is down", name, exc_info=True)
        return "down"
    return "ok"


@login_not_required
async def health(request):
    checks = {
        "database": sync_to_async(_database),
        "channel_layer": _channel_layer,
        "cache": sync_to_async(_cache),
    }
    states = {name: await _state(name, check) for name, check in checks.items()}
    up = all(state == "ok" for state in states.values())
    return JsonResponse({"status": "ok" if up else "down", **states}, status=200 if up else 503)
