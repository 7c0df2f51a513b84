"""A page kept in one daphne process (portal.kept, My Technical Issues) never outlives a
change made by another process: what the page shows is its key, read from the database
on every load."""

import pytest

from tests.servers import Browser, Daphne, manage, portal_env, shell

MEMBERS = """
from django.contrib.auth.models import User
from portal.models import Rank
from tickets.services import ticket_submit
for name in ("sam", "kim"):
    user = User.objects.create_user(name, password="portal-test-pw")
    user.profile.rank = Rank.SILVER
    user.profile.save()
ticket_submit(member=User.objects.get(username="sam"), language="en",
              summary="Printer jams", description="It jams on page two.")
"""


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    """Two daphne processes of one portal, one database, no shared cache."""
    env = portal_env(tmp_path_factory.mktemp("kept"))
    daphnes = []
    try:
        manage(env, "migrate", "--noinput")
        shell(env, MEMBERS)
        daphnes = [Daphne(env).start(), Daphne(env).start()]
        yield env, daphnes
    finally:
        for daphne in daphnes:
            daphne.stop()


def page(browser, daphne) -> str:
    status, _location = browser.get(daphne, "/tech-issues/")
    assert status == 200
    return browser.text


def test_a_change_in_another_process_shows_at_once(processes):
    env, (one, other) = processes
    sam = Browser()
    sam.sign_in(one)
    assert 'status-new">New' in page(sam, one)
    assert 'status-new">New' in page(sam, one)  # kept now
    reference = shell(
        env, "from tickets.models import Ticket; print(Ticket.objects.get().reference)"
    )
    data = {"status": "closed"}
    assert sam.post(other, f"/tech-issues/{reference.strip()}/status/", data)[0] == 302
    page(sam, other)  # the flash message, shown once
    assert 'status-closed">Closed' in page(sam, one)
    shell(env, "from tickets.models import Ticket; Ticket.objects.update(summary='Scanner jams')")
    assert "English - Scanner jams" in page(sam, one)


def test_another_member_never_gets_the_kept_page(processes):
    _env, (one, _other) = processes
    sam, kim = Browser(), Browser()
    sam.sign_in(one)
    kim.sign_in(one, "kim")
    assert "jams" in page(sam, one)
    kims = page(kim, one)
    assert "jams" not in kims
    assert "Signed in as kim" in kims
    assert "Signed in as sam" not in kims
