"""deploy/: the example environment is one the portal understands."""

import subprocess
import sys

from tests.servers import ROOT, portal_env

EXAMPLE = ROOT / "deploy" / "helpdesk.env.example"
CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]


def test_the_example_environment_passes_the_deploy_checks(tmp_path):
    # As README's `portal` function reads it: sourced by a shell (systemd reads it alike).
    # The secret and the directories (settings makes STATIC_ROOT) are the test's own.
    script = (
        f'set -a && . "{EXAMPLE}" && DJANGO_SECRET_KEY="$SECRET" '
        '&& STATIC_ROOT="$TMP/static" && MEDIA_ROOT="$TMP/media" && exec "$@"'
    )
    env = portal_env(
        tmp_path, SECRET="s" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2, TMP=str(tmp_path)
    )
    result = subprocess.run(
        ["sh", "-c", script, "sh", sys.executable, *CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
