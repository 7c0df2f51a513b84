"""Canned replies as text: which body a member gets, and its placeholders filled in.

Pure functions of strings, so the rules are tested without a database.
"""

import re
from collections.abc import Iterable, Mapping

FALLBACK_LANGUAGE = "en"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def pick_body(bodies: Mapping[str, str], languages: Iterable[str]) -> tuple[str, str]:
    """Answer the first non-empty body among the member's languages, most likely first,
    then English's; with the language it is in."""
    for language in (*languages, FALLBACK_LANGUAGE):
        if body := (bodies.get(language) or "").strip():
            return language, body
    return FALLBACK_LANGUAGE, ""


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace each {placeholder} the values know; leave any other one as typed, so the
    agent sees what is missing before sending."""
    return PLACEHOLDER.sub(lambda match: values.get(match[1]) or match[0], template)
