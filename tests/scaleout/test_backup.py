"""manage.py backup / restore (issue 13, item 5): a seeded portal (the demo data, a ticket
with a screenshot, a chat) backed up while it runs and restored into a fresh install (a new
database and an empty MEDIA_ROOT) holds the same rows and the same file bytes, on SQLite and
on PostgreSQL."""

import hashlib
import json
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.servers import manage, portal_env, shell

SEED = """
import io
from django.core.management import call_command
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from livechat.services import chat_accept, chat_open, chat_say
from tickets.services import ticket_submit

buffer = io.BytesIO()
Image.new("RGB", (64, 48), (30, 90, 200)).save(buffer, "PNG")
shot = SimpleUploadedFile("printer.png", buffer.getvalue(), content_type="image/png")
call_command("seed_demo")
silver, agent = User.objects.get(username="silver"), User.objects.get(username="agent")
ticket_submit(member=silver, language="en", summary="Printer offline",
              description="It says offline since the update.", screenshots=[shot])
now = timezone.now()
chat = chat_open(name="Sylwia", email="silver@example.com", member_id="1000007",
                 question="Where is my order?", session_key="s-backup", now=now, user=silver).chat
chat_accept(chat_id=chat.pk, agent=agent, now=now)
chat_say(chat=chat, author="agent", name="Alex", body="Let me look.", client_id="c-1", now=now)
"""


def install(tmp_path: Path, name: str, database_url: str | None) -> dict[str, str]:
    """A portal's environment with its own database and MEDIA_ROOT (DEBUG on: seed_demo)."""
    var = tmp_path / name
    var.mkdir()
    extra = {"MEDIA_ROOT": str(var / "media")}
    if database_url:
        extra["DATABASE_URL"] = database_url
    return portal_env(var, **extra)


def files(env) -> dict[str, str]:
    root = Path(env["MEDIA_ROOT"])
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def rows(env) -> list[dict]:
    """Every row of every table, as dumpdata writes them (by model, by primary key)."""
    return json.loads(manage(env, "dumpdata"))


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request):
    """A function making an empty database of the parametrised engine (None: SQLite under
    the install's own directory)."""
    if request.param == "sqlite":
        return lambda: None
    postgres = request.getfixturevalue("postgres")
    return lambda: postgres.create_database(f"helpdesk_{uuid.uuid4().hex[:8]}")


def test_a_backup_restores_into_a_fresh_install_with_every_row_and_file(tmp_path, fresh_database):
    source = install(tmp_path, "source", fresh_database())
    manage(source, "migrate", "--noinput")
    shell(source, SEED)
    archive = tmp_path / "helpdesk.tar.gz"
    printed = manage(source, "backup", str(archive))
    assert "media files to" in printed
    assert archive.stat().st_mode & 0o777 == 0o600  # every member's data is in it

    restored = install(tmp_path, "restored", fresh_database())
    manage(restored, "restore", str(archive))

    restored_rows = rows(restored)
    assert restored_rows == rows(source)
    models = Counter(row["model"] for row in restored_rows)
    assert models["tickets.ticket"] >= 2
    assert models["tickets.screenshot"] >= 1
    assert models["livechat.message"] >= 2
    assert models["auth.user"] >= 5
    assert files(restored) == files(source)
    assert len(files(source)) >= 2  # the screenshot and its thumbnail at least
    assert "No planned migration operations." in manage(restored, "migrate", "--plan")


def test_restore_refuses_an_install_that_is_not_empty(tmp_path):
    env = install(tmp_path, "used", None)
    manage(env, "migrate", "--noinput")
    archive = tmp_path / "backup.tar"
    manage(env, "backup", str(archive))
    with pytest.raises(RuntimeError, match="the database is not empty"):
        manage(env, "restore", str(archive))
