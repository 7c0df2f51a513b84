import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from portal.access import can_open_tech_issues, is_agent
from portal.models import Rank


def test_it_creates_the_demo_accounts_and_is_idempotent(db, settings, rf):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    request = rf.get("/")
    people = {
        name: authenticate(request, username=name, password="portal-demo")
        for name in ("silver", "premier", "diamond", "agent", "admin")
    }
    assert people["silver"].profile.rank == Rank.SILVER
    assert people["premier"].profile.rank == Rank.PREMIER
    assert people["diamond"].profile.rank == Rank.DIAMOND
    assert can_open_tech_issues(people["silver"])
    assert not can_open_tech_issues(people["premier"])
    assert is_agent(people["agent"])
    assert people["admin"].is_superuser


def test_it_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
