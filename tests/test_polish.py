"""Polish typography across every catalog: a one-letter word (w, z, i, o, u, a) is kept with
the next one by a non-breaking space, so that no line ends with it. Fix a catalog with
`python -m tests.test_polish CATALOG...` and run `make messages` after."""

import re
import sys

import polib
import pytest

from tests.test_i18n import CATALOGS, ROOT

NBSP = "\u00a0"
# A lone letter after a space, a bracket, a quote or the start, followed by a plain space.
ORPHAN = re.compile(r"(?<![\w%{}\-./])([wzioauWZIOAU]) ")


def translations(entry) -> list[str]:
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_one_letter_word_ends_a_line(path):
    orphans = [
        text
        for entry in polib.pofile(str(path))
        for text in translations(entry)
        if ORPHAN.search(text)
    ]
    assert orphans == []


def test_the_rank_rule_has_one_phrasing():
    texts = [
        text
        for path in CATALOGS
        for entry in polib.pofile(str(path))
        if "%(rank)s" in entry.msgid and "higher" in entry.msgid
        for text in translations(entry)
    ]
    assert len(texts) >= 3
    assert all(f"od rangi %(rank)s{' '}wzwyż" in text for text in texts), texts


def test_the_pages_speak_naturally():
    texts = {t for path in CATALOGS for e in polib.pofile(str(path)) for t in translations(e)}
    assert "nic nie czeka" not in texts


def fix(path) -> None:
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = ORPHAN.sub(rf"\1{NBSP}", entry.msgstr)
        for key, text in entry.msgstr_plural.items():
            entry.msgstr_plural[key] = ORPHAN.sub(rf"\1{NBSP}", text)
    po.save()


if __name__ == "__main__":
    for name in sys.argv[1:]:
        fix(name)
