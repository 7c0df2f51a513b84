import io
import json
import os
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import AsyncClient
from django.utils import timezone

from portal.memberdata.export import archive_chunks
from portal.memberdata.models import RetentionPolicy
from tickets.models import Screenshot

pytestmark = pytest.mark.django_db


def download(client) -> zipfile.ZipFile:
    response = client.post("/your-data/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="portal-data-')
    assert "no-store" in response["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_it_is_linked_from_the_menu_and_the_home_page(client, silver):
    client.force_login(silver)
    page = client.get("/").content.decode()
    assert page.count('href="/your-data/"') == 2


def test_it_shows_what_is_kept(client, silver, give_data):
    give_data(silver, "sylwia")
    client.force_login(silver)
    response = client.get("/your-data/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 technical issue," in page
    assert "2 screenshots" in page
    assert "Download my data" in page
    assert "are deleted" not in page  # no retention period set: kept for ever

    RetentionPolicy.objects.update_or_create(pk=1, defaults={"screenshot_days": 30})
    page = client.get("/your-data/").content.decode()
    assert "Screenshots are deleted 30 days after their ticket is closed." in page
    assert "Chat transcripts are deleted" not in page


def test_it_asks_a_visitor_to_sign_in(client):
    response = client.post("/your-data/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_archives_the_members_profile_tickets_files_chats_and_ratings(
    client, silver, diamond, give_data
):
    ticket, chat = give_data(silver, "sylwia")
    give_data(diamond, "diana")
    client.force_login(silver)
    archive = download(client)
    assert archive.testzip() is None
    names = archive.namelist()
    shots = list(Screenshot.objects.filter(message__ticket=ticket).exclude(message__kind="note"))
    assert sorted(names) == sorted(
        [
            "README.txt",
            "profile.json",
            f"tickets/{ticket.reference}.json",
            *(f"tickets/{ticket.reference}/{shot.pk}.png" for shot in shots),
            f"chats/{chat.pk}.json",
            "ratings.json",
        ]
    )
    profile = json.loads(archive.read("profile.json"))
    assert profile["username"] == "silver"
    assert profile["member_id"] == "1000007"
    assert profile["rank_name"] == "Silver"
    for shot in shots:  # the stored files, byte for byte
        stored = shot.image.open("rb").read()
        assert archive.read(f"tickets/{ticket.reference}/{shot.pk}.png") == stored
    data = json.loads(archive.read(f"tickets/{ticket.reference}.json"))
    thread = [(m["kind"], m["body"], m["status"]) for m in data["messages"]]
    assert thread == [  # no internal note
        ("member", "sylwia clicked", None),
        ("reply", "Hello sylwia", None),
        ("event", "", "awaiting_member"),
    ]
    assert data["messages"][1]["screenshots"][0]["original_name"] == "sylwia-reply.png"
    assert data["rating"]["score"] == 5
    transcript = json.loads(archive.read(f"chats/{chat.pk}.json"))
    assert [m["body"] for m in transcript["messages"]][-1] == "Hi sylwia"
    assert transcript["email"] == "silver@example.com"
    assert transcript["ticket"] is None
    ratings = json.loads(archive.read("ratings.json"))
    assert [(r.get("ticket"), r.get("chat"), r["score"]) for r in ratings] == [
        (ticket.reference, None, 5),
        (None, str(chat.pk), 4),
    ]
    everything = b"".join(archive.read(name) for name in names)
    assert b"diana" not in everything
    assert b"note on" not in everything
    assert b"sylwia-note.png" not in everything


def test_a_file_lost_from_the_disk_does_not_break_the_archive(client, silver, give_data):
    ticket, _ = give_data(silver, "sylwia")
    lost = Screenshot.objects.filter(message__ticket=ticket).first()
    lost.image.storage.delete(lost.image.name)
    client.force_login(silver)
    names = download(client).namelist()
    assert f"tickets/{ticket.reference}/{lost.pk}.png" not in names
    assert "ratings.json" in names


def test_it_limits_downloads(client, silver, settings):
    settings.RATE_LIMIT_EXPORTS_PER_MEMBER = "2/h"
    client.force_login(silver)
    for _ in range(2):
        assert client.post("/your-data/").streaming
    refused = client.post("/your-data/")
    assert refused.status_code == 429
    assert "several times in the last hour" in refused.content.decode()
    assert "Please correct the errors below." not in refused.content.decode()  # no field


def big_screenshots(ticket, count, size):
    """Screenshots whose stored files are `size` bytes each (random, so incompressible)."""
    message = ticket.messages.first()
    for n in range(count):
        data = ContentFile(os.urandom(size))
        shot = Screenshot(message=message, content_type="image/png", width=1, height=1)
        shot.original_name = f"big-{n}.png"
        shot.image.save(f"big-{n}.png", data, save=False)
        shot.thumbnail.save(f"big-{n}-t.png", ContentFile(b"t"), save=False)
        shot.save()


def test_it_streams_50_mb_of_screenshots_in_flat_memory(silver, make_ticket):
    ticket = make_ticket(silver)
    big_screenshots(ticket, count=10, size=5 * 1024 * 1024)
    tracemalloc.start()
    try:
        total, largest = 0, 0
        for piece in archive_chunks(silver, now=timezone.now()):
            total += len(piece)
            largest = max(largest, len(piece))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 50 * 1024 * 1024
    assert largest <= 300 * 1024
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for {total / 1e6:.0f} MB"


@pytest.mark.django_db(transaction=True)
async def test_it_streams_under_asgi_without_reading_the_archive_first(silver, make_ticket):
    """Under daphne Django reads a sync iterator into a list before sending; the view hands
    it an async one, so the pieces arrive one by one there too."""
    from asgiref.sync import sync_to_async

    ticket = await sync_to_async(make_ticket)(silver)
    await sync_to_async(big_screenshots)(ticket, count=4, size=5 * 1024 * 1024)
    client = AsyncClient()
    await client.aforce_login(silver)
    response = await client.post("/your-data/")
    assert response.is_async
    tracemalloc.start()
    try:
        total = 0
        async for piece in response.streaming_content:
            total += len(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The test client keeps the database connection of the thread the archive was read in
    # (it turns off Django's closing at the end of a request): close it, for PostgreSQL.
    await sync_to_async(lambda: connection.close())()  # looked up in that thread
    assert total > 20 * 1024 * 1024
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for {total / 1e6:.0f} MB"
