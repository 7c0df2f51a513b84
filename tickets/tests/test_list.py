from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tickets.models import Status, Ticket

URL = reverse("tickets:list")


def test_it_lists_only_the_members_own_tickets(client, silver, diamond, make_ticket):
    mine = make_ticket(silver, summary="Mine")
    make_ticket(diamond, summary="Not mine")
    client.force_login(silver)
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["page"]) == [mine]
    assert b"English - Mine" in response.content
    assert b"Not mine" not in response.content


def test_it_puts_the_newest_activity_first_and_flags_awaiting(client, silver, agent, make_ticket):
    from tickets.services import ticket_agent_post

    older = make_ticket(silver, summary="Older")
    make_ticket(silver, summary="Newer")
    ticket_agent_post(ticket=older, agent=agent, body="Which order?", internal=False)
    client.force_login(silver)
    response = client.get(URL)
    page = list(response.context["page"])
    assert [t.summary for t in page] == ["Older", "Newer"]
    assert page[0].status == Status.AWAITING_MEMBER
    assert "Awaiting your reply" in response.text
    assert "waiting on you" in response.text


def test_it_paginates(client, silver, make_ticket, settings):
    settings.TICKETS_PER_PAGE = 2
    for n in range(5):
        make_ticket(silver, summary=f"Issue {n}")
    client.force_login(silver)
    response = client.get(URL, {"page": 3})
    assert [t.summary for t in response.context["page"]] == ["Issue 0"]
    assert "Page 3 of 3" in response.text


def test_it_leads_an_empty_list_to_the_form_and_shows_the_guide(client, silver):
    client.force_login(silver)
    response = client.get(URL)
    assert "You have not submitted a technical issue yet." in response.text
    assert reverse("tickets:new") in response.text
    assert "How to submit a ticket" in response.text
    assert "Submit Tech Issue" in response.text


def test_it_speaks_polish_with_the_seeds_wording(client, make_member):
    member = make_member("ola", language="pl")
    client.force_login(member)
    response = client.get(URL)
    assert "Moje problemy techniczne" in response.text
    assert "Zgłoś nowy problem techniczny" in response.text
    assert "Zgłoś problem techniczny" in response.text


def test_it_shows_the_gate_below_silver(client, premier):
    client.force_login(premier)
    response = client.get(URL)
    assert response.status_code == 403
    assert "rank Silver or higher" in response.text


@pytest.mark.django_db
def test_it_sends_a_visitor_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_opens_for_an_agent(client, agent):
    client.force_login(agent)
    assert client.get(URL).status_code == 200


def test_an_agents_change_shows_at_once_though_the_list_is_kept(client, silver, agent, make_ticket):
    from tickets.services import ticket_set_status

    ticket = make_ticket(silver, summary="Kept")
    client.force_login(silver)
    assert 'status-new">New' in client.get(URL).text  # rendered, and kept for what it shows
    ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)  # an UPDATE
    assert 'status-resolved">Resolved' in client.get(URL).text
    Ticket.objects.filter(pk=ticket.pk).update(summary="Renamed")  # no signal, no save()
    assert "English - Renamed" in client.get(URL).text
    make_ticket(silver, summary="Another")
    assert "English - Another" in client.get(URL).text


def test_the_last_activity_moves_on_with_the_clock(client, silver, make_ticket, monkeypatch):
    make_ticket(silver)
    client.force_login(silver)
    assert "last activity just now" in client.get(URL).text
    client.cookies["django_language"] = "pl"
    assert "ostatnia aktywność przed chwilą" in client.get(URL).text
    client.cookies["django_language"] = "en"
    later = timezone.now() + timedelta(minutes=3, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get(URL).text
    assert "last activity 3\xa0minutes ago" in page
    assert "just now" not in page


def test_a_page_costs_the_same_queries_whatever_it_shows(client, silver, make_ticket, settings):
    settings.TICKETS_PER_PAGE = 3
    client.force_login(silver)
    client.get(URL)  # the session is read from the database once

    def count(query=""):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL + query).status_code == 200
        return len(queries)

    empty = count()
    for n in range(4):
        make_ticket(silver, summary=f"Issue {n}")
    assert count() == count() == count("?page=2") == empty + 1  # the page's rows
