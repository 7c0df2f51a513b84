"""Durations stored as whole seconds when their second moment is stamped, so that the
reports page orders and ranks plain indexed integers instead of computing each row's
difference of two timestamps at every request (bench/FINDINGS.md)."""

from datetime import datetime

from django.db.models import Func, IntegerField


def seconds_between(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


class Seconds(Func):
    """`end - start` in whole seconds (rounded down, as seconds_between), in SQL on SQLite
    and PostgreSQL alike: for the UPDATEs that stamp a moment without reading the row.
    julianday's doubles are exact to some microseconds, hence the tenth of a millisecond
    added before truncating."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return seconds_sql(connection.vendor, end, start), (*end_params, *start_params)


def seconds_sql(vendor: str, end: str, start: str) -> str:
    """Seconds's SQL for two SQL expressions (also for livechat/accept.py's plain SQL)."""
    if vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM ({end} - {start})))::integer"
    return f"CAST((julianday({end}) - julianday({start})) * 86400.0 + 0.0001 AS INTEGER)"


class StoredDurations:
    """A model mixin: save() stores durations() (a dict of field: seconds) whenever the
    moments they are measured between (MOMENTS) are written, and only then: a save of
    other fields from a stale copy leaves the stored durations alone."""

    MOMENTS: frozenset[str] = frozenset()

    def durations(self) -> dict[str, int | None]:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or self.MOMENTS & set(fields):
            durations = self.durations()
            for name, value in durations.items():
                setattr(self, name, value)
            if fields is not None:
                kwargs["update_fields"] = {*fields, *durations}
        super().save(*args, **kwargs)
