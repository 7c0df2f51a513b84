"""Notifications once a mailbox is read: a signed Reply-To and Message-ID for the member
(and the assignee), wording that says they may answer the e-mail, in English and Polish."""

from email.message import EmailMessage

import pytest
from django.core import mail

from portal.demo import seed_people
from tickets.demo import seed_tickets
from tickets.inbound.addresses import keys_in, match, reply_address, token_for
from tickets.models import Status
from tickets.services import ticket_agent_post, ticket_set_status

MAILBOX = {"host": "127.0.0.1", "port": 143, "ssl": False, "folder": "INBOX"}
MAILBOX |= {"username": "support", "password": "not-used"}


@pytest.fixture
def reading_mailbox(settings):
    settings.INBOUND_EMAIL = MAILBOX
    settings.INBOUND_EMAIL_ADDRESS = "support@help.example.com"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_it_signs_one_key_per_ticket_and_reader(reading_mailbox, silver, diamond, make_ticket):
    first, second = make_ticket(silver), make_ticket(silver)
    assert token_for(first, silver) != token_for(second, silver)
    assert token_for(first, silver) != token_for(first, diamond)
    before = token_for(first, silver)
    silver.email = "sylwia@example.org"
    assert token_for(first, silver) != before  # a new address gets new keys
    address = reply_address(first, silver)
    assert address == f"support+{first.reference}.{token_for(first, silver)}@help.example.com"


def test_a_key_matches_only_its_reader_at_their_address(reading_mailbox, silver, make_ticket):
    ticket = make_ticket(silver)
    reply = EmailMessage()
    reply["To"] = (
        f"Tech Support <{reply_address(ticket, silver).upper()}>"  # as some servers write it
    )
    keys = keys_in(reply)
    assert keys == [(ticket.reference, token_for(ticket, silver))]
    assert match(keys, silver.email)[:2] == (ticket, silver)
    assert match(keys, "someone@example.com")[1] is None
    forged = [(ticket.reference, "f" * 20)]
    assert match(forged, silver.email) == (ticket, None, "the signature does not verify")
    elsewhere = EmailMessage()
    elsewhere["To"] = reply_address(ticket, silver).replace("help.example.com", "evil.example")
    assert keys_in(elsewhere) == []  # only keys at the portal's own address count


@pytest.mark.parametrize(
    ("language", "subject", "invitation"),
    [
        ("en", "We answered your technical issue", "answer this e-mail"),
        ("pl", "Odpowiedzieliśmy na Twoje zgłoszenie", "odpowiedz na tego e-maila"),
    ],
)
def test_notifications_say_the_member_may_answer_the_e_mail(
    reading_mailbox, make_member, agent, make_ticket, on_commit, language, subject, invitation
):
    member = make_member("ola", language=language)
    ticket = make_ticket(member)
    with on_commit():
        ticket_agent_post(ticket=ticket, agent=agent, body="Which one?", internal=False)
        ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)
    replied, resolved = [m for m in mail.outbox if m.to == [member.email]]
    assert replied.subject.startswith(subject)
    for notification in (replied, resolved):
        assert invitation in notification.body
        headers = notification.extra_headers
        key = f"{ticket.reference}.{token_for(ticket, member)}@help.example.com"
        assert headers["Reply-To"] == reply_address(ticket, member)
        assert headers["Message-ID"].endswith(f".{key}>")
        assert headers["References"] == headers["In-Reply-To"] == f"<{key}>"
    assert replied.extra_headers["Message-ID"] != resolved.extra_headers["Message-ID"]


def test_agents_who_are_not_the_assignee_get_no_reply_address(
    reading_mailbox, silver, agent, make_ticket, on_commit
):
    with on_commit():
        make_ticket(silver)
    [submitted] = [m for m in mail.outbox if m.to != [silver.email]]  # not the confirmation
    assert submitted.to == [agent.email]
    assert "Reply-To" not in submitted.extra_headers
    assert "Answer this e-mail" not in submitted.body


def test_seed_demo_notifications_go_through_the_same_code(reading_mailbox, db, on_commit):
    with on_commit():
        people = seed_people()
        seed_tickets(people)
    to_silver = [m for m in mail.outbox if m.to == [people["silver"].email]]
    assert to_silver
    assert all("+TI-" in m.extra_headers["Reply-To"] for m in to_silver)
