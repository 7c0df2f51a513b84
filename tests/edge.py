"""nginx as deploy/nginx configures it, in either shape of the edge, and the throwaway
TLS certificate it serves (tests/servers.py has the other servers)."""

import atexit
import functools
import os
import re
import shutil
import ssl
import subprocess
import tempfile
from pathlib import Path

from tests.servers import ROOT, free_port, stop, wait_for_port

NGINX_DIR = ROOT / "deploy" / "nginx"


def render_template(template: Path, **values: str) -> str:
    """Fill the ${HELPDESK_...} placeholders of a deploy/ template (envsubst's syntax, so a
    person can render it with envsubst); nginx's own $variables are left alone."""

    def value(match: re.Match) -> str:
        return values[match.group(1)]

    return re.sub(r"\$\{(HELPDESK_[A-Z_]+)\}", value, template.read_text())


class Certificate:
    """A throwaway self-signed certificate for 127.0.0.1 and localhost (openssl), made once
    per pytest process; `context` is a client's SSL context that trusts it and nothing else."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="helpdesk-tls-"))
        self.path, self.key = self.dir / "cert.pem", self.dir / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt"),
                *("ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost"),
                *("-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
                *("-keyout", str(self.key), "-out", str(self.path)),
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        atexit.register(shutil.rmtree, self.dir, ignore_errors=True)
        self.context = ssl.create_default_context(cafile=str(self.path))


@functools.cache
def certificate() -> Certificate:
    return Certificate()


class Nginx:
    """nginx in front of daphne processes, with deploy/nginx's files, in one of the two shapes
    of the edge: "tls" (HTTPS at nginx, `url`; plain HTTP redirecting, `http_url`) or "proxied"
    (plain HTTP behind a TLS proxy at `trusted_proxy`). /health/ allows `monitor`."""

    def __init__(
        self,
        upstream_ports: list[int],
        static_root: Path,
        shape="tls",
        trusted_proxy="127.0.0.2",
        monitor="127.0.0.3",
        test_headers=False,
    ):
        self.shape, self.trusted_proxy, self.monitor = shape, trusted_proxy, monitor
        self.port = free_port()
        self.http_port = free_port() if shape == "tls" else self.port
        scheme = "https" if shape == "tls" else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"
        self.dir = Path(tempfile.mkdtemp(prefix="helpdesk-nginx-"))
        self.upstream_ports = upstream_ports
        self.static_root = static_root
        # Tests only: X-Upstream names the daphne process that answered (never in deploy/).
        self.test_headers = "add_header X-Upstream $upstream_addr always;" if test_headers else ""
        self.process: subprocess.Popen | None = None

    def values(self) -> dict[str, str]:
        """The placeholders, as README's envsubst fills them."""
        tls = certificate()
        return {
            "HELPDESK_NGINX_DIR": str(self.dir),
            "HELPDESK_HTTPS_LISTEN": f"127.0.0.1:{self.port}",
            "HELPDESK_HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
            "HELPDESK_SERVER_NAME": "127.0.0.1 localhost",
            "HELPDESK_PUBLIC_URL": self.url,
            "HELPDESK_TLS_CERTIFICATE": str(tls.path),
            "HELPDESK_TLS_CERTIFICATE_KEY": str(tls.key),
            "HELPDESK_TRUSTED_PROXY": self.trusted_proxy,
            "HELPDESK_MONITOR": self.monitor,
            "HELPDESK_UPSTREAM_SERVERS": " ".join(
                f"server 127.0.0.1:{port} max_fails=0;" for port in self.upstream_ports
            ),
            "HELPDESK_STATIC_ROOT": str(self.static_root),
        }

    def write_config(self) -> Path:
        values = self.values()
        for template in NGINX_DIR.glob("*.conf.template"):
            (self.dir / template.name.removesuffix(".template")).write_text(
                render_template(template, **values)
            )
        site = "helpdesk.conf" if self.shape == "tls" else "helpdesk-behind-proxy.conf"
        temp = " ".join(
            f"{kind}_temp_path {self.dir}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # Run as root, nginx's workers would become nobody, who cannot read the tests' tmp
        # static files: they stay root (tests only; deploy/ runs them as www-data).
        user = "user root;" if os.geteuid() == 0 else ""
        main = (
            f"{user} daemon off; worker_processes 1; pid {self.dir}/nginx.pid;\n"
            f"error_log {self.dir}/error.log warn;\n"
            "events { worker_connections 1024; }\n"
            f"http {{ include /etc/nginx/mime.types; access_log {self.dir}/access.log; {temp}\n"
            f"{self.test_headers}\n"
            f"include {self.dir}/{site}; }}\n"
        )
        config = self.dir / "nginx.conf"
        config.write_text(main)
        return config

    def start(self) -> "Nginx":
        config = self.write_config()
        with open(self.dir / "stderr.log", "wb") as log:
            self.process = subprocess.Popen(
                ["nginx", "-p", str(self.dir), "-c", str(config)], stdout=log, stderr=log
            )
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)
