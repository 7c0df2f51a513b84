"""The README's Debian steps (issue 13, item 4), run as written in a clean directory, as far
as they go without root's changes to the machine: every line of the README's shell blocks
under "A Debian host", "The processes" and "nginx and TLS" runs but those in SKIPPED (which
install packages, make users, or talk to systemd or PostgreSQL's superuser), with /srv and
/etc moved under the test's directory and without `runuser -u helpdesk` (no such user here).

The new virtualenv installs from requirements.lock with the README's own command, hashes
checked; pip reads PIP_NO_INDEX and PIP_FIND_LINKS from the environment, pointing at a wheel
directory that `pip download` fills once per lock file (var/wheels/<hash of the lock>), so
only the first run on a machine downloads anything (about 20 s to install after that)."""

import hashlib
import re
import secrets
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.edge import certificate
from tests.servers import ROOT

README = ROOT / "README.md"
SECTIONS = ("### A Debian host", "### The processes", "### nginx and TLS")
SKIPPED = (
    "apt-get install ",
    "adduser ",
    "git clone ",
    "su postgres ",
    "portal createsuperuser",  # asks at a terminal
    "systemctl ",
)
# What the steps must keep doing, whatever else changes in them.
ESSENTIAL = (
    ".venv/bin/pip install --require-hashes -r requirements.lock",
    "portal check --deploy",
    "portal collectstatic --noinput",
    "portal migrate --noinput",
    "portal create_agent ",
    "envsubst ",
    "nginx -t",
    "systemd-analyze verify ",
)


def readme_steps() -> list[str]:
    """The commands of the shell blocks of SECTIONS, continuation lines joined."""
    text, commands = README.read_text(), []
    for heading in SECTIONS:
        section = text.split(heading + "\n", 1)[1].split("\n### ", 1)[0]
        for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL):
            joined = block.replace("\\\n", " ")
            commands += [line.strip() for line in joined.splitlines()]
    return [c for c in commands if c and not c.startswith("#")]


PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def wheels() -> Path:
    """The lock's wheels for the README's `python3` (markers differ between 3.11.x releases),
    downloaded once by a pip of that interpreter."""
    version = subprocess.run(
        ["python3", "-c", "import sys; print(sys.version)"],
        env={"PATH": PATH}, check=True, capture_output=True, text=True, timeout=30,
    ).stdout  # fmt: skip
    lock = ROOT / "requirements.lock"
    key = hashlib.sha256(lock.read_bytes() + version.encode()).hexdigest()[:16]
    directory = ROOT / "var" / "wheels" / key
    for stale in directory.parent.glob("*"):  # an older lock's or Python's
        if stale != directory:
            shutil.rmtree(stale, ignore_errors=True)
    if not (directory / ".complete").exists():
        with tempfile.TemporaryDirectory() as venv:
            subprocess.run(["python3", "-m", "venv", venv], env={"PATH": PATH}, check=True)
            subprocess.run(
                [f"{venv}/bin/pip", "download", "--quiet", "--require-hashes", "-r", lock,
                 "-d", directory],
                check=True, timeout=600,
            )  # fmt: skip
        (directory / ".complete").touch()
    return directory


def tracked_files_into(app: Path) -> None:
    """The repository as `git clone` gives it: its tracked files (as they are now)."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, timeout=30
    ).stdout.split(b"\0")
    archive = subprocess.run(
        ["tar", "-c", "--null", "-T", "-"], cwd=ROOT, input=b"\0".join(f for f in files if f),
        check=True, capture_output=True, timeout=60,
    ).stdout  # fmt: skip
    app.mkdir(parents=True)
    subprocess.run(["tar", "-x"], cwd=app, input=archive, check=True, timeout=60)


def script(root: Path, environment: Path) -> str:
    """The steps as one bash script under `root`, with the test's values for the portal's
    environment appended where the README says to edit it."""
    lines = ["set -euxo pipefail", f"cd {root}/srv/helpdesk/app"]
    for command in readme_steps():
        if command.startswith(SKIPPED):
            continue
        moved = command.replace("/srv/helpdesk", f"{root}/srv/helpdesk")
        moved = moved.replace("/etc/", f"{root}/etc/").replace("runuser -u helpdesk -- ", "")
        moved = re.sub(r" -o helpdesk| -g helpdesk", "", moved)
        lines.append(moved)
        if command.startswith("install -m 640"):
            lines.append(f"cat {environment} >> {root}/etc/helpdesk/helpdesk.env")
        if command.startswith("cp deploy/systemd/"):  # the units name the real /srv paths
            units = f"{root}/etc/systemd/system/helpdesk*"
            lines.append(f"sed -i 's|/srv/helpdesk|{root}/srv/helpdesk|g' {units}")
    return "\n".join(lines) + "\n"


def nginx_conf(root: Path) -> Path:
    """Debian's nginx.conf in essence: the sites in sites-enabled/, in the http context."""
    etc = root / "etc" / "nginx"
    (etc / "sites-enabled").mkdir(parents=True)
    (etc / "nginx.conf").write_text(
        f"pid {root}/nginx.pid; error_log {root}/nginx-error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; include {etc}/sites-enabled/*; }}\n"
    )
    return etc / "nginx.conf"


def test_the_readmes_debian_steps_run_in_a_clean_directory(tmp_path, postgres, redis_server):
    commands = readme_steps()
    for essential in ESSENTIAL:
        assert any(essential in c for c in commands), f"the README lost {essential!r}"
    root = tmp_path
    tracked_files_into(root / "srv" / "helpdesk" / "app")
    (root / "etc" / "systemd" / "system").mkdir(parents=True)
    live = root / "etc" / "letsencrypt" / "live" / "help.example.com"
    live.mkdir(parents=True)
    (live / "fullchain.pem").write_bytes(certificate().path.read_bytes())
    (live / "privkey.pem").write_bytes(certificate().key.read_bytes())
    conf = nginx_conf(root)
    environment = root / "edited.env"
    database = postgres.create_database(f"helpdesk_{uuid.uuid4().hex[:8]}")
    environment.write_text(
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\nDATABASE_URL={database}\n"
        f"REDIS_URL={redis_server.url}\n"
        f"MEDIA_ROOT={root}/srv/helpdesk/media\nSTATIC_ROOT={root}/srv/helpdesk/static\n"
    )
    steps = script(root, environment)
    (root / "steps.sh").write_text(steps)
    env = {
        "PATH": PATH,
        "HOME": str(root),
        "LANG": "C.UTF-8",
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels()),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # nginx -t tests the test's nginx.conf, which includes the linked site.
        "BASH_ENV": str(root / "nginx-function.sh"),
    }
    (root / "nginx-function.sh").write_text(f'nginx() {{ command nginx -c {conf} "$@"; }}\n')
    result = subprocess.run(
        ["bash", str(root / "steps.sh")], env=env, input="a-long-agent-password-9\n",
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "Agent 'alex' created." in result.stdout
    assert "test is successful" in output  # nginx -t
    assert "ignoring" not in output  # systemd-analyze: an unknown key
    assert "not executable" not in output  # systemd-analyze: ExecStart= missing
    assert (root / "srv" / "helpdesk" / "static" / "staticfiles.json").exists()
    site = (root / "etc" / "nginx" / "helpdesk" / "helpdesk.conf").read_text()
    assert "listen 443 ssl;" in site
    assert "${" not in site
