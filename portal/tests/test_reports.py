"""The reports page: figures computed by the database, the same queries for any amount of
data, the page, its CSV downloads and who may read it."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livechat.models import Chat
from portal import report_figures, reports
from tickets.models import Ticket

DAY = date(2026, 11, 10)
PERIOD = reports.Period(DAY, DAY + timedelta(days=2))


def at(day_offset, hour=9, minute=0):
    return timezone.make_aware(
        datetime.combine(DAY + timedelta(days=day_offset), datetime.min.time())
    ) + timedelta(hours=hour, minutes=minute)


@pytest.fixture
def make_rows(silver, agent, make_agent):
    bob = make_agent("bob", first_name="Bob")

    def make(n_tickets=10, n_chats=10):
        """Tickets whose first answers took 1..n minutes (Alex even, Bob odd), half of
        them resolved after n hours; chats waiting 10..10n seconds."""
        for n in range(1, n_tickets + 1):
            created = at(n % 3)
            ticket = Ticket.objects.create(
                member=silver,
                language="pl" if n % 2 else "en",
                summary=f"T{n}",
                assignee=agent if n % 2 == 0 else bob,
                status="resolved" if n % 2 == 0 else "open",
                created_at=created,
                first_response_at=created + timedelta(minutes=n),
                first_response_due=created + timedelta(minutes=5),
                resolved_at=created + timedelta(hours=n) if n % 2 == 0 else None,
                rating=5 if n % 4 == 0 else (2 if n % 2 == 0 else None),
                rated_at=created + timedelta(hours=n) if n % 2 == 0 else None,
            )
            assert ticket.pk
        for n in range(1, n_chats + 1):
            created = at(n % 3, hour=10)
            Chat.objects.create(
                name="Sylwia",
                email="s@example.com",
                question="?",
                session_key="s",
                created=created,
                seen_at=created,
                state="abandoned" if n > n_chats - 2 else "ended",
                agent=None if n > n_chats - 2 else agent,
                accepted_at=None if n > n_chats - 2 else created + timedelta(seconds=10 * n),
                ended_at=created + timedelta(minutes=n),
                language="en",
            )
        return bob

    return make


def table(figure):
    return [dict(zip(map(str, figure.columns), row, strict=True)) for row in figure.rows]


def test_tickets_and_chats_per_day_with_the_backlog(make_rows):
    make_rows()
    tickets = table(report_figures.tickets_daily(PERIOD))
    assert [row["Opened"] for row in tickets] == [3, 4, 3]  # n % 3 == 0, 1, 2
    assert sum(row["Resolved"] for row in tickets) == 5  # n even, within the period
    assert [row["Backlog"] for row in tickets][-1] == 5
    chats = table(report_figures.chats_daily(PERIOD))
    assert sum(row["Started"] for row in chats) == 10
    assert sum(row["Answered"] for row in chats) == 8
    assert sum(row["Abandoned"] for row in chats) == 2


def test_medians_and_90th_percentiles_overall_per_agent_and_language(make_rows):
    bob = make_rows()
    rows = {
        (str(r["Scope"]), r["Name"]): r
        for r in table(report_figures.tickets_by(PERIOD, report_figures.Names()))
    }
    overall = rows[("Overall", "All")]
    assert overall["Opened"] == 10
    assert overall["First answer, median (min)"] == 5.0  # ranks: ceil(10*.5)=5 -> 5 min
    assert overall["First answer, 90th percentile (min)"] == 9.0
    assert rows[("Agent", "Bob")]["First answer, median (min)"] == 5.0  # 1,3,5,7,9
    assert rows[("Agent", "Alex")]["First answer, median (min)"] == 6.0  # 2,4,6,8,10
    assert rows[("Language", "Polski")]["Opened"] == 5
    assert overall["First answer on time (%)"] == 50.0  # 1..5 of 10 within 5 minutes
    assert overall["Ratings"] == 5
    assert overall["CSAT (%)"] == 40.0  # 5s at n=4, 8; 2s at 2, 6, 10
    assert bob.pk
    chats = {
        (str(r["Scope"]), r["Name"]): r
        for r in table(report_figures.chats_by(PERIOD, report_figures.Names()))
    }
    everyone = chats[("Overall", "All")]
    assert (everyone["Started"], everyone["Answered"], everyone["Abandoned"]) == (10, 8, 2)
    assert everyone["Wait, median (s)"] == 40  # 10..80 s: rank 4
    assert everyone["Wait, 90th percentile (s)"] == 80
    assert everyone["Handle time, median (min)"] is not None


def test_the_page_costs_the_same_queries_for_ten_times_the_data(client, agent, make_rows):
    client.force_login(agent)
    url = reverse("reports") + "?start=2026-11-10&end=2026-11-12"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_rows(3, 3)
    count()  # the session is read from the database once, from the cache after
    few = count()
    make_rows(30, 30)
    assert count() == few


def test_each_figure_downloads_as_csv(client, agent, make_rows):
    make_rows()
    client.force_login(agent)
    response = client.get(
        reverse("reports"), {"start": "2026-11-10", "end": "2026-11-12", "csv": "chats_by"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="chats_by-2026-11-10-2026-11-12.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Scope", "Name", "Started"]
    assert rows[1][:5] == ["Overall", "All", "10", "8", "2"]
    assert client.get(reverse("reports"), {"csv": "passwords"}).status_code == 404


def test_the_page_shows_tables_and_chart_data_without_inline_script(client, agent, make_rows):
    make_rows()
    client.force_login(agent)
    page = client.get(reverse("reports"), {"start": "2026-11-10", "end": "2026-11-12"})
    assert page.status_code == 200
    assert '<script id="report-charts" type="application/json">' in page.text
    assert "/static/vendor/chartjs/chart.umd.js" in page.text
    assert page.text.count("<table") == 4
    assert page.text.count("<script>") == 0  # data in json_script, code in files: strict CSP
    assert ">2026-11-11</th>" in page.text
    assert page.context["charts"][0]["series"][0]["label"] == "Opened"


def test_a_bad_period_says_what_to_fix(client, agent):
    client.force_login(agent)
    page = client.get(reverse("reports"), {"start": "2026-11-12", "end": "2026-11-01"})
    assert page.status_code == 400
    assert "Choose a start before the end, at most a year apart." in page.text
    assert 'value="2026-11-12"' in page.text


def test_members_cannot_read_the_reports(client, silver):
    client.force_login(silver)
    assert client.get(reverse("reports")).status_code == 403


def test_it_stores_the_durations_the_services_stamp(silver, agent):
    from livechat.services import chat_accept, chat_end, chat_open
    from portal.durations import seconds_between
    from tickets.services import ticket_agent_post, ticket_set_status, ticket_submit

    ticket = ticket_submit(
        member=silver, language="en", summary="Order", description="Error 500.", screenshots=[]
    )
    assert (ticket.first_response_seconds, ticket.resolution_seconds) == (None, None)
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=ticket.created_at - timedelta(minutes=90, seconds=30.6)
    )
    ticket.refresh_from_db()
    ticket_agent_post(ticket=ticket, agent=agent, body="Hello", internal=False)
    ticket_set_status(ticket=ticket, status="resolved", by=agent)
    ticket.refresh_from_db()
    assert 5430 <= ticket.first_response_seconds <= 5432
    assert ticket.first_response_seconds == seconds_between(
        ticket.created_at, ticket.first_response_at
    )
    assert ticket.resolution_seconds == seconds_between(ticket.created_at, ticket.resolved_at)
    assert ticket.resolution_seconds >= 5430
    ticket_set_status(ticket=ticket, status="open", by=agent)  # back to the agents
    ticket.refresh_from_db()
    assert ticket.resolved_at is None
    assert ticket.resolution_seconds is None

    t0 = timezone.now()
    chat = chat_open(
        name="Vic", email="v@example.com", member_id="", question="?", session_key="s", now=t0
    ).chat
    assert (chat.wait_seconds, chat.handle_seconds) == (None, None)
    chat_accept(chat_id=chat.pk, agent=agent, now=t0 + timedelta(seconds=37.6))
    chat.refresh_from_db()
    chat_end(chat=chat, by="agent", now=t0 + timedelta(seconds=300.9))
    chat.refresh_from_db()
    assert (chat.wait_seconds, chat.handle_seconds) == (37, 263)
    assert chat.durations() == {"wait_seconds": 37, "handle_seconds": 263}
