"""/health/: can this process serve? For the load balancer and the operator.

Answers 200 with each dependency's state, or 503 when one is down: the database, the
channel layer (a message sent to and received from a channel of its own) and, when
REDIS_URL is set, Redis itself.
"""

import asyncio
import contextlib
import logging

import redis.asyncio as redis
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
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


async def _redis() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
    )
    try:
        await client.ping()
    finally:
        await client.aclose()


async def _state(name: str, check) -> str:
    try:
        await asyncio.wait_for(check(), TIMEOUT)
    except Exception:
        logger.warning("health: %s is down", name, exc_info=True)
        return "down"
    return "ok"


@login_not_required
async def health(request):
    checks = {"database": sync_to_async(_database), "channel_layer": _channel_layer}
    if settings.REDIS_URL:
        checks["redis"] = _redis
    states = {name: await _state(name, check) for name, check in checks.items()}
    up = all(state == "ok" for state in states.values())
    return JsonResponse({"status": "ok" if up else "down", **states}, status=200 if up else 503)
