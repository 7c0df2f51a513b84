"""My Technical Issues is rendered once for what it shows and kept (portal.kept): what
each answer must have of its own (the CSRF token, a flash message) is never kept, and
another person or language never gets the kept page."""

import re

from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from tickets.models import Status

URL = reverse("tickets:list")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tokens(response) -> list[str]:
    return TOKEN.findall(response.text)


def test_each_answer_has_a_fresh_csrf_token_that_works(silver, make_ticket):
    make_ticket(silver)
    client = Client(enforce_csrf_checks=True)
    client.force_login(silver)
    first, second = client.get(URL), client.get(URL)
    assert first.templates
    assert not second.templates  # the kept page, no template rendered
    assert first.text.count("<csrf-token>") == second.text.count("<csrf-token>") == 0
    assert len(tokens(second)) == 2  # the language switch, the sign-out
    assert tokens(first)[0] != tokens(second)[0]  # masked afresh (BREACH)
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert {_unmask_cipher_token(t) for t in tokens(first) + tokens(second)} == {secret}
    data = {"csrfmiddlewaretoken": tokens(second)[0], "language": "pl", "next": URL}
    assert client.post(reverse("set_language"), data).status_code == 302


def test_a_kept_page_is_never_anothers(client, silver, diamond, make_ticket):
    make_ticket(silver, summary="Silver's printer")
    client.force_login(silver)
    assert "Signed in as silver" in client.get(URL).text
    client.force_login(diamond)
    page = client.get(URL).text
    assert "Signed in as diamond" in page
    assert "printer" not in page
    assert "You have not submitted a technical issue yet." in page


def test_it_keeps_a_page_per_language(client, make_member, make_ticket):
    member = make_member("ola", language="pl")
    make_ticket(member, summary="Drukarka")
    client.force_login(member)
    assert "Moje problemy techniczne" in client.get(URL).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(URL).text
    assert "My Technical Issues" in english
    assert 'lang="en"' in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    assert "Moje problemy techniczne" in client.get(URL).text


def test_a_flash_message_is_shown_once_and_never_kept(client, silver, make_ticket):
    ticket = make_ticket(silver)
    client.force_login(silver)
    client.get(URL)  # kept without a message
    client.post(reverse("tickets:status", args=[ticket.reference]), {"status": Status.CLOSED})
    shown = client.get(URL)
    assert "The ticket is closed." in shown.text
    assert "The ticket is closed." not in client.get(URL).text
    assert 'status-closed">Closed' in client.get(URL).text


def test_a_page_of_a_status_or_a_search_is_kept_apart(client, silver, make_ticket):
    make_ticket(silver, summary="Printer")
    closed = make_ticket(silver, summary="Scanner")
    closed.apply_status(Status.CLOSED, by=silver)
    client.force_login(silver)
    assert "Scanner" in client.get(URL).text
    assert "Printer" in client.get(URL).text
    only_new = client.get(URL, {"status": "new"}).text
    assert "Printer" in only_new
    assert "Scanner" not in only_new
    found = client.get(URL, {"q": "scan"}).text
    assert "Scanner" in found
    assert "Printer" not in found
    refused = client.get(URL, {"status": "no-such"}).text  # the form refuses it, as before
    assert "No ticket matches" in refused
    assert "Scanner" not in refused


def test_a_kept_page_is_not_served_once_the_rank_no_longer_opens_it(client, silver, make_ticket):
    from portal.models import Profile, Rank

    make_ticket(silver)
    client.force_login(silver)
    assert client.get(URL).status_code == client.get(URL).status_code == 200  # kept
    Profile.objects.filter(user=silver).update(rank=Rank.PREMIER)  # no signal, no save()
    response = client.get(URL)
    assert response.status_code == 403
    assert "rank Silver or higher" in response.text
