"""What a member typed, kept in their session for the next page to fill a form with.

A long question handed from one form to another does not fit in a URL (nginx refuses
request lines of several KB: the 4,000-character Cyrillic question percent-encodes to
~24 KB), so the page passes only a short key. The draft stays in the session, which
follows the member through sign-in, until newer drafts push it out.

The same carries a form posted after its sender was signed out (in another tab, or by an
administrator): the sign-in page then leads back to the form, filled again.
"""

import secrets

DRAFTS = "drafts"
KEEP = 5  # per session: enough for a few tabs, never a growing session


def draft_keep(session, kind: str, fields: dict) -> str:
    """Keep `fields` under a new short key; answer the key."""
    key = secrets.token_urlsafe(8)
    drafts = [
        draft for draft in session.get(DRAFTS, []) if isinstance(draft, dict) and "key" in draft
    ]
    session[DRAFTS] = [*drafts[-(KEEP - 1) :], {"key": key, "kind": kind, "fields": fields}]
    return key


def draft_for(session, kind: str, key) -> dict:
    """The fields kept under `key` for this kind of form; {} for anything else."""
    for draft in session.get(DRAFTS, []):
        if isinstance(draft, dict) and draft.get("key") == key and draft.get("kind") == kind:
            return dict(draft.get("fields", {}))
    return {}


def keeps_signed_out_posts(kind: str):
    """Mark a view whose form, posted by someone signed out meanwhile, is kept as a draft
    of `kind` through sign-in (helpdesk.middleware.SignInRequiredMiddleware); the view
    fills its form from `draft_for(session, kind, ?draft=)`."""

    def mark(view):
        view.keeps_signed_out_posts = kind
        return view

    return mark


def draft_keep_post(request, kind: str) -> str:
    """Keep what a post's text fields held (files cannot be kept, nor is the CSRF token)."""
    fields = {name: request.POST.get(name, "") for name in request.POST}
    fields.pop("csrfmiddlewaretoken", None)
    return draft_keep(request.session, kind, fields)
