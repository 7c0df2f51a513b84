import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from portal.access import is_agent


@pytest.fixture
def typed(monkeypatch):
    def type_in(text):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return type_in


@pytest.mark.django_db
def test_it_creates_an_agent_who_can_sign_in(typed):
    typed("long enough secret 42\n")
    call_command("create_agent", "alex", "--email", "alex@example.com", "--first-name", "Alex")
    user = User.objects.get(username="alex")
    assert is_agent(user)
    assert user.first_name == "Alex"
    assert user.check_password("long enough secret 42")
    assert not user.is_superuser


@pytest.mark.django_db
def test_it_refuses_a_weak_password(typed):
    typed("agent\n")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_agent", "alex", "--email", "alex@example.com")
    assert not User.objects.filter(username="alex").exists()


@pytest.mark.django_db
def test_it_refuses_an_existing_username(typed, silver):
    typed("long enough secret 42\n")
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_agent", "silver", "--email", "x@example.com")
    assert not is_agent(User.objects.get(username="silver"))
