"""The support lead's figures for a date range, computed by the database.

Every figure is a few aggregate queries whatever the number of tickets and chats: counts
with GROUP BY, and percentiles (median, 90th) with window functions that number each
duration within its group, so that only the rows at the percentiles' ranks leave the
database. Python only arranges the small results (one row per day, agent or language).

A figure is a table (columns, rows): the page draws some of them as charts, shows every
one as a table, and offers each as CSV.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livechat.models import Chat
from tickets.languages import LANGUAGES_BY_CODE
from tickets.models import Ticket

PERCENTILES = (50, 90)
# What is grouped by, for the tables "overall, per agent, per language".
SCOPES = {"overall": _("Overall"), "agent": _("Agent"), "language": _("Language")}


class Seconds(Func):
    """`end - start` in seconds, as a float, in SQL on SQLite and PostgreSQL alike."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            sql = f"EXTRACT(EPOCH FROM ({end} - {start}))::float8"
        else:
            sql = f"((julianday({end}) - julianday({start})) * 86400.0)"
        return sql, (*end_params, *start_params)


class Scanned(Func):
    """A column that SQLite must read from the table rather than through its index: a
    report's period usually covers most rows, and SQLite (no statistics of ranges) would
    walk the index and fetch every row at random, ten times slower than one scan
    (bench/FINDINGS.md). Unary + is SQLite's no-op that hides a column from the planner;
    PostgreSQL's planner knows better and gets the column as it is."""

    arity = 1

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"(+{sql})" if connection.vendor == "sqlite" else sql), params

    @property
    def output_field(self):
        return self.source_expressions[0].output_field


class Day(TruncDate):
    """The local day of a moment; on SQLite with UTC days, the built-in date() rather than
    Django's per-row Python function (the same answer, several times faster)."""

    def as_sqlite(self, compiler, connection, **extra):
        if timezone.get_current_timezone_name() != "UTC":
            return super().as_sqlite(compiler, connection, **extra)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql})", params


@dataclass
class Figure:
    name: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Period:
    start: date
    end: date  # inclusive

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def within(self, name: str):
        """The rows whose `name` falls in the period (a scan on SQLite: see Scanned)."""
        moment = Scanned(F(name))
        return GreaterThanOrEqual(moment, self.since) & LessThan(moment, self.until)


