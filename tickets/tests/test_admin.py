"""The agents' queue in the Django admin, worked by an agent of the group (not a superuser)."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tickets.models import Message, Status, Ticket
from tickets.services import ticket_agent_post, ticket_assign
from tickets.tests.conftest import image_file

CHANGELIST = reverse("admin:tickets_ticket_changelist")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def post_url(ticket):
    return reverse("admin:tickets_ticket_post", args=[ticket.pk])


def test_it_lists_the_queue_with_its_columns(agent_client, ticket):
    response = agent_client.get(CHANGELIST)
    assert response.status_code == 200
    for text in (ticket.reference, ticket.title, "silver (Silver, 1000007)", "New"):
        assert text in response.text


def test_it_filters_by_status_language_and_assignee(agent_client, silver, agent, make_ticket):
    polish = make_ticket(silver, summary="Błąd", language="pl")
    mine = make_ticket(silver, summary="Mine")
    agent_client.post(
        CHANGELIST, {"action": "assign_to_me", "_selected_action": [mine.pk]}, follow=True
    )

    def listed(**query):
        return set(agent_client.get(CHANGELIST, query).context["cl"].result_list)

    assert listed(language="pl") == {polish}
    assert listed(assignee="me") == {mine}
    assert listed(assignee="none") == {polish}
    assert listed(assignee=str(agent.pk)) == {mine}
    assert listed(status__exact="open") == {mine}


def test_it_searches_by_reference_summary_username_email_and_member_id(
    agent_client, silver, diamond, make_ticket
):
    ticket = make_ticket(silver, summary="Koszyk nie działa")
    make_ticket(diamond, summary="Other")
    for query in (ticket.reference, "koszyk", "silver", "silver@example.com", "1000007"):
        result = agent_client.get(CHANGELIST, {"q": query}).context["cl"].result_list
        assert list(result) == [ticket], query


def test_it_replies_publicly_through_the_domain_and_logs_it(agent_client, ticket, agent):
    response = agent_client.post(
        post_url(ticket),
        {"body": "Which order?", "internal": "false", "screenshots": [image_file("a.png")]},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_MEMBER
    reply = ticket.messages.get(kind=Message.Kind.REPLY)
    assert (reply.author, reply.screenshots.count()) == (agent, 1)
    log = LogEntry.objects.get(object_id=str(ticket.pk))
    assert (log.user, log.change_message) == (agent, "Replied")


def test_an_internal_note_stays_hidden_from_the_member(agent_client, client, ticket, silver):
    agent_client.post(post_url(ticket), {"body": "NOTE FOR AGENTS", "internal": "true"})
    page = agent_client.get(change_url(ticket))
    assert "NOTE FOR AGENTS" in page.text
    client.force_login(silver)
    assert "NOTE FOR AGENTS" not in client.get(ticket.get_absolute_url()).text
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_it_can_reply_and_resolve_at_once(agent_client, ticket):
    agent_client.post(post_url(ticket), {"body": "Fixed", "internal": "false", "then": "resolved"})
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_reply_and_resolve_is_one_status_change_and_one_email(
    agent_client, ticket, silver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(
            post_url(ticket), {"body": "Fixed it", "internal": "false", "then": "resolved"}
        )
    events = ticket.messages.filter(kind=Message.Kind.EVENT).values_list("status", flat=True)
    assert list(events) == [Status.RESOLVED]
    [email] = mail.outbox
    assert email.to == [silver.email]
    assert email.subject == f"Your technical issue {ticket.reference} is resolved"
    assert "Fixed it" in email.body


def test_a_rejected_post_says_what_to_fix(agent_client, ticket):
    response = agent_client.post(post_url(ticket), {"body": "", "internal": "false"})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert ticket.messages.count() == 1


def test_it_refuses_a_reply_on_a_closed_ticket(agent_client, ticket):
    agent_client.post(CHANGELIST, {"action": "close", "_selected_action": [ticket.pk]})
    response = agent_client.post(post_url(ticket), {"body": "Hi", "internal": "false"}, follow=True)
    assert "A closed ticket takes no reply and keeps its status." in response.text
    assert not ticket.messages.filter(body="Hi").exists()


def test_a_refused_status_change_takes_the_note_back_too(agent_client, ticket):
    agent_client.post(CHANGELIST, {"action": "close", "_selected_action": [ticket.pk]})
    note = {"body": "Reopen?", "internal": "true", "then": "resolved"}
    response = agent_client.post(post_url(ticket), note, follow=True)
    assert "A closed ticket takes no reply and keeps its status." in response.text
    assert not ticket.messages.filter(body="Reopen?").exists()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_actions_assign_resolve_and_close(agent_client, ticket, agent):
    def act(action):
        response = agent_client.post(
            CHANGELIST, {"action": action, "_selected_action": [ticket.pk]}, follow=True
        )
        ticket.refresh_from_db()
        return [str(message) for message in response.context["messages"]]

    act("assign_to_me")
    assert (ticket.assignee, ticket.status) == (agent, Status.OPEN)
    act("mark_resolved")
    assert ticket.status == Status.RESOLVED
    act("close")
    assert ticket.status == Status.CLOSED
    assert act("mark_resolved") == [f"Left as they were (closed): {ticket.reference}"]
    assert ticket.status == Status.CLOSED
    events = ticket.messages.filter(kind=Message.Kind.EVENT).values_list("status", flat=True)
    assert list(events) == [Status.OPEN, Status.RESOLVED, Status.CLOSED]
    assert LogEntry.objects.filter(object_id=str(ticket.pk), user=agent).count() == 3


def test_it_assigns_from_the_change_form(agent_client, ticket, agent):
    response = agent_client.post(change_url(ticket), {"assignee": agent.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (agent, Status.OPEN)
    assert LogEntry.objects.filter(object_id=str(ticket.pk), user=agent).exists()


def test_the_change_page_shows_the_thread_with_thumbnails(agent_client, ticket):
    page = agent_client.get(change_url(ticket))
    assert page.status_code == 200
    assert "I click Order and see Error 500." in page.text
    assert ticket.messages.first().screenshots.get().get_thumbnail_url() in page.text
    assert 'name="internal"' in page.text


def test_agents_cannot_add_or_delete_tickets(agent_client, ticket):
    assert agent_client.get(reverse("admin:tickets_ticket_add")).status_code == 403
    delete = reverse("admin:tickets_ticket_delete", args=[ticket.pk])
    assert agent_client.post(delete, {"post": "yes"}).status_code == 403
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_members_have_no_admin(client, silver, ticket):
    client.force_login(silver)
    assert client.get(CHANGELIST).status_code == 302
    assert client.post(post_url(ticket), {"body": "x", "internal": "false"}).status_code == 302


def test_the_queue_costs_the_same_queries_for_many_tickets(
    agent_client, silver, agent, make_ticket, make_member
):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(CHANGELIST).status_code == 200
        return len(queries)

    for n in range(3):
        ticket_agent_post(
            ticket=make_ticket(silver, summary=f"A{n}"), agent=agent, body="?", internal=False
        )
    few = count_queries()
    for n in range(30):
        member = make_member(f"member{n}", member_id=str(n))
        ticket_assign(ticket=make_ticket(member, summary=f"B{n}"), assignee=agent, by=agent)
    assert count_queries() == few
