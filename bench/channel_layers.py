"""Compare channels-redis' two layers for the chat's traffic (issue 6: choose by measurement).

Two layer instances stand for two daphne processes: one holds a consumer's channel in a
chat's group, the other group_sends to it. Printed per layer: group_send -> receive latency
over 1,000 messages, and what a consumer receives after redis-server restarts (without
joining its group again, as a connected consumer would not).

    .venv/bin/python -m bench.channel_layers
"""

import asyncio
import statistics
import sys
import time

from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

sys.path.insert(0, ".")
from tests.servers import Redis

MESSAGES = 1_000
AFTER_RESTART = 20


async def _round_trip(sender, receiver, channel, n) -> list[float]:
    latencies = []
    for i in range(n):
        started = time.perf_counter()
        await sender.group_send("chat", {"type": "chat.message", "seq": i})
        await asyncio.wait_for(receiver.receive(channel), 5)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def _after_restart(sender, receiver, channel, redis: Redis) -> tuple[int, float | None]:
    redis.restart()
    started = time.perf_counter()
    received, first = 0, None
    deadline = started + 10
    for i in range(AFTER_RESTART):
        try:
            await sender.group_send("chat", {"type": "chat.message", "seq": i})
            await asyncio.wait_for(receiver.receive(channel), 0.5)
        except Exception:
            if time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.25)
            continue
        received += 1
        first = first or (time.perf_counter() - started)
    return received, first


async def measure(layer_class, redis: Redis) -> None:
    sender, receiver = layer_class(hosts=[redis.url]), layer_class(hosts=[redis.url])
    channel = await receiver.new_channel()
    await receiver.group_add("chat", channel)
    await _round_trip(sender, receiver, channel, 50)  # warm up
    latencies = sorted(await _round_trip(sender, receiver, channel, MESSAGES))
    received, first = await _after_restart(sender, receiver, channel, redis)
    p95 = latencies[int(len(latencies) * 0.95)]
    first_text = f"first after {first:.2f} s" if first else "none"
    print(
        f"{layer_class.__name__:26} median {statistics.median(latencies):.3f} ms, "
        f"p95 {p95:.3f} ms; after a Redis restart: {received}/{AFTER_RESTART} received, "
        f"{first_text}"
    )
    for layer in (sender, receiver):
        await layer.flush()


def main() -> None:
    for layer_class in (RedisChannelLayer, RedisPubSubChannelLayer):
        redis = Redis().start()
        try:
            asyncio.run(measure(layer_class, redis))
        finally:
            redis.stop()


if __name__ == "__main__":
    main()
