import re

import pytest


def test_it_shows_both_tiles(client, silver):
    client.force_login(silver)
    page = client.get("/").content.decode()
    assert 'href="/tech-issues/"' in page
    chat_links = re.findall(r'<a [^>]*href="/chat/"[^>]*>', page)
    assert chat_links
    assert all('target="_blank"' in link and 'rel="noopener"' in link for link in chat_links)
    assert "Available to members of rank" not in page


def test_it_tells_a_member_below_the_gate_which_rank_opens_technical_issues(client, premier):
    client.force_login(premier)
    page = client.get("/").content.decode()
    assert "Available to members of rank Silver or higher." in page


def test_it_requires_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_it_speaks_polish_when_asked(client, silver):
    client.force_login(silver)
    client.post("/i18n/setlang/", {"language": "pl", "next": "/"})
    page = client.get("/").content.decode()
    assert "Problemy techniczne" in page
    assert "Czat z\u00a0zespołem pomocy technicznej" in page
    assert '<html lang="pl" ' in page
    silver.profile.refresh_from_db()
    assert silver.profile.preferred_language == "pl"


def test_it_uses_the_members_preferred_language_until_they_switch(client, make_member):
    member = make_member("polka", language="pl")
    client.force_login(member)
    assert "Problemy techniczne" in client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    assert "Technical Issues" in client.get("/").content.decode()


def test_it_lets_a_visitor_switch_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Zaloguj się" in client.get("/accounts/login/").content.decode()
