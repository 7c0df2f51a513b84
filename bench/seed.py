"""Data for the benchmarks, written straight to a portal's database (run in the portal's
environment by Portal.seed): `python -m bench.seed WHAT ARGS...` prints JSON.

Passwords are unusable and sessions are made here, so no benchmark pays for password hashing
or trips the sign-in lockout.
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from portal.access import AGENTS_GROUP  # noqa: E402
from portal.models import Rank  # noqa: E402

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def session_for(user: User) -> str:
    """A signed-in session of this user, as login() would make it; answer its key."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def make_user(username: str, **fields) -> User:
    user = User(username=username, email=f"{username}@example.com", **fields)
    user.set_unusable_password()
    user.save()
    return user


def agents(count: str) -> list[str]:
    """`count` agents; answer a signed-in session key of each."""
    group = Group.objects.get(name=AGENTS_GROUP)
    sessions = []
    for n in range(int(count)):
        agent = make_user(f"bench-agent-{n}", first_name=f"Agent {n}", is_staff=True)
        agent.groups.add(group)
        sessions.append(session_for(agent))
    return sessions


def member(username: str) -> str:
    """A Silver member; answer a signed-in session key."""
    user = make_user(username, first_name=username.title())
    user.profile.rank = Rank.SILVER
    user.profile.save()
    return session_for(user)


COMMANDS = {"agents": agents, "member": member}

if __name__ == "__main__":
    what, *args = sys.argv[1:]
    print(json.dumps(COMMANDS[what](*args)))
