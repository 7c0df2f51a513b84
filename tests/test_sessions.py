"""Sessions are read from the cache (portal/sessions.py): with REDIS_URL, two daphne
processes share it, so signing out or signing in again in one process ends the old
session in the other at once."""

import pytest

from tests.servers import Browser, Daphne, Redis, manage, portal_env, shell

MEMBER = """
from django.contrib.auth.models import User
from portal.models import Rank
for name in ("sam", "kim"):
    user = User.objects.create_user(name, password="portal-test-pw")
    user.profile.rank = Rank.SILVER
    user.profile.save()
"""


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
