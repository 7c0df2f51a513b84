"""Service levels: targets per language or for all, due times stored and moved by the
events, the queue's badge and filters, the member's "we usually answer within"."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tickets import sla
from tickets.models import ServiceLevel, Status, Ticket
from tickets.services import (
    ticket_agent_post,
    ticket_member_reply,
    ticket_reopen,
    ticket_set_status,
)

CHANGELIST = reverse("admin:tickets_ticket_changelist")


@pytest.fixture
def levels(db):
    ServiceLevel.objects.create(language="", first_response_minutes=240, resolution_minutes=2880)
    ServiceLevel.objects.create(language="pl", first_response_minutes=60, resolution_minutes=600)


def due_fields(ticket):
    ticket.refresh_from_db()
    return ticket.first_response_due, ticket.resolution_due, ticket.due_at


def test_a_ticket_gets_its_languages_targets_or_those_for_all(levels, silver, make_ticket):
    polish, german = make_ticket(silver, language="pl"), make_ticket(silver, language="de")
    first, resolution, due = due_fields(polish)
    assert (first, resolution) == (
        polish.created_at + timedelta(minutes=60),
        polish.created_at + timedelta(minutes=600),
    )
    assert due == first
    assert due_fields(german)[0] == german.created_at + timedelta(hours=4)


def test_without_targets_nothing_is_due(silver, make_ticket):
    assert due_fields(make_ticket(silver)) == (None, None, None)


def test_the_events_move_what_is_due(levels, silver, agent, make_ticket):
    ticket = make_ticket(silver, language="pl")
    first, resolution, _due = due_fields(ticket)
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=True)
    assert due_fields(ticket)[2] == first  # a note is no answer
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=False)
    assert ticket.first_response_at is not None
    assert due_fields(ticket)[2] is None  # waiting on the member: the agents owe nothing
    ticket_member_reply(ticket=ticket, member=silver, body="Order 42")
    assert due_fields(ticket) == (first, resolution, resolution)
    ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None
    assert ticket.due_at is None


def test_a_reopened_ticket_gets_a_fresh_resolution_clock(levels, silver, agent, make_ticket):
    ticket = make_ticket(silver, language="pl")
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - timedelta(days=3))
    ticket.refresh_from_db()
    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    before = timezone.now()
    ticket_reopen(ticket=ticket, agent=agent, reason="Back again")
    ticket.refresh_from_db()
    assert ticket.resolved_at is None
    assert ticket.resolution_due >= before + timedelta(minutes=600)


def test_changing_a_target_moves_the_open_tickets_it_governs(levels, silver, make_ticket):
    german, polish = make_ticket(silver, language="de"), make_ticket(silver, language="pl")
    polish_due = due_fields(polish)
    level = ServiceLevel.objects.get(language="")
    level.first_response_minutes = 30
    level.save()
    assert sla.refresh_open_tickets("") == 1
    assert due_fields(german)[0] == german.created_at + timedelta(minutes=30)
    assert due_fields(polish) == polish_due


def test_the_administrator_edits_targets_in_the_admin(client, admin_user, silver, make_ticket):
    ticket = make_ticket(silver)
    client.force_login(admin_user)
    add = reverse("admin:tickets_servicelevel_add")
    data = {"language": "", "first_response_minutes": 90, "resolution_minutes": 900}
    assert client.post(add, data).status_code == 302
    assert due_fields(ticket)[2] == ticket.created_at + timedelta(minutes=90)


def test_business_hours_count_only_the_support_hours(db, monkeypatch):
    """The seam: with support hours known (here 9-17 on weekdays), a 2-hour target set
    at 16:00 on a Friday falls at 10:00 on Monday."""

    def between(start, end):
        seconds, day = 0.0, start
        while day < end:
            step = min(end, day + timedelta(minutes=30))
            if day.weekday() < 5 and 9 <= day.hour < 17:
                seconds += (step - day).total_seconds()
            day = step
        return seconds

    friday = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert sla.deadline(friday, 120, business_hours=True) == friday + timedelta(hours=2)
    monkeypatch.setattr(sla, "support_hours", lambda: between)
    assert sla.deadline(friday, 120, business_hours=True) == datetime(
        2026, 11, 30, 10, 0, tzinfo=UTC
    )
    assert sla.deadline(friday, 120, business_hours=False) == friday + timedelta(hours=2)


@translation.override("en")
def test_the_badge_says_due_in_or_overdue():
    now = timezone.now()
    assert sla.badge(now + timedelta(hours=2, minutes=5), now) == "due in 2 h"
    assert sla.badge(now - timedelta(minutes=35), now) == "overdue 35 min"
    assert sla.badge(now + timedelta(days=3), now) == "due in 3 days"
    assert sla.badge(None, now) == ""


def test_the_queue_shows_badges_and_filters_overdue_and_due_soon(
    levels, client, agent, silver, make_ticket
):
    late, soon, later = (make_ticket(silver, summary=name) for name in ("late", "soon", "later"))
    now = timezone.now()
    for ticket, due in ((late, -35), (soon, 30), (later, 610)):
        Ticket.objects.filter(pk=ticket.pk).update(due_at=now + timedelta(minutes=due))
    client.force_login(agent)
    page = client.get(CHANGELIST)
    assert "overdue 35 min" in page.text
    assert '<span class="sla-badge sla-overdue">' in page.text
    assert "due in 10 h" in page.text

    def listed(**query):
        return {t.summary for t in client.get(CHANGELIST, query).context["cl"].result_list}

    assert listed(due="overdue") == {"late"}
    assert listed(due="soon") == {"soon"}
    client.cookies["django_language"] = "pl"
    assert "po terminie 35 min" in client.get(CHANGELIST).text


def test_the_member_is_told_when_a_first_answer_can_be_expected(
    levels, client, silver, agent, make_ticket
):
    ticket = make_ticket(silver, language="de")
    client.force_login(silver)
    assert "We usually answer within 4 hours." in client.get(ticket.get_absolute_url()).text
    client.cookies["django_language"] = "pl"
    assert "Zwykle odpowiadamy w\u00a0ciągu 4 godzin." in client.get(ticket.get_absolute_url()).text
    ticket_agent_post(ticket=ticket, agent=agent, body="Hello", internal=False)
    assert "odpowiadamy w\u00a0ciągu" not in client.get(ticket.get_absolute_url()).text


def test_business_hours_are_the_portals_support_hours(monkeypatch):
    """With portal.hours limited to 9-17 on weekdays (UTC), a 2-hour target set at 16:00 on
    a Friday falls at 10:00 on Monday; unlimited hours count calendar time."""
    from datetime import time

    from portal.hours.schedule import Schedule

    weekdays = {day: ((time(9), time(17)),) for day in range(5)}
    friday = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    monkeypatch.setattr(sla.hours, "schedule", lambda: Schedule(limited=True, windows=weekdays))
    assert sla.deadline(friday, 120, business_hours=True) == datetime(
        2026, 11, 30, 10, 0, tzinfo=UTC
    )
    monkeypatch.setattr(sla.hours, "schedule", lambda: Schedule(limited=False))
    assert sla.deadline(friday, 120, business_hours=True) == friday + timedelta(hours=2)
