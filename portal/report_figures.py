"""The reports page's figures (portal.reports computes them in the database)."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livechat.models import Chat
from portal.reports import (
    PERCENTILES,
    SCOPES,
    Figure,
    Period,
    grouped_counts,
    minutes,
    per_day,
    percentiles,
    share,
    sizes_of,
)
from tickets.languages import LANGUAGES_BY_CODE
from tickets.models import Ticket

# The figures ------------------------------------------------------------------------------

TICKET_GROUPS = {"overall": None, "agent": "assignee", "language": "language"}
CHAT_GROUPS = {"overall": None, "agent": "agent", "language": "language"}


def tickets_daily(period: Period) -> Figure:
    """Opened, resolved and the backlog (not yet resolved or closed) at each day's end."""
    opened = per_day(
        Ticket.objects.filter(period.within("created_at")), "created_at", n=Count("pk")
    )
    done = per_day(
        Ticket.objects.filter(period.within("resolved_at")), "resolved_at", n=Count("pk")
    )
    before = Ticket.objects.filter(created_at__lt=period.since)
    backlog = before.exclude(resolved_at__lt=period.since).count()
    figure = Figure(
        "tickets_daily",
        _("Technical issues per day"),
        [_("Day"), _("Opened"), _("Resolved"), _("Backlog")],
    )
    for day in period.days():
        count_in, count_out = opened.get(day, {}).get("n", 0), done.get(day, {}).get("n", 0)
        backlog += count_in - count_out
        figure.rows.append([day.isoformat(), count_in, count_out, backlog])
    return figure


def chats_daily(period: Period) -> Figure:
    chats = per_day(Chat.objects.filter(period.within("created")), "created", **CHAT_COUNTS)
    figure = Figure(
        "chats_daily",
        _("Chats per day"),
        [_("Day"), _("Started"), _("Answered"), _("Abandoned")],
    )
    for day in period.days():
        counts = chats.get(day, {})
        figure.rows.append([day.isoformat(), *(counts.get(name, 0) for name in CHAT_COUNTS)])
    return figure


# What the chat tables count, each a condition on the chats of the period.
CHAT_FILTERS = {
    "started": Count("pk", filter=Q(pk__isnull=False)),
    "answered": Count("pk", filter=Q(accepted_at__isnull=False)),
    "abandoned": Count("pk", filter=Q(state=Chat.State.ABANDONED)),
    "handled": Count("pk", filter=Q(accepted_at__isnull=False, ended_at__isnull=False)),
}
CHAT_COUNTS = {name: CHAT_FILTERS[name] for name in ("started", "answered", "abandoned")}


def ticket_counts(period: Period, now: datetime) -> dict:
    """What the per-agent and per-language table counts, in one scan of the tickets."""
    opened, resolved, rated = (
        period.within(name) for name in ("created_at", "resolved_at", "rated_at")
    )
    first_late = Q(first_response_at__gt=F("first_response_due")) | Q(
        first_response_at__isnull=True, first_response_due__lt=now
    )
    resolution_late = Q(resolved_at__gt=F("resolution_due")) | Q(
        resolved_at__isnull=True, resolution_due__lt=now
    )
    return {
        "opened": Count("pk", filter=opened),
        "answered": Count("pk", filter=opened & Q(first_response_at__isnull=False)),
        "first_hit": Count("pk", filter=opened & Q(first_response_at__lte=F("first_response_due"))),
        "first_missed": Count("pk", filter=opened & first_late),
        "resolution_hit": Count("pk", filter=opened & Q(resolved_at__lte=F("resolution_due"))),
        "resolution_missed": Count("pk", filter=opened & resolution_late),
        "resolved": Count("pk", filter=resolved),
        "ratings": Count("pk", filter=rated),
        "satisfied": Count("pk", filter=rated & Q(rating__gte=4)),
    }


# The tables' columns, in the order the rows below fill them.
TICKET_COLUMNS = [
    _("Scope"),
    _("Name"),
    _("Opened"),
    _("Resolved"),
    _("First answer, median (min)"),
    _("First answer, 90th percentile (min)"),
    _("Resolution, median (h)"),
    _("Resolution, 90th percentile (h)"),
    _("First answer on time (%)"),
    _("Resolved on time (%)"),
    _("Ratings"),
    _("CSAT (%)"),
]
CHAT_COLUMNS = [
    _("Scope"),
    _("Name"),
    _("Started"),
    _("Answered"),
    _("Abandoned"),
    _("Wait, median (s)"),
    _("Wait, 90th percentile (s)"),
    _("Handle time, median (min)"),
    _("Handle time, 90th percentile (min)"),
    _("Ratings"),
    _("CSAT (%)"),
]


