import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets.models import Message, Status, Ticket, TransitionError
from tickets.services import (
    ticket_agent_post,
    ticket_assign,
    ticket_member_reply,
    ticket_set_status,
    ticket_submit,
)
from tickets.tests.conftest import image_file


def kinds(ticket):
    return [(m.kind, m.status) for m in ticket.messages.all()]


def test_it_submits_a_ticket_with_its_description_and_screenshots(silver):
    ticket = ticket_submit(
        member=silver,
        language="pl",
        summary=" Nie można przetworzyć zamówienia ",
        description="Klikam „Zamów”.",
        screenshots=[image_file("a.png"), image_file("b.jpg", "JPEG")],
    )
    assert ticket.title == "Polski - Nie można przetworzyć zamówienia"
    assert ticket.status == Status.NEW
    opening = ticket.messages.get()
    assert (opening.kind, opening.author, opening.body) == ("member", silver, "Klikam „Zamów”.")
    assert [s.original_name for s in opening.screenshots.all()] == ["a.png", "b.jpg"]


def test_it_refuses_an_unknown_language_and_a_bad_file(silver):
    with pytest.raises(ValidationError):
        ticket_submit(member=silver, language="xx", summary="s", description="d")
    with pytest.raises(ValidationError):
        ticket_submit(
            member=silver,
            language="en",
            summary="s",
            description="d",
            screenshots=[SimpleUploadedFile("x.png", b"not an image")],
        )
    assert not Ticket.objects.exists()


def test_an_agent_reply_awaits_the_member(ticket, agent):
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=False)
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_MEMBER
    assert ticket.last_agent_activity is not None
    assert kinds(ticket)[1:] == [("reply", ""), ("event", Status.AWAITING_MEMBER)]


def test_each_side_stamps_its_own_activity_and_the_tickets(ticket, silver, agent):
    reply = ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=False)
    answer = ticket_member_reply(ticket=ticket, member=silver, body="Order 42")
    ticket.refresh_from_db()
    assert ticket.last_agent_activity == reply.created_at
    assert ticket.last_member_activity == ticket.last_activity == answer.created_at


def test_an_internal_note_changes_nothing_else(ticket, agent):
    ticket_agent_post(ticket=ticket, agent=agent, body="Known bug", internal=True)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.last_agent_activity) == (Status.NEW, None)
    assert kinds(ticket)[1:] == [("note", "")]


def test_a_member_reply_reopens_an_awaiting_or_resolved_ticket(ticket, silver, agent):
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=False)
    ticket_member_reply(ticket=ticket, member=silver, body="Order 42")
    assert ticket.status == Status.OPEN
    ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)
    ticket_member_reply(ticket=ticket, member=silver, body="Still broken")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert [k for k in kinds(ticket) if k[0] == "event"] == [
        ("event", Status.AWAITING_MEMBER),
        ("event", Status.OPEN),
        ("event", Status.RESOLVED),
        ("event", Status.OPEN),
    ]


def test_a_member_reply_leaves_a_new_ticket_new(ticket, silver):
    ticket_member_reply(ticket=ticket, member=silver, body="More details")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_a_closed_ticket_takes_no_reply(ticket, silver, agent):
    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    with pytest.raises(TransitionError):
        ticket_member_reply(ticket=ticket, member=silver, body="Hello?")
    with pytest.raises(TransitionError):
        ticket_agent_post(ticket=ticket, agent=agent, body="Hi", internal=False)
    assert not ticket.messages.filter(kind__in=[Message.Kind.REPLY]).exists()
    assert ticket.messages.filter(kind=Message.Kind.MEMBER).count() == 1


def test_a_stale_ticket_cannot_reopen_one_closed_meanwhile(ticket, silver, agent):
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=False)
    members_copy = Ticket.objects.get(pk=ticket.pk)  # the member's page, still uploading
    agents_copy = Ticket.objects.get(pk=ticket.pk)
    ticket_set_status(ticket=agents_copy, status=Status.CLOSED, by=agent)
    with pytest.raises(TransitionError):
        ticket_member_reply(ticket=members_copy, member=silver, body="Order 42")
    assert members_copy.status == Status.CLOSED
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert not ticket.messages.filter(body="Order 42").exists()
    assert [k for k in kinds(ticket) if k[0] == "event"][-1] == ("event", Status.CLOSED)


def test_assigning_a_new_ticket_opens_it(ticket, agent):
    ticket_assign(ticket=ticket, assignee=agent, by=agent)
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (agent, Status.OPEN)
    ticket_assign(ticket=ticket, assignee=None, by=agent)
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (None, Status.OPEN)


def test_only_an_agent_reopening_with_a_reason_takes_a_ticket_out_of_closed(ticket, agent, silver):
    from tickets.services import ticket_reopen

    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    with pytest.raises(TransitionError, match="A closed ticket takes no reply"):
        ticket_set_status(ticket=ticket, status=Status.OPEN, by=agent)
    with pytest.raises(TransitionError):
        ticket_member_reply(ticket=ticket, member=silver, body="Still broken")
    with pytest.raises(TransitionError, match="Give the reason"):
        ticket_reopen(ticket=ticket, agent=agent, reason="  ")
    ticket_reopen(ticket=ticket, agent=agent, reason="The bug is back")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert kinds(ticket)[-2:] == [("note", ""), ("event", Status.OPEN)]
    assert ticket.messages.filter(kind="note").get().body == "The bug is back"
    with pytest.raises(TransitionError):  # Open is not Closed: nothing to reopen
        ticket_reopen(ticket=ticket, agent=agent, reason="again")


def test_the_one_form_service_keeps_nothing_when_the_status_is_refused(ticket, agent):
    from tickets.services import ticket_agent_update

    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    with pytest.raises(TransitionError):
        ticket_agent_update(
            ticket=ticket, agent=agent, assignee=agent, body="Hello", status=Status.RESOLVED
        )
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (None, Status.CLOSED)
    assert not ticket.messages.filter(body="Hello").exists()
