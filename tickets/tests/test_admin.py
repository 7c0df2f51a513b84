"""The agents' queue in the Django admin, worked by an agent of the group (not a superuser)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tickets import search
from tickets.models import Message, Status, Ticket, TransitionError
from tickets.services import ticket_agent_post, ticket_assign
from tickets.tests.conftest import image_file

CHANGELIST = reverse("admin:tickets_ticket_changelist")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def change_url(ticket):
    return reverse("admin:tickets_ticket_change", args=[ticket.pk])


def save(client, ticket, follow=False, **fields):
    """Press the one Save of a ticket's page with these fields (the rest as the page has
    them: the assignee kept, no status change, a public reply)."""
    ticket.refresh_from_db()
    data = {"assignee": ticket.assignee_id or "", "new_status": "", "internal": "false"}
    data.update({"body": "", "_save": "Save", **fields})
    return client.post(change_url(ticket), data, follow=follow)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


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
    assert listed(status="open") == {mine}


def test_agents_read_waiting_on_member_where_members_read_awaiting_your_reply(
    agent_client, ticket, agent, silver
):
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=False)
    member = Client()
    member.force_login(silver)
    assert "Awaiting your reply" in member.get(ticket.get_absolute_url()).text
    queue = agent_client.get(CHANGELIST)
    assert "Waiting on member" in queue.text
    assert "Awaiting your reply" not in queue.text
    assert "Waiting on member" in agent_client.get(change_url(ticket)).text
    agent_client.cookies["django_language"] = "pl"
    assert "Czeka na członka" in agent_client.get(CHANGELIST).text


def test_the_queue_puts_what_needs_attention_first(agent_client, silver, agent, make_ticket):
    def at(minutes):
        return timezone.now() - timedelta(minutes=minutes)

    made = {}
    for name, waited, status in [
        ("awaiting", 90, Status.AWAITING_MEMBER),
        ("resolved", 5, Status.RESOLVED),
        ("new recent", 10, Status.NEW),
        ("member replied long ago", 60, Status.OPEN),
        ("closed", 1, Status.CLOSED),
        ("new old", 30, Status.NEW),
    ]:
        made[name] = make_ticket(silver, summary=name)
        Ticket.objects.filter(pk=made[name].pk).update(
            status=status, last_member_activity=at(waited), last_activity=at(waited)
        )
    order = [t.summary for t in agent_client.get(CHANGELIST).context["cl"].result_list]
    assert order == [
        "member replied long ago",
        "new old",
        "new recent",
        "awaiting",
        "resolved",
        "closed",
    ]


def test_it_searches_reference_title_member_and_message_bodies(
    agent_client, silver, diamond, agent, make_ticket
):
    ticket = make_ticket(silver, summary="Koszyk nie działa", description="Checkout shows 500")
    ticket_agent_post(ticket=ticket, agent=agent, body="Try the Zamówienie button", internal=True)
    other = make_ticket(diamond, summary="Other", description="Invoice missing")
    queries = [
        ticket.reference,
        "koszyk",
        "silver",
        silver.first_name,
        f"{silver.first_name} {silver.last_name}",
        "silver@example.com",
        "1000007",
        "checkout",
        "zamówienie",
        "CHECKOUT koszyk",
    ]
    for query in queries:
        result = agent_client.get(CHANGELIST, {"q": query}).context["cl"].result_list
        assert list(result) == [ticket], query
    both = agent_client.get(CHANGELIST, {"q": "i"}).context["cl"].result_list
    assert set(both) == {ticket, other}
    assert not agent_client.get(CHANGELIST, {"q": "checkout invoice"}).context["cl"].result_list


def test_it_replies_publicly_through_the_domain_and_logs_it(agent_client, ticket, agent):
    response = save(agent_client, ticket, body="Which order?", screenshots=[image_file("a.png")])
    assert response.status_code == 302
    assert response.url == change_url(ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_MEMBER
    reply = ticket.messages.get(kind=Message.Kind.REPLY)
    assert (reply.author, reply.screenshots.count()) == (agent, 1)
    log = LogEntry.objects.get(object_id=str(ticket.pk))
    assert (log.user, log.change_message) == (agent, "Replied; Status set to Awaiting your reply")


def test_one_save_assigns_replies_and_sets_the_status_together(
    agent_client, ticket, agent, make_agent, silver, django_capture_on_commit_callbacks
):
    other = make_agent("bob")
    with django_capture_on_commit_callbacks(execute=True):
        response = save(
            agent_client, ticket, follow=True, assignee=other.pk, body="Fixed", new_status="open"
        )
    assert messages_of(response) == ["Saved."]
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (other, Status.OPEN)
    assert ticket.messages.get(kind=Message.Kind.REPLY).body == "Fixed"
    assert [email.to for email in mail.outbox] == [[silver.email]]
    log = LogEntry.objects.get(object_id=str(ticket.pk))
    assert log.change_message == "Assigned to bob; Replied; Status set to Open"


@pytest.mark.parametrize("status", ["open", "awaiting_member", "resolved", "closed"])
def test_any_allowed_status_is_set_without_a_message(agent_client, ticket, status):
    save(agent_client, ticket, new_status=status)
    ticket.refresh_from_db()
    assert ticket.status == status
    assert ticket.messages.filter(kind=Message.Kind.EVENT).get().status == status


def test_an_internal_note_stays_hidden_from_the_member(agent_client, client, ticket, silver):
    save(agent_client, ticket, body="NOTE FOR AGENTS", internal="true")
    page = agent_client.get(change_url(ticket))
    assert "NOTE FOR AGENTS" in page.text
    client.force_login(silver)
    assert "NOTE FOR AGENTS" not in client.get(ticket.get_absolute_url()).text
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_a_note_can_set_awaiting_without_telling_the_member(agent_client, ticket):
    save(agent_client, ticket, body="Asked by phone", internal="true", new_status="awaiting_member")
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_MEMBER
    assert not mail.outbox


def test_reply_and_resolve_is_one_status_change_and_one_email(
    agent_client, ticket, silver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        save(agent_client, ticket, body="Fixed it", new_status="resolved")
    events = ticket.messages.filter(kind=Message.Kind.EVENT).values_list("status", flat=True)
    assert list(events) == [Status.RESOLVED]
    [email] = mail.outbox
    assert email.to == [silver.email]
    assert email.subject == f"Your technical issue {ticket.reference} is resolved"
    assert "Fixed it" in email.body


def test_the_form_offers_only_the_statuses_the_ticket_may_take(agent_client, ticket):
    save(agent_client, ticket, new_status="resolved")
    form = agent_client.get(change_url(ticket)).context["adminform"].form
    offered = [value for value, _label in form.fields["new_status"].choices]
    assert offered == ["", "open", "awaiting_member", "closed"]
    response = save(agent_client, ticket, new_status="new", body="Keep this text")
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert "Keep this text" in response.text


def test_screenshots_need_a_message(agent_client, ticket):
    response = save(agent_client, ticket, screenshots=[image_file("a.png")])
    assert response.status_code == 200
    assert "Write a message to go with the screenshots." in response.text
    assert ticket.messages.count() == 1


def test_it_refuses_a_reply_on_a_closed_ticket_and_says_why(agent_client, ticket):
    save(agent_client, ticket, new_status="closed")
    response = save(agent_client, ticket, body="Hi")
    assert response.status_code == 200
    assert "A closed ticket takes no reply: reopen it first, giving the reason." in response.text
    assert not ticket.messages.filter(body="Hi").exists()


def test_a_refusal_found_at_save_keeps_nothing_and_says_why(agent_client, ticket, agent):
    # The form allowed it, the database refused it (someone else's change in between).
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.OPEN)
    data = {"assignee": agent.pk, "new_status": "resolved", "internal": "true", "body": "Done"}
    data["_save"] = "Save"
    with mock.patch.object(Ticket, "apply_status", side_effect=TransitionError("Refused: why")):
        response = agent_client.post(change_url(ticket), data, follow=True)
    assert messages_of(response) == ["Refused: why"]
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert not ticket.messages.filter(body="Done").exists()
    assert not LogEntry.objects.filter(object_id=str(ticket.pk)).exists()


def test_an_agent_reopens_a_closed_ticket_with_a_reason(agent_client, client, ticket, silver):
    save(agent_client, ticket, new_status="closed")
    response = save(agent_client, ticket, new_status="open")
    assert "Give the reason for reopening the ticket." in response.text
    response = save(agent_client, ticket, follow=True, new_status="open", body="Bug came back")
    assert messages_of(response) == ["Saved."]
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    note, event = list(ticket.messages.all())[-2:]
    assert (note.kind, note.body, event.status) == ("note", "Bug came back", "open")
    assert LogEntry.objects.filter(change_message="Reopened").exists()
    client.force_login(silver)
    assert "Bug came back" not in client.get(ticket.get_absolute_url()).text


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


def test_it_assigns_many_tickets_to_any_agent_at_once(
    agent_client, silver, agent, make_agent, make_ticket
):
    bob = make_agent("bob")
    tickets = [make_ticket(silver, summary=f"T{n}") for n in range(3)]
    response = agent_client.post(
        CHANGELIST,
        {"action": "assign_to", "assignee": bob.pk, "_selected_action": [t.pk for t in tickets]},
        follow=True,
    )
    assert response.status_code == 200
    assert set(Ticket.objects.values_list("assignee", "status")) == {(bob.pk, Status.OPEN)}
    assert LogEntry.objects.filter(user=agent, change_message="Assigned to bob").count() == 3
    assert '<select name="assignee"' in agent_client.get(CHANGELIST).text


def test_assign_to_says_to_choose_an_agent(agent_client, ticket):
    response = agent_client.post(
        CHANGELIST, {"action": "assign_to", "_selected_action": [ticket.pk]}, follow=True
    )
    assert messages_of(response) == [
        "Choose the agent to assign the tickets to, next to the action."
    ]
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_it_assigns_from_the_change_form(agent_client, ticket, agent):
    response = save(agent_client, ticket, assignee=agent.pk)
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
    assert '<textarea name="body"' in page.text
    assert 'id="id_body"' in page.text
    assert page.text.count('name="_save"') == 1
    assert "_continue" not in page.text


def test_agents_cannot_add_or_delete_tickets(agent_client, ticket):
    assert agent_client.get(reverse("admin:tickets_ticket_add")).status_code == 403
    delete = reverse("admin:tickets_ticket_delete", args=[ticket.pk])
    assert agent_client.post(delete, {"post": "yes"}).status_code == 403
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_members_have_no_admin(client, silver, ticket):
    client.force_login(silver)
    assert client.get(CHANGELIST).status_code == 302
    assert save(client, ticket, body="x").status_code == 302
    assert ticket.messages.count() == 1


def test_the_queue_costs_the_same_queries_for_many_tickets(
    agent_client, silver, agent, make_ticket, make_member
):
    def count_queries():
        counts = []
        for query in ({}, {"q": "member"}, {"q": "?"}):
            with CaptureQueriesContext(connection) as queries:
                assert agent_client.get(CHANGELIST, query).status_code == 200
            counts.append(len(queries))
        return counts

    for n in range(3):
        ticket_agent_post(
            ticket=make_ticket(silver, summary=f"A{n}"), agent=agent, body="?", internal=False
        )
    few = count_queries()
    for n in range(30):
        member = make_member(f"member{n}", member_id=str(n))
        ticket_assign(ticket=make_ticket(member, summary=f"B{n}"), assignee=agent, by=agent)
    assert count_queries() == few


def test_message_bodies_are_searched_by_the_databases_best_tool(ticket):
    """PostgreSQL: full text through the GIN index (when it is worth it); others: LIKE."""
    matching = search.ticket_search(Ticket.objects.all(), "order")
    assert list(matching) == [ticket]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assert "LIKE" in str(matching.query)
            return
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = matching.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "tickets_message_body_fts" in plan


def test_refusals_read_in_the_agents_language(agent_client, ticket):
    save(agent_client, ticket, new_status="closed")
    agent_client.cookies["django_language"] = "pl"
    response = save(agent_client, ticket, body="Hi")
    assert "Na zamknięte zgłoszenie nie można odpowiedzieć: najpierw otwórz je" in response.text
    response = save(agent_client, ticket, new_status="open")
    assert "Podaj powód ponownego otwarcia zgłoszenia." in response.text
