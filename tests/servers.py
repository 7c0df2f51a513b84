"""Servers the tests start themselves, on free loopback ports, once per session.

Each is stopped with SIGTERM, then SIGKILL after a timeout (daphne sometimes ignores
SIGTERM after load, with sockets still open).
"""

import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop(process: subprocess.Popen, timeout=5.0, sig=signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


def portal_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a portal process of the embedded profile, with its own data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="helpdesk.settings", DJANGO_VAR_DIR=str(var_dir))
    env.update(extra)
    return env


def run(env: dict[str, str], *args: str, input: str | None = None, timeout=120.0) -> str:
    """Run `python ARGS` in the portal's environment; return what it printed."""
    result = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def manage(env: dict[str, str], *args: str, input: str | None = None) -> str:
    """Run a management command in the portal's environment; return what it printed."""
    return run(env, "manage.py", *args, input=input)


def shell(env: dict[str, str], code: str) -> str:
    """Run Python in the portal's Django (to arrange or read what no page can)."""
    return manage(env, "shell", "--no-imports", "-c", code)


def run_json(env: dict[str, str], module: str, *args: str, timeout=300.0):
    """Run `python -m MODULE ARGS` in the portal's environment; answer the JSON it printed."""
    return json.loads(run(env, "-m", module, *args, timeout=timeout))


class Daphne:
    """One daphne process serving helpdesk.asgi on a free loopback port."""

    def __init__(
        self,
        env: dict[str, str],
        port: int | None = None,
        args=(),
        application="helpdesk.asgi:application",
    ):
        self.env = env
        self.application = application
        self.args = list(args)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(env.get("DJANGO_VAR_DIR", "/tmp")) / f"daphne-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Daphne":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    *self.args,
                    self.application,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


# PostgreSQL, redis-server and nginx: the engines of the production profile -----------------