def tickets_by(period: Period, names: "Names") -> Figure:
    opened = Ticket.objects.filter(period.within("created_at"))
    resolved = Ticket.objects.filter(period.within("resolved_at"))
    touched = Ticket.objects.filter(
        period.within("created_at") | period.within("resolved_at") | period.within("rated_at")
    )
    counts = grouped_counts(touched, TICKET_GROUPS, **ticket_counts(period, timezone.now()))
    answered, closed = sizes_of(counts, "answered"), sizes_of(counts, "resolved")
    first = percentiles(opened, "first_response_seconds", TICKET_GROUPS, answered)
    resolution = percentiles(resolved, "resolution_seconds", TICKET_GROUPS, closed)
    figure = Figure(
        "tickets_by",
        _("Technical issues: overall, per agent, per language"),
        TICKET_COLUMNS,
    )
    for scope, group, row in names.rows(counts):
        firsts, resolutions = first[scope].get(group, {}), resolution[scope].get(group, {})
        figure.rows.append(
            [
                SCOPES[scope],
                names.of(scope, group),
                row.get("opened", 0),
                row.get("resolved", 0),
                *(minutes(firsts.get(p)) for p in PERCENTILES),
                *(hours(resolutions.get(p)) for p in PERCENTILES),
                hit_rate(row, "first"),
                hit_rate(row, "resolution"),
                row.get("ratings", 0),
                share(row.get("satisfied"), row.get("ratings")),
            ]
        )
    return figure


def chats_by(period: Period, names: "Names") -> Figure:
    started = Chat.objects.filter(period.within("created"))
    touched = Chat.objects.filter(period.within("created") | period.within("rated_at"))
    within, rated = period.within("created"), period.within("rated_at")
    counts = grouped_counts(
        touched,
        CHAT_GROUPS,
        **{name: Count("pk", filter=within & count.filter) for name, count in CHAT_FILTERS.items()},
        ratings=Count("pk", filter=rated),
        satisfied=Count("pk", filter=rated & Q(rating__gte=4)),
    )
    wait = percentiles(started, "wait_seconds", CHAT_GROUPS, sizes_of(counts, "answered"))
    handle = percentiles(started, "handle_seconds", CHAT_GROUPS, sizes_of(counts, "handled"))
    figure = Figure(
        "chats_by",
        _("Chats: overall, per agent, per language"),
        CHAT_COLUMNS,
    )
    for scope, group, row in names.rows(counts):
        waits, handles = wait[scope].get(group, {}), handle[scope].get(group, {})
        figure.rows.append(
            [
                SCOPES[scope],
                names.of(scope, group),
                *(row.get(name, 0) for name in CHAT_COUNTS),
                *(rounded(waits.get(p)) for p in PERCENTILES),
                *(minutes(handles.get(p)) for p in PERCENTILES),
                row.get("ratings", 0),
                share(row.get("satisfied"), row.get("ratings")),
            ]
        )
    return figure


class Names:
    """What a group is called in a table: the agent's name, the language's own name."""

    def __init__(self):
        people = User.objects.filter(is_staff=True)  # tickets and chats go to staff only
        self.agents = {person.pk: person.get_full_name() or person.username for person in people}

    def of(self, scope: str, group) -> str:
        if scope == "overall":
            return str(_("All"))
        if scope == "agent":
            return self.agents.get(group) or str(_("Unassigned"))
        language = LANGUAGES_BY_CODE.get(group or "")
        return language.own_name if language else str(_("Not known"))

    def rows(self, counts: dict):
        for scope in SCOPES:
            groups = sorted(counts[scope].items(), key=lambda item: self.of(scope, item[0]))
            for group, row in groups:
                yield scope, group, row


def merge(*found: dict) -> dict:
    merged: dict = {scope: {} for scope in SCOPES}
    for counts in found:
        for scope, groups in counts.items():
            for group, row in groups.items():
                merged[scope].setdefault(group, {}).update(row)
    return merged


def hit_rate(row: dict, target: str) -> float | None:
    hit, missed = row.get(f"{target}_hit", 0), row.get(f"{target}_missed", 0)
    return share(hit, hit + missed)


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds)


def report(period: Period, only: str | None = None) -> list[Figure]:
    """The figures of the page, in its order (or only the one named)."""
    names = Names()
    builders = {
        "tickets_daily": lambda: tickets_daily(period),
        "chats_daily": lambda: chats_daily(period),
        "tickets_by": lambda: tickets_by(period, names),
        "chats_by": lambda: chats_by(period, names),
    }
    return [build() for name, build in builders.items() if only in (None, name)]


FIGURE_NAMES = ("tickets_daily", "chats_daily", "tickets_by", "chats_by")
# What each figure is drawn as, on the page (the rest are tables only).
CHARTS = {"tickets_daily": "line", "chats_daily": "bar", "tickets_by": "bar"}


def chart_data(figures: list[Figure]) -> list[dict]:
    """What the page's script draws, by canvas id: per day, the series of each column;
    for the per-agent table, each agent's first-answer median and CSAT."""
    charts = []
    for figure in figures:
        kind = CHARTS.get(figure.name)
        if kind is None:
            continue
        rows, columns = figure.rows, [str(column) for column in figure.columns]
        if figure.name == "tickets_by":
            rows = [row for row in rows if row[0] == SCOPES["agent"]]
            labels, picked = [row[1] for row in rows], [4, 11]
        else:
            labels, picked = [row[0] for row in rows], range(1, len(columns))
        series = [{"label": columns[i], "data": [row[i] for row in rows]} for i in picked]
        charts.append(
            {"id": f"chart-{figure.name}", "type": kind, "labels": labels, "series": series}
        )
    return charts
