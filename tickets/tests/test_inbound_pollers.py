"""Two pollers at once, as two timers on two hosts would run them: separate processes on
one database (SQLite, then PostgreSQL) and one real IMAP mailbox. Each reply is posted
exactly once."""

import json
import re
import subprocess
import time
import uuid

import pytest

from tests.servers import PYTHON, ROOT, PostgreSQL, manage, portal_env, shell, stop
from tickets.tests.mail import Mailbox, message

ARRANGE = """
import json
from django.contrib.auth.models import User
from portal.models import Rank
from tickets.inbound.addresses import reply_address
from tickets.services import ticket_submit
member = User.objects.create_user("ola", email="ola@example.com")
member.profile.rank = Rank.SILVER
member.profile.save()
ticket = ticket_submit(member=member, language="pl", summary="Koszyk", description="Błąd")
print(json.dumps({"reference": ticket.reference, "address": reply_address(ticket, member)}))
"""

READ = """
import json
from tickets.models import InboundEmail, Message
bodies = list(Message.objects.filter(kind="member").values_list("body", flat=True))
outcomes = list(InboundEmail.objects.values_list("outcome", flat=True))
print(json.dumps({"bodies": bodies, "outcomes": outcomes}))
"""

REPLIES = 40


@pytest.fixture(scope="module")
def postgres():
    server = PostgreSQL().start()
    yield server
    server.stop()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_two_pollers_at_once_post_each_reply_once(dovecot, tmp_path, engine, request):
    database = {}
    if engine == "postgresql":
        server = request.getfixturevalue("postgres")
        database["DATABASE_URL"] = server.create_database(f"pollers_{uuid.uuid4().hex[:8]}")
    env = portal_env(
        tmp_path,
        **database,
        INBOUND_EMAIL_URL=dovecot.url(),
        DJANGO_DEFAULT_FROM_EMAIL="Tech Support <support@help.example.com>",
        DJANGO_RATE_LIMIT_REPLIES_PER_MEMBER=f"{REPLIES}/m",  # one member sends them all
    )
    manage(env, "migrate", "--noinput")
    arranged = json.loads(shell(env, ARRANGE).splitlines()[-1])
    with Mailbox(dovecot) as box:
        box.empty()
        for number in range(REPLIES):
            text = f"Odpowiedź {number}"
            box.deliver(message(sender="ola@example.com", to=arranged["address"], text=text))
    pollers = [
        subprocess.Popen(
            [PYTHON, "manage.py", "poll_inbound_email"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [poller.communicate(timeout=120) for poller in pollers]
    assert [poller.returncode for poller in pollers] == [0, 0], outputs
    read = [int(re.search(r"(\d+) message\(s\) read", out).group(1)) for out, _err in outputs]
    assert sum(read) == REPLIES  # between them, each message once
    result = json.loads(shell(env, READ).splitlines()[-1])
    assert sorted(result["bodies"][1:]) == sorted(f"Odpowiedź {n}" for n in range(REPLIES))
    assert result["outcomes"] == ["posted"] * REPLIES


def test_a_watching_poller_reads_a_reply_as_it_arrives(dovecot, tmp_path):
    """--watch waits in IMAP IDLE (five minutes between polls otherwise): a reply delivered
    while it waits is posted within seconds."""
    env = portal_env(
        tmp_path,
        INBOUND_EMAIL_URL=dovecot.url(),
        DJANGO_DEFAULT_FROM_EMAIL="Tech Support <support@help.example.com>",
    )
    manage(env, "migrate", "--noinput")
    arranged = json.loads(shell(env, ARRANGE).splitlines()[-1])
    with Mailbox(dovecot) as box:
        box.empty()
        watcher = subprocess.Popen(
            [PYTHON, "manage.py", "poll_inbound_email", "--watch"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(3)  # started, polled the empty mailbox, waiting in IDLE
            assert watcher.poll() is None, watcher.stderr.read()
            box.deliver(message(sender="ola@example.com", to=arranged["address"], text="Już"))
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                bodies = json.loads(shell(env, READ).splitlines()[-1])["bodies"]
                if "Już" in bodies:
                    break
                time.sleep(0.5)
            assert "Już" in bodies
        finally:
            stop(watcher)
