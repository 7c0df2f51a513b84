"""Whole pages kept in each process's memory for what they show, the parts that differ from
one answer to the next put in after.

My Technical Issues showed the same page to a member until a ticket of theirs changed,
yet rendered it whole for every load (the layout, its includes, twenty rows): four times
the work of the page's queries (bench/FINDINGS.md, ticket_list). A view that can name
everything its page shows (`shown`) renders it once, into CACHES["fragments"] (per process,
like the layout's fragments), under a key of that and of everything the layout shows: the
person (their kind and name, context_processors.layout), the language, the time zone and
the full path (the language switch's `next`). So another person, another language, a
ticket changed by any process, a minute passing (the view's `shown` says how long ago)
are all another key: nothing stale is shown, no process need tell another.

What each answer must have of its own is never kept: the CSRF token, masked afresh for
every answer (BREACH), is put in where the kept page has a marker; a page with a message
to show (a flash message is shown once) is rendered as usual and not kept.
"""

import hashlib
import pickle
import re
from functools import partial

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from portal.access import is_agent
from portal.context_processors import layout

# Where the CSRF token goes. Safe text with a "<": a person's own text (a ticket's title)
# is escaped on the page, so it can never put this marker there.
CSRF_MARK = mark_safe("<csrf-token>")
SECONDS = 600
# The templates' indentation: a line break and the spaces after it.
INDENT = re.compile(r"\n\s+")


def render_kept(request, template_name: str, context: dict, *, shown) -> HttpResponse:
    """The page the template renders for this context, rendered once for `shown` (a
    value of str, int, datetime and tuples: everything the page shows) and what the
    layout shows, with this answer's CSRF token put in. For pages whose styles keep no
    white space as written (white-space: pre): the kept copy loses its indentation."""
    if len(get_messages(request)):
        return render(request, template_name, context)
    person = layout(request.user, partial(is_agent, request.user))
    vary = (shown, person, get_language(), get_current_timezone_name(), request.get_full_path())
    # Pickled, not repr'd: as exact, at a third of the cost for twenty rows.
    key = f"page:{template_name}:{hashlib.sha256(pickle.dumps(vary)).hexdigest()}"
    fragments = caches["fragments"]
    page = fragments.get(key)
    if page is None:
        context["csrf_token"] = CSRF_MARK
        page = _tight(render_to_string(template_name, context, request))
        fragments.set(key, page, SECONDS)
    return HttpResponse(page.replace(CSRF_MARK, get_token(request)))


def _tight(page: str) -> str:
    """The page without its templates' indentation (a quarter of My Technical Issues):
    a run of white space shows as one space whatever its length, except where white
    space is kept as written (<pre>, <textarea>), so a page that has one is left whole."""
    if "<pre" in page or "<textarea" in page:
        return page
    return INDENT.sub("\n", page)
