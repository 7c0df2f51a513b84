"""Sessions are read from the cache (portal/sessions.py): with REDIS_URL, two daphne
processes share it, so signing out or signing in again in one process ends the old
session in the other at once."""

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.servers import Daphne, Redis, manage, portal_env, shell

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MEMBER = """
from django.contrib.auth.models import User
from portal.models import Rank
for name in ("sam", "kim"):
    user = User.objects.create_user(name, password="portal-test-pw")
    user.profile.rank = Rank.SILVER
    user.profile.save()
"""


class Browser:
    """Cookies kept from one answer to the next, redirects not followed."""

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
        if match := TOKEN.search(text):
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


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    """Two daphne processes of one portal: one database, one Redis."""
    redis = Redis().start()
    env = portal_env(tmp_path_factory.mktemp("sessions"), REDIS_URL=redis.url)
    daphnes = []
    try:
        manage(env, "migrate", "--noinput")
        shell(env, MEMBER)
        daphnes = [Daphne(env).start(), Daphne(env).start()]
        yield daphnes
    finally:
        for daphne in daphnes:
            daphne.stop()
        redis.stop()


def signed_in(browser, daphne) -> bool:
    status, location = browser.get(daphne, "/tech-issues/")
    assert status in (200, 302), status
    return status == 200 or not location.startswith("/accounts/login/")


def test_signing_out_in_one_process_signs_out_in_the_other(processes):
    one, other = processes
    browser = Browser()
    browser.sign_in(one)
    assert signed_in(browser, one)
    assert signed_in(browser, other)
    old = dict(browser.cookies)
    assert browser.post(other, "/accounts/logout/", {})[0] == 302
    browser.cookies = old  # a copy of the cookie kept (stolen, another tab) is worth nothing
    assert not signed_in(browser, one)
    assert not signed_in(browser, other)


def test_a_new_session_key_ends_the_old_one_in_the_other_process(processes):
    one, other = processes
    browser = Browser()
    first = browser.sign_in(one, "kim")
    assert signed_in(browser, other)
    # Changing one's password keeps this browser signed in under a new key (cycle_key).
    browser.get(other, "/accounts/password_change/")
    change = {"old_password": "portal-test-pw", "new_password1": "An0ther-pass-phrase"}
    change["new_password2"] = change["new_password1"]
    assert browser.post(other, "/accounts/password_change/", change)[0] == 302
    assert browser.cookies["sessionid"] != first
    assert signed_in(browser, one)
    browser.cookies["sessionid"] = first
    assert not signed_in(browser, one)
    assert not signed_in(browser, other)
