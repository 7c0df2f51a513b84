"""The guide's step A and the language field agree (the title names the language, the field
follows it, a clash is asked about)."""

import pytest
from django.urls import reverse

from tickets.languages import TICKET_LANGUAGES, split_language
from tickets.models import Ticket

URL = reverse("tickets:new")
GUIDE = "Polski - Nie można przetworzyć zamówienia"


def post(client, **changes):
    data = {
        "language": "en",
        "language_default": "en",
        "summary": GUIDE,
        "description": "I click Order and see Error 500.",
        **changes,
    }
    return client.post(URL, data)


def test_it_files_the_guides_example_as_polish_with_that_exact_title(client, silver):
    client.force_login(silver)
    response = post(client)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.language, ticket.title) == ("pl", GUIDE)
    assert ticket.summary == "Nie można przetworzyć zamówienia"


@pytest.mark.parametrize(
    "summary",
    ["POLISH: Koszyk", "polski – Koszyk", "Polish-Koszyk", "  Polski — Koszyk", "polski:Koszyk"],
)
def test_it_reads_any_spelling_of_the_language(client, silver, summary):
    client.force_login(silver)
    assert post(client, summary=summary).status_code == 302
    assert Ticket.objects.get().title == "Polski - Koszyk"


@pytest.mark.parametrize("language", TICKET_LANGUAGES)
def test_every_listed_language_is_recognised_by_both_names(language):
    for name in (language.own_name, language.english_name):
        for spelled in (name, name.upper(), name.lower()):
            assert split_language(f"{spelled} - x") == (language.code, "x")


def test_a_word_that_only_begins_like_a_language_is_not_one():
    assert split_language("Englishman - lost") == (None, "Englishman - lost")


def test_it_asks_which_language_when_the_member_chose_another(client, silver):
    client.force_login(silver)
    response = post(client, language="de", language_default="en")
    assert response.status_code == 400
    assert not Ticket.objects.exists()
    assert "The title starts with Polski, but the language chosen is Deutsch." in response.text
    assert f'value="{GUIDE}"' in response.text


def test_a_chosen_language_that_matches_the_title_is_fine(client, silver):
    client.force_login(silver)
    assert post(client, language="pl", language_default="en").status_code == 302
    assert Ticket.objects.get().title == GUIDE


@pytest.mark.parametrize("summary", ["Polski", "polish -", "Deutsch:"])
def test_it_refuses_a_title_that_is_only_a_language(client, silver, summary):
    client.force_login(silver)
    response = post(client, summary=summary)
    assert response.status_code == 400
    assert "After the language, write a short summary of the problem." in response.text
    assert not Ticket.objects.exists()


def test_an_untouched_default_follows_the_description(client, silver):
    client.force_login(silver)
    response = post(client, summary="Koszyk", description="Klikam „Zamów” i widzę błąd 500.")
    assert response.status_code == 302
    assert Ticket.objects.get().language == "pl"


def test_a_chosen_language_wins_over_the_description(client, silver):
    client.force_login(silver)
    post(client, summary="Koszyk", language="de", description="Klikam „Zamów” i widzę błąd 500.")
    assert Ticket.objects.get().language == "de"


def test_the_default_is_the_descriptions_language_when_clear(client, silver):
    client.force_login(silver)
    response = client.get(
        URL, {"description": "Ich kann mich nicht anmelden, das Passwort geht nicht"}
    )
    assert response.context["form"]["language"].value() == "de"
    assert response.context["form"]["language_default"].value() == "de"


def test_the_default_is_the_interface_language_when_unclear(client, make_member):
    client.force_login(make_member("ola", language="pl"))
    response = client.get(URL, {"description": "Error 500"})
    assert response.context["form"]["language"].value() == "pl"


def test_the_page_shows_the_title_it_will_file_in_the_interface_language(client, make_member):
    client.force_login(make_member("ola", language="pl"))
    response = client.get(URL)
    assert "Zgłoszenie otrzyma tytuł:" in response.text
    assert "Polski - …" in response.text


def test_the_preview_applies_the_rules_of_the_post(client, silver):
    client.force_login(silver)
    preview = reverse("tickets:title_preview")
    query = {"language": "en", "language_default": "en", "summary": "polish: Koszyk"}
    assert client.get(preview, query).json() == {
        "language": "pl",
        "title": "Polski - Koszyk",
        "problem": "",
    }
    clash = client.get(preview, {**query, "language": "de"}).json()
    assert clash["problem"].startswith("The title starts with Polski")
    assert client.get(preview, {"summary": "x" * 5000}).status_code == 200


def test_the_preview_is_for_members_of_technical_issues_only(client, premier):
    client.force_login(premier)
    assert client.get(reverse("tickets:title_preview")).status_code == 403
