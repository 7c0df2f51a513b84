"""The repository documents itself: docs/ covers every setting, error code and close code,
and nothing points to a file outside the repository."""

import re
import subprocess

from livechat import errors, sockets
from tests.servers import ROOT

DOCS = ROOT / "docs"


def test_every_environment_variable_is_in_docs_settings():
    read = set(
        re.findall(r'env[a-z]*\(\s*"([A-Z_]+)"', (ROOT / "helpdesk/settings.py").read_text())
    )
    assert len(read) > 20
    documented = (DOCS / "settings.md").read_text()
    assert sorted(name for name in read if f"`{name}`" not in documented) == []


def test_every_error_and_close_code_is_in_docs_protocol():
    protocol = (DOCS / "protocol.md").read_text()
    assert [e.code for e in errors.ALL if f"| `{e.code}` |" not in protocol] == []
    for code in (sockets.FORBIDDEN, sockets.TOO_LARGE):
        assert f"| {code} |" in protocol


def test_the_readme_links_every_doc():
    readme = (ROOT / "README.md").read_text()
    assert [d.name for d in DOCS.glob("*.md") if f"(docs/{d.name})" not in readme] == []


def test_nothing_points_outside_the_repository():
    """Every Markdown document a tracked file names is one of the repository's own, and no
    file names a path on the machine it was written on (a clone has neither)."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    own = {path.rsplit("/", 1)[-1] for path in tracked if path.endswith(".md")}
    # (The brackets keep this line from matching itself.)
    named = re.compile(r"\b([A-Z][A-Z_-]+\.md)\b|(/wor[k]/\S+|\.\.[/]\w+/)")
    pointing = [
        (path, found)
        for path in tracked
        if path.endswith((".py", ".js", ".md", ".html", ".txt", ".example", "Makefile"))
        for match in named.finditer((ROOT / path).read_text(errors="replace"))
        if (found := match[0]) and (match[2] or match[1] not in own)
    ]
    assert pointing == []
