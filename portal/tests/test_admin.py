import pytest
from django.contrib.auth.models import Group, Permission

from portal.access import AGENTS_GROUP, is_agent, make_agent_of
from portal.models import Rank
from tickets.services import ticket_submit


def test_it_refuses_members(client, diamond):
    client.force_login(diamond)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_lets_an_administrator_edit_a_rank_inline(client, admin_user, silver):
    client.force_login(admin_user)
    url = f"/admin/auth/user/{silver.pk}/change/"
    page = client.get(url)
    assert b"Member profile" in page.content
    data = {
        "username": "silver",
        "email": "silver@example.com",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-id": str(silver.profile.pk),
        "profile-0-user": str(silver.pk),
        "profile-0-rank": str(Rank.GOLD.value),
        "profile-0-member_id": "1000007",
        "profile-0-preferred_language": "pl",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    silver.profile.refresh_from_db()
    assert silver.profile.rank == Rank.GOLD


def test_it_shows_ranks_in_the_member_list(client, admin_user, premier):
    client.force_login(admin_user)
    page = client.get("/admin/auth/user/").content.decode()
    assert "Premier" in page


def test_the_migration_makes_the_agents_group_with_its_permissions(db):
    group = Group.objects.get(name=AGENTS_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_user", "view_profile"} <= codenames
    assert not Permission.objects.filter(group=group, codename="change_user").exists()


def test_it_knows_who_is_an_agent(agent, silver, admin_user, make_agent):
    assert is_agent(agent)
    assert is_agent(admin_user)
    assert not is_agent(silver)
    staff_only = make_agent("staff-only")
    staff_only.groups.clear()
    assert not is_agent(staff_only)
    agent.is_active = False
    assert not is_agent(agent)


def test_make_agent_of_turns_a_member_into_an_agent(silver):
    make_agent_of(silver)
    silver.refresh_from_db()
    assert silver.is_staff
    assert is_agent(silver)


def test_it_gives_admin_pages_the_portals_icon(client, agent):
    client.force_login(agent)
    page = client.get("/admin/tickets/ticket/")
    assert page.status_code == 200
    assert b'<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.content
    # Still the admin's own page around it (the override extends, it does not replace).
    assert b'id="site-name"' in page.content


@pytest.mark.parametrize(
    ("count", "english", "polish"),
    [
        (1, "1 technical issue", "1 problem techniczny"),
        (3, "3 technical issues", "3 problemy techniczne"),
        (5, "5 technical issues", "5 problemów technicznych"),
    ],
)
def test_a_list_counts_in_the_readers_plural(client, agent, silver, count, english, polish):
    for number in range(count):
        ticket_submit(member=silver, language="en", summary=f"Order {number}", description="-")
    client.force_login(agent)
    url = "/admin/tickets/ticket/"
    assert f"\n{english}\n" in client.get(url).text
    client.cookies["django_language"] = "pl"
    assert f"\n{polish}\n" in client.get(url).text


def test_a_model_without_its_own_plural_forms_is_counted_in_djangos_words(client, admin_user):
    client.force_login(admin_user)
    assert "\n1 user\n" in client.get("/admin/auth/user/").text
