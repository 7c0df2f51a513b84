"""English and Polish are complete: every catalog is fully translated, compiled, and holds
every translatable string of the code (a string added without `make messages` fails here)."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(ROOT.glob("*/locale/pl/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("locale/pl/LC_MESSAGES/django.po")
)


def test_there_is_a_catalog_for_the_project_and_each_app():
    owners = {path.relative_to(ROOT).parts[0] for path in CATALOGS}
    assert {"locale", "portal", "tickets", "livechat"} <= owners


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_polish_catalog_is_complete(path):
    po = polib.pofile(str(path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    plurals_missing = [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert plurals_missing == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalog_matches_its_source(path):
    with open(path.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    po = polib.pofile(str(path))
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_every_translatable_string_is_in_a_catalog(tmp_path):
    """Run makemessages on a copy of the sources and compare the message ids."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "staticfiles", "node_modules"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "pl",
            "--no-location",
            "-i",
            "static/*",
            "-i",
            "tests/*",
            "-i",
            "bench/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for path in CATALOGS:
        regenerated = copy / path.relative_to(ROOT)
        committed = {e.msgid for e in polib.pofile(str(path)) if not e.obsolete}
        fresh = {e.msgid for e in polib.pofile(str(regenerated)) if not e.obsolete}
        assert fresh - committed == set(), f"run `make messages`: {path.relative_to(ROOT)}"
