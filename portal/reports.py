"""The support lead's figures for a date range, computed by the database.

Every figure is a few aggregate queries whatever the number of tickets and chats: counts
with GROUP BY, and percentiles (median, 90th) of the durations stored in whole seconds
(portal.durations), each read at its rank from an index, so that only the values at the
percentiles' ranks leave the database. Python only arranges the small results (one row
per day, agent or language).

A figure is a table (columns, rows): the page draws some of them as charts, shows every
one as a table, and offers each as CSV.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    F,
    Func,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PERCENTILES = (50, 90)
# What is grouped by, for the tables "overall, per agent, per language".
SCOPES = {"overall": _("Overall"), "agent": _("Agent"), "language": _("Language")}


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


def percentiles(rows: QuerySet, seconds: str, groups: dict[str, str | None], sizes: dict) -> dict:
    """{scope: {group: {50: x, 90: y}}} of the stored durations `seconds` over `rows`, for
    each scope's grouping field (None: all rows). The p-th percentile is the value at rank
    ceil(n * p / 100) of its group (the nearest-rank definition). `sizes` ({scope: {group:
    n}}, from the GROUP BY counts) says how many values each group has. One query of
    scalar subqueries, one per group and percentile, each the value at its rank read in
    order from an index of (group, seconds, moment): no sort, no table reads."""
    rows = rows.filter(**{f"{seconds}__isnull": False}).order_by(seconds).values(seconds)
    wanted = []
    for scope, group in groups.items():
        for key, size in sizes[scope].items():
            subset = rows.filter(**{group: key}) if group else rows
            for p in PERCENTILES:
                rank = (size * p + 99) // 100 if size else 0
                if rank:
                    wanted.append(((scope, key, p), subset[rank - 1 : rank].query))
    found: dict = {scope: {} for scope in groups}
    if not wanted:
        return found
    parts = [query.sql_with_params() for where, query in wanted]
    # Built of Django's own SQL for each subquery; the values travel as params.
    sql = "SELECT " + ", ".join(f"({part})" for part, params in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for part, params in parts for param in params])
        values = cursor.fetchone()
    for ((scope, key, p), _query), value in zip(wanted, values, strict=True):
        if value is not None:
            found[scope].setdefault(key, {})[p] = value
    return found


def grouped_counts(rows: QuerySet, groups: dict[str, str | None], **counts) -> dict:
    """{scope: {group: {name: count}}}: one GROUP BY query over every grouping field at
    once (a few dozen agent-and-language groups: one scan of the table, not one per
    scope); each scope's counts, and the overall ones, are sums of those small groups."""
    # Scanned: grouped through an index, SQLite would fetch every row at random.
    keys = {f"{scope}_key": Scanned(F(group)) for scope, group in groups.items() if group}
    found: dict = {scope: {} for scope in groups}
    for row in rows.values(**keys).annotate(**counts).order_by():
        for scope, group in groups.items():
            summed = found[scope].setdefault(row[f"{scope}_key"] if group else None, {})
            for name in counts:
                summed[name] = summed.get(name, 0) + row[name]
    for scope, group in groups.items():
        if group is None:  # the overall row, even of an empty period
            found[scope].setdefault(None, dict.fromkeys(counts, 0))
    return found


def sizes_of(counts: dict, name: str) -> dict:
    return {
        scope: {key: row[name] for key, row in groups.items()} for scope, groups in counts.items()
    }


def per_day(rows: QuerySet, stamp: str, **counts) -> dict[date, dict]:
    day = Day(stamp)
    result = rows.annotate(day=day).values("day").annotate(**counts).order_by()
    return {row.pop("day"): row for row in result}


def share(part: int | None, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)
