"""The member's pages are valid HTML, by the Nu HTML checker (vnu.jar, run offline with Java).

The checker comes from npm (`vnu-jar`, pinned below) into var/vnu/ on first use, or from
VNU_JAR when set. Without Java, npm or the jar, these tests fail: they are never skipped.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from livechat.tests.helpers import T0, open_chat
from portal.ratings import rating_path
from tickets.models import Status
from tickets.services import ticket_member_reply, ticket_submit
from tickets.tests.conftest import image_file

ROOT = Path(__file__).resolve().parent.parent
VNU_VERSION = "26.9.27"
CACHE = ROOT / "var" / "vnu"


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    jar = CACHE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(CACHE),
                "--no-audit",
                "--no-fund",
                f"vnu-jar@{VNU_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return jar


def check(vnu_jar: Path, pages: dict[str, str], tmp_path) -> list[str]:
    """Run the checker once over every page; answer its errors as "page: line: message"."""
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html)
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(vnu_jar),
            "--format",
            "json",
            "--exit-zero-always",
            *sorted(str(p) for p in tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m['url']).stem}: {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]


def test_the_members_pages_are_valid_html(vnu_jar, tmp_path, silver, agent, settings):
    """One test for both languages: one checker run, and one npm install under xdist."""
    ticket = ticket_submit(
        member=silver, language="pl", summary="Koszyk", description="Błąd", screenshots=[]
    )
    ticket_member_reply(ticket=ticket, member=silver, body="Zdjęcie", screenshots=[image_file()])
    resolved = ticket_submit(member=silver, language="en", summary="Done", description="x")
    resolved.apply_status(Status.RESOLVED, by=agent)
    chat = open_chat("Vic", now=T0)
    pages = {}
    for language in ("en", "pl"):
        pages |= render_pages(language, silver, ticket, resolved, chat, settings)
    assert 'datetime="' in pages["en-ticket"]
    assert check(vnu_jar, pages, tmp_path) == []


def render_pages(language, silver, ticket, resolved, chat, settings) -> dict[str, str]:
    member = Client()
    member.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    member.force_login(silver)
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    paths = {
        "list": (member, "/tech-issues/?q=Koszyk&status=new"),
        "form": (member, "/tech-issues/new/"),
        "ticket": (member, ticket.get_absolute_url()),
        "resolved": (member, resolved.get_absolute_url()),
        "home": (member, "/"),
        "login": (visitor, "/accounts/login/"),
        "rate-chat": (visitor, rating_path(chat)),
        "rate-ticket": (visitor, rating_path(resolved)),
    }
    return {
        f"{language}-{name}": client.get(path).content.decode()
        for name, (client, path) in paths.items()
    }
