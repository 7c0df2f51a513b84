"""The demo members and agents (the README's "Demo accounts")."""

from django.contrib.auth.models import User

from portal.access import make_agent_of
from portal.models import Profile, Rank

DEMO_PASSWORD = "portal-demo"  # noqa: S105  (documented demo password, DEBUG only)

DEMO_MEMBERS = [
    # username, rank, member ID, first name, last name, preferred language
    ("silver", Rank.SILVER, "1000007", "Sylwia", "Srebrna", "en"),
    ("premier", Rank.PREMIER, "1000006", "Piotr", "Premier", "en"),
    ("diamond", Rank.DIAMOND, "1000010", "Diana", "Diamond", "en"),
]


def seed_people() -> dict[str, User]:
    """Create (or bring back to their demo state) the demo accounts; return them by name."""
    people = {}
    for username, rank, member_id, first, last, language in DEMO_MEMBERS:
        user = _user(username, first_name=first, last_name=last)
        Profile.objects.update_or_create(
            user=user,
            defaults={"rank": rank, "member_id": member_id, "preferred_language": language},
        )
        people[username] = user
    agent = _user("agent", first_name="Alex", last_name="Agent")
    make_agent_of(agent)
    people["agent"] = agent
    people["admin"] = _user("admin", is_staff=True, is_superuser=True)
    return people


def _user(username: str, **fields) -> User:
    user, _ = User.objects.update_or_create(
        username=username, defaults={"email": f"{username}@example.com", **fields}
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user
