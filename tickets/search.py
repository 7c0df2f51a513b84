"""The agents' queue search: reference, title, the member (user name, names, e-mail,
member ID) and every message of the thread.

Each word of the query must match somewhere (as the admin's own search does). Messages are
matched by a subquery on ticket ids, so the list neither repeats tickets nor costs a query
more per ticket. On PostgreSQL message bodies are matched by full-text search (each word
as a prefix, the 'simple' configuration: tickets come in sixteen languages) over a GIN index
(migration 0005); elsewhere by a case-insensitive substring.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from tickets.models import Message

FIELDS = [
    "reference",
    "summary",
    "member__username",
    "member__first_name",
    "member__last_name",
    "member__email",
    "member__profile__member_id",
]
# The index migration 0005 builds: the same expression, so that PostgreSQL uses it.
BODY_VECTOR = SearchVector("body", config="simple")


def ticket_search(tickets: QuerySet, query: str) -> QuerySet:
    for term in query.split():
        matches = Q()
        for field in FIELDS:
            matches |= Q(**{f"{field}__icontains": term})
        if bodies := _messages_matching(term):
            matches |= Q(pk__in=bodies.values("ticket_id"))
        tickets = tickets.filter(matches)
    return tickets


def _messages_matching(term: str) -> QuerySet | None:
    if connection.vendor != "postgresql":
        return Message.objects.filter(body__icontains=term)
    words = re.findall(r"\w+", term)
    if not words:
        return None
    prefixes = SearchQuery(" & ".join(f"{w}:*" for w in words), config="simple", search_type="raw")
    return Message.objects.annotate(vector=BODY_VECTOR).filter(vector=prefixes)
