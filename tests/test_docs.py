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
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    outside = re.compile(r"DESIGN\.md|FIELD-NOTES|STYLE\.md|/work/shared")
    pointing = [
        path
        for path in tracked
        if path.endswith((".py", ".js", ".md", ".html", ".txt", ".example", "Makefile"))
        and path != "tests/test_docs.py"
        and outside.search((ROOT / path).read_text(errors="replace"))
    ]
    assert pointing == []
