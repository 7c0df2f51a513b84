"""The layout's navigation is kept rendered per process (base.html's fragments), for who
it is drawn for: each person still sees their own name and their own links."""

from portal.access import make_agent_of

YOUR_DATA = 'text-nowrap" href="/your-data/">'  # the navigation's button


def test_each_member_sees_their_own_name(client, silver, diamond):
    client.force_login(silver)
    assert "Signed in as silver" in client.get("/").text
    client.force_login(diamond)
    page = client.get("/").text
    assert "Signed in as diamond" in page
    assert "silver" not in page


def test_a_member_made_an_agent_sees_the_agents_links_at_once(client, silver):
    client.force_login(silver)
    page = client.get("/").text
    assert "Chat console" not in page
    assert YOUR_DATA in page
    make_agent_of(silver)
    page = client.get("/").text
    assert "Chat console" in page
    assert YOUR_DATA not in page  # staff menus are full already


def test_a_visitor_sees_the_sign_in_link_in_their_language(client, db):
    assert "Sign in" in client.get("/accounts/login/").text
    client.cookies["django_language"] = "pl"
    page = client.get("/accounts/login/").text
    assert 'lang="pl"' in page
    assert "Zmień język" in page
