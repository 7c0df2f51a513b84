import pytest
from django.urls import reverse

from portal.access import can_open_tech_issues
from portal.models import Rank
from tickets.services import ticket_submit

TECH_ISSUES = "/tech-issues/"
ALLOWED = [rank for rank in Rank if rank >= Rank.SILVER]


@pytest.mark.parametrize("rank", list(Rank), ids=[rank.name for rank in Rank])
def test_it_opens_technical_issues_from_silver_up(client, make_member, rank):
    member = make_member("member", rank)
    client.force_login(member)
    response = client.get(TECH_ISSUES)
    if rank in ALLOWED:
        assert response.status_code == 200
        assert b"My Technical Issues" in response.content
    else:
        assert_gate_page(response, rank)


def assert_gate_page(response, rank):
    assert response.status_code == 403
    page = response.content.decode()
    assert "Technical Issues is available to members of rank Silver or higher." in page
    assert f"Your rank is {rank.label}." in page
    assert 'href="/chat/"' in page


def test_it_shows_the_gate_page_on_the_new_issue_form_too(client, make_member):
    client.force_login(make_member("member", Rank.PREMIER))
    assert_gate_page(client.get(f"{TECH_ISSUES}new/"), Rank.PREMIER)
    assert_gate_page(client.post(f"{TECH_ISSUES}new/", {"summary": "x"}), Rank.PREMIER)


def test_it_shows_the_gate_page_on_a_ticket_of_a_member_since_moved_below_it(client, silver):
    ticket = ticket_submit(
        member=silver, language="en", summary="Cannot pay", description="Error 500."
    )
    silver.profile.rank = Rank.PREMIER
    silver.profile.save()
    client.force_login(silver)
    assert_gate_page(client.get(f"{TECH_ISSUES}{ticket.reference}/"), Rank.PREMIER)


def test_it_sends_a_visitor_to_sign_in(client):
    response = client.get(TECH_ISSUES)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={TECH_ISSUES}"


def test_it_tells_a_visitors_script_to_sign_in_without_a_page(client):
    # A redirect would render the sign-in page in the background and set a new CSRF
    # cookie, voiding the token of a sign-in form open in the same browser.
    response = client.get(f"{TECH_ISSUES}new/title/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.json() == {"signed_in": False}
    assert "csrftoken" not in response.cookies
    assert client.get(f"{TECH_ISSUES}new/title/").status_code == 302  # a browser's own visit


def test_it_lets_an_agent_in(client, agent):
    client.force_login(agent)
    assert client.get(TECH_ISSUES).status_code in (200, 302)
    assert can_open_tech_issues(agent)


def test_it_follows_the_setting_when_the_gate_moves(client, silver, make_member, settings):
    settings.TECH_ISSUES_LOWEST_RANK = "GOLD"
    gold = make_member("gold", Rank.GOLD)
    client.force_login(silver)
    response = client.get(TECH_ISSUES)
    assert response.status_code == 403
    assert b"rank Gold or higher" in response.content
    assert b"Your rank is Silver." in response.content
    client.force_login(gold)
    assert client.get(TECH_ISSUES).status_code == 200


def test_it_refuses_a_rank_name_that_does_not_exist(settings):
    from portal.checks import tech_issues_lowest_rank_is_a_rank

    settings.TECH_ISSUES_LOWEST_RANK = "SILVR"
    [error] = tech_issues_lowest_rank_is_a_rank(None)
    assert error.id == "portal.E001"


def test_it_treats_a_user_without_profile_as_below_the_gate(db, silver):
    silver.profile.delete()
    silver.refresh_from_db()
    assert not can_open_tech_issues(silver)
