"""deploy/: the example environment is complete and one the portal understands, production
refuses to start half-configured, and nginx lets through the largest post the portal
accepts."""

import ast
import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests.servers import ROOT, Daphne, portal_env
from tests.test_settings import run

EXAMPLE = ROOT / "deploy" / "helpdesk.env.example"
NGINX = ROOT / "deploy" / "nginx" / "helpdesk-site.conf.template"
CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
SETTINGS = ROOT / "helpdesk" / "settings.py"
SECRET = "s" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2
PRODUCTION = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "help.example.com",
    "DJANGO_PORTAL_URL": "https://help.example.com",
}


def variables_read_by_the_settings() -> set[str]:
    """Every environment variable helpdesk/settings.py reads: the first argument of its
    env*() helpers and of os.environ.get / os.getenv, and os.environ[...]."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if isinstance(node, ast.Call) and node.args:
            called = ast.unparse(node.func)
            if called.startswith("env") or called in ("os.environ.get", "os.getenv"):
                names.add(node.args[0])
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(node.slice)
    # A name passed on by the helpers themselves (envstr(name, ...)) is not a variable.
    return {n.value for n in names if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_the_example_environment_names_every_variable_the_settings_read():
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), re.MULTILINE))
    read = variables_read_by_the_settings()
    assert {"DJANGO_PORTAL_URL", "DJANGO_RATE_LIMIT_TICKETS_PER_MEMBER"} <= read  # it parses
    assert sorted(read - listed) == []
    assert sorted(listed - read) == []


def example_value(name: str) -> str:
    return re.search(rf"^{name}=(.*)$", EXAMPLE.read_text(), re.MULTILINE).group(1)


def check(tmp_path, **env: str) -> subprocess.CompletedProcess:
    return run(portal_env(tmp_path, **{**PRODUCTION, **env}), "manage.py", "check")


def test_production_passes_the_checks_when_configured(tmp_path):
    assert check(tmp_path).returncode == 0


@pytest.mark.parametrize(
    "secret",
    [example_value("DJANGO_SECRET_KEY"), "change-me", "x" * 60, "Zq3-vT9w_kP2"],
    ids=["the-example", "change-me", "one-character", "too-short"],
)
def test_production_refuses_a_placeholder_secret(tmp_path, secret):
    result = check(tmp_path, DJANGO_SECRET_KEY=secret)
    assert result.returncode != 0
    assert "helpdesk.E001" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        None,
        "http://127.0.0.1:8000",
        "https://127.0.0.1",
        "https://localhost:8443",
        "http://help.example.com",
    ],
    ids=["unset", "the-default", "loopback", "localhost", "plain-http"],
)
def test_production_refuses_e_mail_links_to_nowhere(tmp_path, url):
    env = portal_env(tmp_path, **PRODUCTION)
    env.pop("DJANGO_PORTAL_URL") if url is None else env.update(DJANGO_PORTAL_URL=url)
    result = run(env, "manage.py", "check")
    assert result.returncode != 0
    assert "helpdesk.E002" in result.stderr


def test_plain_http_on_loopback_may_link_to_loopback(tmp_path):
    result = check(tmp_path, DJANGO_HTTPS="false", DJANGO_PORTAL_URL="http://127.0.0.1:8000")
    assert result.returncode == 0, result.stderr


def test_daphne_refuses_to_start_with_the_examples_secret(tmp_path):
    env = portal_env(
        tmp_path, **{**PRODUCTION, "DJANGO_SECRET_KEY": example_value("DJANGO_SECRET_KEY")}
    )
    daphne = Daphne(env)
    with pytest.raises(RuntimeError, match="exited"):
        daphne.start()
    assert "helpdesk.E001" in daphne.log.read_text()


def test_the_example_environment_passes_the_deploy_checks(tmp_path):
    # As README's `portal` function reads it: sourced by a shell (systemd reads it alike).
    # The secret and the directories (settings makes STATIC_ROOT) are the test's own.
    script = (
        f'set -a && . "{EXAMPLE}" && DJANGO_SECRET_KEY="$SECRET" '
        '&& STATIC_ROOT="$TMP/static" && MEDIA_ROOT="$TMP/media" && exec "$@"'
    )
    env = portal_env(tmp_path, SECRET=SECRET, TMP=str(tmp_path))
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


def test_every_systemd_unit_passes_systemd_analyze_verify(tmp_path):
    # The units name /srv/helpdesk/app; here they name this checkout and its .venv, so that
    # verify finds every ExecStart= program (the README's steps verify them in place too).
    units = []
    for unit in sorted((ROOT / "deploy" / "systemd").iterdir()):
        text = unit.read_text().replace("/srv/helpdesk/app", str(ROOT))
        (tmp_path / unit.name).write_text(text)
        name = unit.name.replace("@.", "@8001.")  # a template is verified as an instance
        units.append(str(tmp_path / name))
    assert len(units) >= 6
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
