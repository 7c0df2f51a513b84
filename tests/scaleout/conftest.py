"""The production profile for real: a throwaway PostgreSQL cluster, redis-server, two daphne
processes and nginx in front of them (deploy/nginx), all on free loopback ports, once per
pytest process. Everything under tests/scaleout/ is marked `scaleout`."""

import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.edge import Nginx, certificate
from tests.servers import (
    Daphne,
    PostgreSQL,
    Redis,
    manage,
    portal_env,
    shell,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.scaleout)


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of deploy/helpdesk.env.example, on loopback; plain HTTP unless
    `extra` says DJANGO_HTTPS=true."""
    defaults = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "false",
        "DJANGO_PORTAL_URL": "http://127.0.0.1:8000",
        "DJANGO_LOG_FORMAT": "json",
        "MEDIA_ROOT": str(var_dir / "media"),
    }
    return portal_env(var_dir, **{**defaults, **extra})


class Cluster:
    """The portal as deploy/ runs it: `url` is nginx's (HTTPS, TLS at nginx); `daphnes` are
    its processes."""

    def __init__(self, env, daphnes: list[Daphne], nginx: Nginx, redis: Redis):
        self.env, self.daphnes, self.nginx, self.redis = env, daphnes, nginx, redis
        self.url = nginx.url

    def manage(self, *args: str, input: str | None = None) -> str:
        return manage(self.env, *args, input=input)

    def shell(self, code: str) -> str:
        return shell(self.env, code)

    @property
    def upstreams(self) -> list[str]:
        """nginx's names of the processes ($upstream_addr), in the order of `daphnes`."""
        return [f"127.0.0.1:{daphne.port}" for daphne in self.daphnes]

    def daphne_at(self, upstream: str) -> Daphne:
        """The process behind nginx's $upstream_addr ("127.0.0.1:PORT")."""
        return next(d for d in self.daphnes if upstream.endswith(f":{d.port}"))


@pytest.fixture(scope="session")
def postgres():
    server = PostgreSQL().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    server = Redis().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = production_env(tmp_path_factory.mktemp("collectstatic"), STATIC_ROOT=str(root))
    manage(env, "collectstatic", "--noinput")
    return root


@pytest.fixture(scope="session")
def cluster(postgres, redis_server, static_root, tmp_path_factory):
    env = production_env(
        tmp_path_factory.mktemp("cluster"),
        DATABASE_URL=postgres.create_database(f"helpdesk_{uuid.uuid4().hex[:8]}"),
        REDIS_URL=redis_server.url,
        STATIC_ROOT=str(static_root),
        # The tests' clients send faster than a person may.
        DJANGO_LIVECHAT_RATE_MESSAGES="100000",
        # HTTPS as in production: Secure cookies, HSTS, the redirect from http.
        DJANGO_HTTPS="true",
        # Only the links in e-mails use it; the production checks refuse a loopback one.
        DJANGO_PORTAL_URL="https://help.example.test",
    )
    manage(env, "migrate", "--noinput")
    daphnes = [Daphne(env, args=["--proxy-headers"]).start() for _ in range(2)]
    nginx = Nginx([d.port for d in daphnes], static_root, test_headers=True).start()
    yield Cluster(env, daphnes, nginx, redis_server)
    nginx.stop()
    for daphne in daphnes:
        daphne.stop()


@pytest.fixture(scope="session")
def proxied(cluster, static_root):
    """A second nginx in front of the same processes, the other shape of the edge: plain HTTP
    behind a TLS proxy at 127.0.0.2 (tests connect from there to play the proxy)."""
    nginx = Nginx(
        [d.port for d in cluster.daphnes], static_root, shape="proxied", test_headers=True
    ).start()
    yield nginx
    nginx.stop()


class Browser:
    """A cookie-keeping HTTP client (urllib), enough to sign in and fetch pages; over HTTPS
    it trusts the tests' certificate only. It sends Origin on posts, as browsers do (over
    HTTPS, Django's CSRF check wants Origin or Referer)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=certificate().context),
        )

    def request(self, path: str, data: dict | None = None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {**({"Origin": self.base_url} if body is not None else {}), **(headers or {})}
        request = urllib.request.Request(self.base_url + path, body, headers)
        try:
            return self.opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            return error

    def json(self, path: str) -> tuple[int, dict]:
        response = self.request(path)
        return response.status, json.loads(response.read())

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.cookies if c.name == name)

    def sign_in(self, username: str, password: str):
        """Sign in through the login form; answer the page it lands on."""
        self.request("/accounts/login/").read()
        form = {"username": username, "password": password}
        return self.request(
            "/accounts/login/", {"csrfmiddlewaretoken": self.cookie("csrftoken"), **form}
        )


@pytest.fixture
def browser(cluster):
    return Browser(cluster.url)
