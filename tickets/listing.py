"""My Technical Issues' tickets as its Paginator reads them.

Every load of the list asks the same two things, how many tickets and which twenty: the
ORM built both queries again each time, and an instance per row, at more cost than the
page's rendering (bench/FINDINGS.md, ticket_list). Without words to search, the two are
statements built once per process (portal.rows), for the member and, if chosen, the
status; a search by words goes through the ORM (TicketSearchForm.filter). Either way a
page's rows are values first: what the page shows is read from them (its key, portal.kept)
and the instances are made only if the page is rendered, not when it is served kept.
"""

from datetime import timedelta
from functools import cache

from django.db import connections, router

from portal import rows
from tickets.models import Status, Ticket

# What a row of My Technical Issues shows (ticket_list.html, _status.html): each of the
# other fields would be one more date to convert for every row.
LISTED = ("reference", "language", "summary", "status", "last_activity", "last_member_activity")
FIELDS = (Ticket._meta.pk, *(Ticket._meta.get_field(name) for name in LISTED))
NAMES = [field.attname for field in FIELDS]
# The values a row's key holds: all but last_member_activity (the page shows only
# whether the ticket waits, which its status says).
SHOWN = len(FIELDS) - 1
LAST_ACTIVITY = NAMES.index("last_activity")
MINUTE = timedelta(minutes=1)
STATUSES = frozenset(("", *Status.values))  # "": any status


@cache
def _statements(alias: str, by_status: bool) -> tuple[str, str, list]:
    """The count, the rows (newest activity first, the model's ordering) and the rows'
    converters, for a member's tickets (of one status)."""
    quote = connections[alias].ops.quote_name
    meta = Ticket._meta
    names = ("id", "member", "status", "last_activity")
    column = {name: quote(meta.get_field(name).column) for name in names}
    where = f"{column['member']} = %s" + (f" AND {column['status']} = %s" if by_status else "")
    table = quote(meta.db_table)
    columns, converters = rows.selected(alias, FIELDS)
    # Only the model's own table and column names, quoted; the values are parameters.
    count = f"SELECT COUNT(*) FROM {table} WHERE {where}"  # noqa: S608
    listed = (
        f"SELECT {', '.join(columns)} FROM {table} WHERE {where}"  # noqa: S608
        f" ORDER BY {column['last_activity']} DESC, {column['id']} DESC LIMIT %s OFFSET %s"
    )
    return count, listed, converters


class Rows:
    """One page of tickets: their values, and the instances once asked for."""

    def __init__(self, alias: str, found: list, converters: list):
        self.alias, self.found, self.converters = alias, found, converters
        self._tickets = None

    def shown(self, now) -> list[tuple]:
        """What each row shows: its values as read but last_member_activity, and the
        whole minutes since its last activity (the "ago" text changes with them)."""
        converters = [c for c in self.converters if c[0] == LAST_ACTIVITY]
        converted = rows.converted(self.alias, self.found, converters)
        return [
            (*row[:SHOWN], (now - done[LAST_ACTIVITY]) // MINUTE)
            for row, done in zip(self.found, converted, strict=True)
        ]

    def tickets(self) -> list[Ticket]:
        if self._tickets is None:
            found = rows.converted(self.alias, self.found, self.converters)
            self._tickets = [Ticket.from_db(self.alias, NAMES, row) for row in found]
        return self._tickets

    def __len__(self):
        return len(self.found)

    def __iter__(self):
        return iter(self.tickets())

    def __getitem__(self, index):
        return self.tickets()[index]


class Listed:
    """A member's tickets (of one status), for a Paginator: count() and one slice."""

    def __init__(self, member_id: int, status: str):
        self.alias = router.db_for_read(Ticket)
        self.params = [member_id, status] if status else [member_id]
        self.count_sql, self.rows_sql, self.converters = _statements(self.alias, bool(status))

    def count(self) -> int:
        return rows.fetch(self.alias, self.count_sql, self.params, many=False)[0]

    def __getitem__(self, window: slice) -> Rows:
        found = []
        if window.stop > window.start:
            params = [*self.params, window.stop - window.start, window.start]
            found = rows.fetch(self.alias, self.rows_sql, params)
        return Rows(self.alias, found, self.converters)


class Searched:
    """The tickets a search by words finds (the ORM's query), for a Paginator."""

    def __init__(self, tickets):
        self.tickets = tickets

    def count(self) -> int:
        return self.tickets.count()

    def __getitem__(self, window: slice) -> Rows:
        found = list(self.tickets.values_list(*NAMES)[window])  # converted by the ORM
        return Rows(self.tickets.db, found, [])


def listed(member, query, search):
    """The member's tickets the query string asks for (the search form, `search`, read
    only for words or a status it must refuse), newest activity first."""
    status = query.get("status", "")
    if not query.get("q") and status in STATUSES:
        return Listed(member.pk, status)
    return Searched(search.filter(Ticket.objects.filter(member=member)))
