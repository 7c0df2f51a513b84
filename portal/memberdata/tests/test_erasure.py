import io

import pytest
from django.contrib.auth.models import User
from django.core import mail as outgoing
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from mailer.models import Message as OutgoingMail

from livechat.models import Chat
from livechat.models import Message as ChatMessage
from livechat.services import chat_open
from portal.memberdata.tests.conftest import media_files
from tickets.models import InboundEmail, Message, Screenshot, Status, Ticket

pytestmark = pytest.mark.django_db
USERS = "/admin/auth/user/"


@pytest.fixture
def administrator(client):
    admin = User.objects.create_superuser("root", "root@example.com", "portal-test")
    client.force_login(admin)
    return admin


def everything_stored() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--exclude=contenttypes", "--exclude=auth.permission", stdout=out)
    return out.getvalue()


def erase(client, *users, confirm=True):
    data = {"action": "erase_members", "_selected_action": [user.pk for user in users]}
    if confirm:
        data["post"] = "yes"
    return client.post(USERS, data)


def mail(*, outcome="posted", **fields):
    uid = InboundEmail.objects.count() + 1
    return InboundEmail.objects.create(
        folder="INBOX",
        uidvalidity=1,
        uid=uid,
        message_id=f"<{uid}@example.com>",
        outcome=outcome,
        **fields,
    )


def test_it_asks_for_confirmation_and_says_what_goes(client, administrator, silver, give_data):
    give_data(silver, "sylwia")
    page = erase(client, silver, confirm=False)
    assert page.status_code == 200
    text = page.content.decode()
    assert "silver &lt;silver@example.com&gt;" in text
    assert "<td>1</td><td>3</td><td>1</td>" in text  # tickets, screenshots, chats
    assert 'name="post" value="yes"' in text
    assert User.objects.get(pk=silver.pk).is_active  # nothing done yet


def test_it_erases_the_member_keeps_the_statistics_and_leaves_no_file(
    client, administrator, silver, diamond, give_data, settings, django_capture_on_commit_callbacks
):
    ticket, chat = give_data(silver, "sylwia")
    give_data(diamond, "diana")
    mail(ticket=ticket, sender="silver@example.com", subject="Re: sylwia", text="sylwia here")
    mail(sender="Silver@Example.com", subject="sylwia again", outcome="not_a_reply")
    mail(sender="diamond@example.com", subject="diana writes", outcome="not_a_reply")
    diamonds_files = set(media_files(settings)) - set(_files_of(ticket))
    assert len(_files_of(ticket)) == 6  # three screenshots and their thumbnails
    with django_capture_on_commit_callbacks(execute=True):
        response = erase(client, silver)
    assert response.status_code == 302
    assert set(media_files(settings)) == diamonds_files

    member = User.objects.get(pk=silver.pk)
    assert (member.username, member.email, member.first_name) == (f"erased-{silver.pk}", "", "")
    assert not member.is_active
    assert not member.has_usable_password()
    assert member.profile.member_id == ""

    ticket.refresh_from_db()  # what the statistics count stays
    assert (ticket.member_id, ticket.language, ticket.status) == (
        silver.pk,
        "en",
        Status.AWAITING_MEMBER,
    )
    assert (ticket.rating, ticket.rating_comment, ticket.summary) == (5, "", "[erased]")
    assert list(ticket.messages.values_list("kind", "body")) == [
        ("member", ""),
        ("reply", ""),
        ("event", ""),
        ("note", ""),
    ]
    assert not Screenshot.objects.filter(message__ticket=ticket).exists()
    chat.refresh_from_db()
    assert (chat.name, chat.email, chat.member_id, chat.question, chat.rating) == (
        "",
        "",
        "",
        "",
        4,
    )
    assert chat.accepted_at is not None
    assert set(chat.messages.values_list("body", flat=True)) == {""}

    kept = InboundEmail.objects.filter(sender="").order_by("uid")
    assert [(e.ticket_id, e.outcome) for e in kept] == [
        (ticket.pk, "posted"),
        (None, "not_a_reply"),
    ]

    stored = everything_stored()
    for trace in ["sylwia", "Sylwia", "silver@example.com", "1000007"]:
        assert trace not in stored
    assert "diana" in stored  # the other member is untouched


def test_it_finds_the_members_chats_opened_as_a_visitor_by_address(
    client, administrator, silver, give_data
):
    visit = chat_open(
        name="Sylwia",
        email="SILVER@example.com",
        member_id="",
        question="help",
        session_key="s-before",
        now=timezone.now(),
    ).chat
    erase(client, silver)
    visit.refresh_from_db()
    assert (visit.name, visit.email, visit.question) == ("", "", "")


def test_mail_waiting_for_the_member_in_the_outbox_goes(client, administrator, silver, outbox):
    outgoing.send_mail("Re: sylwia", "Sylwia wrote: ...", None, ["Silver@Example.com"])
    outgoing.send_mail("Re: diana", "Diana wrote: ...", None, ["diamond@example.com"])
    OutgoingMail.objects.order_by("pk").first().defer()  # given up: it goes too
    erase(client, silver)
    assert [m.subject for m in OutgoingMail.objects.all()] == ["Re: diana"]


def test_it_leaves_staff_accounts_alone(client, administrator, agent):
    page = erase(client, agent, confirm=False).content.decode()
    assert "Staff accounts are left alone" in page
    erase(client, agent)
    assert User.objects.get(pk=agent.pk).username == "agent"


def test_agents_cannot_erase(client, agent, silver):
    client.force_login(agent)
    assert erase(client, silver).status_code in (302, 403)
    assert User.objects.get(pk=silver.pk).username == "silver"


def test_deleting_a_member_deletes_their_tickets_chats_and_files(
    client, administrator, silver, diamond, give_data, settings, django_capture_on_commit_callbacks
):
    """Before, Ticket.member was PROTECT: the admin's delete failed with a ProtectedError."""
    ticket, chat = give_data(silver, "sylwia")
    give_data(diamond, "diana")
    theirs = set(_files_of(ticket))
    before = set(media_files(settings))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{USERS}{silver.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=silver.pk).exists()
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert not Chat.objects.filter(pk=chat.pk).exists()
    assert not ChatMessage.objects.filter(chat_id=chat.pk).exists()
    assert set(media_files(settings)) == before - theirs
    assert Ticket.objects.filter(member=diamond).exists()


def test_a_deletion_rolled_back_keeps_the_files(silver, give_data, settings):
    ticket, _ = give_data(silver, "sylwia")
    before = media_files(settings)
    with pytest.raises(RuntimeError):
        _delete_then_fail(ticket)
    assert media_files(settings) == before
    assert Screenshot.objects.filter(message__ticket=ticket).count() == 3


@transaction.atomic
def _delete_then_fail(ticket):
    Message.objects.filter(ticket=ticket).delete()
    raise RuntimeError


def _files_of(ticket) -> list[str]:
    shots = Screenshot.objects.filter(message__ticket=ticket)
    return [name for shot in shots for name in (shot.image.name, shot.thumbnail.name)]