def percentiles(rows: QuerySet, value, groups: dict[str, str | None]) -> dict:
    """{scope: {group: {50: x, 90: y}}} of `value` over `rows`, for each scope's grouping
    field (None: all rows). The p-th percentile is the value at rank ceil(n * p / 100) of
    its group (the nearest-rank definition): GROUP BY queries count each group, then one
    query numbers the values within each group (window functions over the rows' values,
    computed once in a subquery) and keeps only the rows at the ranks wanted, a few per
    group whatever the number of rows."""
    rows = rows.annotate(v=value).filter(v__isnull=False)
    sizes = grouped_counts(rows, groups, n=Count("pk"))
    fields = [group for group in groups.values() if group]
    inner, params = rows.values("v", *fields).query.sql_with_params()
    columns, wanted, targets = ["v", *fields], [], {}
    for scope, group in groups.items():
        targets[scope] = {
            key: {p: (size["n"] * p + 99) // 100 for p in PERCENTILES}
            for key, size in sizes[scope].items()
        }
        ranks = sorted({rank for by_p in targets[scope].values() for rank in by_p.values()})
        partition = f"PARTITION BY {_column(group)} " if group else ""
        columns.append(f"ROW_NUMBER() OVER ({partition}ORDER BY v) AS rank_{scope}")
        wanted.append(f"rank_{scope} IN ({', '.join(map(str, ranks or [0]))})")
    # Built of field names and integers from this module; the values travel as params.
    sql = (
        f"SELECT * FROM (SELECT {', '.join(columns)} FROM ({inner}) AS measured) AS ranked "  # noqa: S608
        f"WHERE {' OR '.join(wanted)}"
    )
    found: dict = {scope: {} for scope in groups}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        for row in map(dict, (zip(names, values, strict=True) for values in cursor.fetchall())):
            for scope, group in groups.items():
                key = row[group] if group else None
                for p, rank in targets[scope].get(key, {}).items():
                    if row[f"rank_{scope}"] == rank:
                        found[scope].setdefault(key, {})[p] = row["v"]
    return found


def _column(field_name: str) -> str:
    """The column a values() query names a field by: its own name (an FK's too)."""
    return connection.ops.quote_name(field_name)


def grouped_counts(rows: QuerySet, groups: dict[str, str | None], **counts) -> dict:
    """{scope: {group: {name: count}}}: one GROUP BY query per scope."""
    found = {}
    for scope, group in groups.items():
        if group is None:
            found[scope] = {None: rows.aggregate(**counts)}
        else:
            result = rows.values(group).annotate(**counts).order_by()
            found[scope] = {row.pop(group): row for row in result}
    return found


def per_day(rows: QuerySet, stamp: str, **counts) -> dict[date, dict]:
    day = Day(stamp)
    result = rows.annotate(day=day).values("day").annotate(**counts).order_by()
    return {row.pop("day"): row for row in result}


def share(part: int | None, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


# The figures ------------------------------------------------------------------------------

TICKET_GROUPS = {"overall": None, "agent": "assignee", "language": "language"}
CHAT_GROUPS = {"overall": None, "agent": "agent", "language": "language"}
RATED = {"ratings": Count("pk"), "satisfied": Count("pk", filter=Q(rating__gte=4))}


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


CHAT_COUNTS = {
    "started": Count("pk"),
    "answered": Count("pk", filter=Q(accepted_at__isnull=False)),
    "abandoned": Count("pk", filter=Q(state=Chat.State.ABANDONED)),
}


def ticket_counts(now: datetime) -> dict:
    first_late = Q(first_response_at__gt=F("first_response_due")) | Q(
        first_response_at__isnull=True, first_response_due__lt=now
    )
    resolution_late = Q(resolved_at__gt=F("resolution_due")) | Q(
        resolved_at__isnull=True, resolution_due__lt=now
    )
    return {
        "opened": Count("pk"),
        "first_hit": Count("pk", filter=Q(first_response_at__lte=F("first_response_due"))),
        "first_missed": Count("pk", filter=first_late),
        "resolution_hit": Count("pk", filter=Q(resolved_at__lte=F("resolution_due"))),
        "resolution_missed": Count("pk", filter=resolution_late),
    }


def tickets_by(period: Period, names: "Names") -> Figure:
    opened = Ticket.objects.filter(period.within("created_at"))
    resolved = Ticket.objects.filter(period.within("resolved_at"))
    counts = merge(
        grouped_counts(opened, TICKET_GROUPS, **ticket_counts(timezone.now())),
        grouped_counts(resolved, TICKET_GROUPS, resolved=Count("pk")),
        grouped_counts(Ticket.objects.filter(period.within("rated_at")), TICKET_GROUPS, **RATED),
    )
    first = percentiles(opened, Seconds("first_response_at", "created_at"), TICKET_GROUPS)
    resolution = percentiles(resolved, Seconds("resolved_at", "created_at"), TICKET_GROUPS)
    figure = Figure(
        "tickets_by",
        _("Technical issues: overall, per agent, per language"),
        [
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
        ],
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
    counts = merge(
        grouped_counts(started, CHAT_GROUPS, **CHAT_COUNTS),
        grouped_counts(Chat.objects.filter(period.within("rated_at")), CHAT_GROUPS, **RATED),
    )
    wait = percentiles(started, Seconds("accepted_at", "created"), CHAT_GROUPS)
    handle = percentiles(started, Seconds("ended_at", "accepted_at"), CHAT_GROUPS)
    figure = Figure(
        "chats_by",
        _("Chats: overall, per agent, per language"),
        [
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
        ],
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