def _unprivileged(argv: list[str], user="postgres") -> list[str]:
    """Run argv as `user` when the tests run as root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return argv
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", *argv]


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return found[-1].parent


class PostgreSQL:
    """A throwaway cluster in a temporary directory: trust auth, TCP on loopback only, no
    fsync (its data dies with it)."""

    user = "portal"

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="helpdesk-pg-"))
        self.process: subprocess.Popen | None = None

    def url(self, database="postgres") -> str:
        return f"postgres://{self.user}@127.0.0.1:{self.port}/{database}"

    def start(self) -> "PostgreSQL":
        pg = _postgres_bin()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        subprocess.run(
            _unprivileged(
                [
                    *(str(pg / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust"),
                    *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"),
                ]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )
        settings = ["fsync=off", "synchronous_commit=off", "full_page_writes=off"]
        settings += ["max_connections=300", "listen_addresses=127.0.0.1"]
        with open(self.dir / "postgres.log", "ab") as log:
            self.process = subprocess.Popen(
                _unprivileged([str(pg / "postgres"), "-D", str(data), "-p", str(self.port)])
                + ["-k", ""]
                + [arg for setting in settings for arg in ("-c", setting)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout=60.0) -> None:
        """The port opens before recovery ends ("the database system is starting up"):
        wait until a connection is taken."""
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=5).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.1)

    def create_database(self, name: str) -> str:
        """Make an empty database (a fresh name each time); return its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        # SIGINT is PostgreSQL's fast shutdown; SIGTERM would wait for every client.
        if self.process is not None:
            stop(self.process, sig=signal.SIGINT)
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """A redis-server on a free loopback port, without persistence."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Redis":
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def restart(self) -> None:
        self.stop()
        self.start()


# Dovecot: the IMAP server of the reply-by-e-mail tests -------------------------------------

DOVECOT = Path("/usr/sbin/dovecot")


class Dovecot:
    """Debian's dovecot-imapd as a throwaway IMAP server: plain IMAP on a free loopback port,
    one mailbox (`support`, password `support-test`), everything in a temporary directory."""

    user = "support"
    password = "support-test"

    def __init__(self, port: int | None = None, tls=False):
        self.port = port or free_port()
        self.tls = tls  # IMAP over TLS (imaps://) with a certificate of its own, self.certificate
        self.dir = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
        self.config = self.dir / "dovecot.conf"
        self.certificate = self.dir / "certificate.pem"
        self.process: subprocess.Popen | None = None

    def url(self, folder="INBOX") -> str:
        scheme = "imaps" if self.tls else "imap"
        return f"{scheme}://{self.user}:{self.password}@127.0.0.1:{self.port}/{folder}"

    def _tls_config(self) -> str:
        """A self-signed certificate for 127.0.0.1, which a client trusts only when told."""
        if not self.tls:
            return "ssl = no\n"
        key = self.dir / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
                *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
                *("-keyout", str(key), "-out", str(self.certificate)),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return f"ssl = required\nssl_cert = <{self.certificate}\nssl_key = <{key}\n"

    def write_config(self) -> None:
        # As root, dovecot's login processes run as its own dovenull user and the mail as
        # nobody; as anyone else, everything runs as that user.
        root = os.geteuid() == 0
        uid, gid = (65534, 65534) if root else (os.geteuid(), os.getegid())
        home = self.dir / "home"
        (home / "Maildir").mkdir(parents=True)
        for path in (home, home / "Maildir"):
            os.chown(path, uid, gid)
        self.dir.chmod(0o755)  # nobody must reach its home inside
        users = self.dir / "users"
        users.write_text(f"{self.user}:{{PLAIN}}{self.password}:{uid}:{gid}::{home}\n")
        name = pwd.getpwuid(os.geteuid()).pw_name
        unprivileged = (
            ""
            if root
            else (
                f"default_internal_user = {name}\ndefault_login_user = {name}\n"
                "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"
            )
        )
        self.config.write_text(
            f"base_dir = {self.dir}/run\nstate_dir = {self.dir}/state\n"
            f"log_path = {self.dir}/dovecot.log\n{unprivileged}"
            f"protocols = imap\n{self._tls_config()}"
            "disable_plaintext_auth = no\nauth_mechanisms = plain\n"
            f"passdb {{\n  driver = passwd-file\n  args = {users}\n}}\n"
            f"userdb {{\n  driver = passwd-file\n  args = {users}\n}}\n"
            "first_valid_uid = 1\nfirst_valid_gid = 1\nmail_location = maildir:~/Maildir\n"
            # One listener on the test's port; the other (143 or 993) off, or two servers
            # at once (pytest-xdist) would both ask for it.
            f"service imap-login {{\n  inet_listener {'imaps' if self.tls else 'imap'} {{\n"
            f"    address = 127.0.0.1\n    port = {self.port}\n"
            f"    ssl = {'yes' if self.tls else 'no'}\n  }}\n"
            f"  inet_listener {'imap' if self.tls else 'imaps'} {{\n    port = 0\n  }}\n}}\n"
        )

    def start(self) -> "Dovecot":
        if not DOVECOT.exists():
            raise RuntimeError("dovecot is not installed (apt-get install dovecot-imapd)")
        self.write_config()
        # In the foreground (-F): a child of the tests like the other servers, not a daemon
        # that outlives them.
        with open(self.dir / "stderr.log", "wb") as log:
            self.process = subprocess.Popen(
                [str(DOVECOT), "-F", "-c", str(self.config)], stdout=log, stderr=log
            )
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A person's browser against a Daphne: cookies kept from one answer to the next,
    the form's CSRF token sent back, redirects not followed."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, daphne, method, path, data=None):
        connection = http.client.HTTPConnection("127.0.0.1", daphne.port, timeout=10)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.token}
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        self.text = text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if match := CSRF_INPUT.search(text):
            self.token = match.group(1)
        connection.close()
        return response.status, response.headers.get("Location", "")

    def get(self, daphne, path):
        return self.request(daphne, "GET", path)

    def post(self, daphne, path, data):
        return self.request(daphne, "POST", path, data)

    def sign_in(self, daphne, username="sam"):
        self.get(daphne, "/accounts/login/")
        login = {"username": username, "password": "portal-test-pw"}
        assert self.post(daphne, "/accounts/login/", login)[0] == 302
        return self.cookies["sessionid"]
