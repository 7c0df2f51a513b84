"""deploy/: the example environment is one the portal understands, and nginx lets through
the largest post the portal accepts."""

import re
import subprocess
import sys

from django.conf import settings

from tests.servers import ROOT, portal_env

EXAMPLE = ROOT / "deploy" / "helpdesk.env.example"
NGINX = ROOT / "deploy" / "nginx" / "helpdesk.conf.template"
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


def test_nginx_lets_through_the_largest_post_the_portal_accepts():
    megabytes = re.search(r"client_max_body_size (\d+)m;", NGINX.read_text())
    screenshots = settings.TICKETS_SCREENSHOT_MAX_BYTES * settings.TICKETS_SCREENSHOTS_PER_MESSAGE
    largest_post = screenshots + settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # the files and the text
    assert int(megabytes.group(1)) * 1024 * 1024 >= largest_post
