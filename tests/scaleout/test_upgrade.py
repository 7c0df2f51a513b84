"""A rolling upgrade as README's "Operating it" runs one (issue 13, item 5): a migration that
adds a column runs while the old processes serve, then the processes restart one at a time;
a chat going on through it all loses no message, and no request answers 500.

The migration is the test's own: Django's schema editor adds a nullable column to the chat
messages' table, exactly the AddField a migration file would run (and drops it after, so the
session's other tests see the schema of the code)."""

import asyncio
import json
import threading
import time
import urllib.request

from tests.edge import certificate
from tests.scaleout.chat import busy_chat, settle, wait_until

ALTER = """
from django.db import connection, models
from livechat.models import Message
field = models.TextField(null=True)
field.set_attributes_from_name("upgrade_probe")
with connection.schema_editor() as editor:
    editor.{operation}_field(Message, field)
"""


class PageWatcher(threading.Thread):
    """Asks for the member's chat page through nginx, again and again, noting each status."""

    def __init__(self, url: str, cookie: str):
        super().__init__(daemon=True)
        self.request = urllib.request.Request(url, headers={"Cookie": cookie})
        self.statuses: list[int] = []
        self.done = threading.Event()

    def run(self):
        context = certificate().context
        while not self.done.is_set():
            try:
                with urllib.request.urlopen(self.request, timeout=10, context=context) as page:
                    self.statuses.append(page.status)
            except urllib.error.HTTPError as error:
                self.statuses.append(error.code)
            time.sleep(0.05)


def server_errors(cluster, since: dict) -> list[dict]:
    """The processes' log lines with a 5xx status written after the offsets `since`."""
    lines = []
    for daphne in cluster.daphnes:
        text = daphne.log.read_text()[since[daphne.port] :]
        lines += [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    return [line for line in lines if int(line.get("status") or 0) >= 500]


async def restart_one_at_a_time(cluster) -> None:
    for daphne in cluster.daphnes:
        await asyncio.to_thread(daphne.stop)
        await asyncio.to_thread(daphne.start)
        health = f"http://127.0.0.1:{daphne.port}/health/"
        await asyncio.to_thread(urllib.request.urlopen, health, timeout=10)


async def test_a_migration_adding_a_column_and_a_rolling_restart_lose_no_message(cluster):
    since = {d.port: len(d.log.read_text()) for d in cluster.daphnes}
    chat_id, member, helper, sending = await busy_chat(cluster, 100)
    watcher = PageWatcher(f"{cluster.url}/chat/{chat_id}/", member.cookie)
    watcher.start()
    try:
        await asyncio.to_thread(cluster.shell, ALTER.format(operation="add"))
        migrated_at = member.seen
        await restart_one_at_a_time(cluster)
        sent = await sending
        last = await settle(cluster.shell, chat_id, [member, helper], sent)
    finally:
        watcher.done.set()
        await asyncio.to_thread(watcher.join, 15)
        await asyncio.to_thread(cluster.shell, ALTER.format(operation="remove"))
    print(
        f"\nUpgrade: column added at message {migrated_at}, both processes restarted; "
        f"{last} messages each seen once, {len(watcher.statuses)} page loads"
    )
    assert migrated_at < len(sent)  # the chat went on after the migration
    assert set(watcher.statuses) == {200}
    assert len(watcher.statuses) >= 10
    assert server_errors(cluster, since) == []
    await wait_until(lambda: member.connections >= 2, 10, "the member moved process")
    for client in (member, helper):
        await client.stop()
