"""What a union merge of two branches' catalogs leaves behind: a translation written out
twice in a row ("…Twój problem.Opisz kroki…Twój problem."), which the guide then shows to
every Polish member. No test of completeness notices it: the entry is translated."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(
    path for path in ROOT.rglob("locale/*/LC_MESSAGES/django.po") if ".venv" not in path.parts
)


def doubled(text: str) -> bool:
    half, odd = divmod(len(text), 2)
    return bool(text) and not odd and text[:half] == text[half:]


def test_it_finds_every_apps_catalog():
    names = {str(path.relative_to(ROOT)).split("locale/")[0].rstrip("/") for path in CATALOGS}
    assert {"tickets", "livechat", "portal", "portal/hours", "portal/replies"} <= names


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_translation_is_written_twice(path):
    twice = [
        entry.msgid
        for entry in polib.pofile(str(path))
        for text in (entry.msgstr, *entry.msgstr_plural.values())
        if doubled(text)
    ]
    assert twice == []
