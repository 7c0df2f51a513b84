"""What a member typed, kept in their session for the next page to fill a form with.

A long question handed from one form to another does not fit in a URL (nginx refuses
request lines of several KB: the 4,000-character Cyrillic question percent-encodes to
~24 KB), so the page passes only a short key. The draft stays in the session, which
follows the member through sign-in, until newer drafts push it out.
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
