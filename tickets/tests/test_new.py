import pytest
from django.urls import reverse

from tickets.models import Ticket
from tickets.tests.conftest import image_file

URL = reverse("tickets:new")


def form(**changes):
    return {
        "language": "pl",
        "summary": "Nie można przetworzyć zamówienia",
        "description": "Klikam „Zamów” i widzę „Błąd 500”.",
        **changes,
    }


def test_it_files_a_ticket_and_redirects_to_it(client, silver):
    client.force_login(silver)
    response = client.post(URL, form(screenshots=[image_file("a.png"), image_file("b.png")]))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == ticket.get_absolute_url()
    assert (ticket.member, ticket.title) == (silver, "Polski - Nie można przetworzyć zamówienia")
    assert ticket.messages.get().screenshots.count() == 2
    page = client.get(response.url)
    assert f"Your technical issue {ticket.reference} is submitted." in page.text


def test_it_prefills_from_the_chat(client, silver):
    client.force_login(silver)
    response = client.get(URL, {"language": "pl", "description": "Nie działa koszyk"})
    assert response.context["form"]["language"].value() == "pl"
    assert "Nie działa koszyk" in response.text


def test_it_defaults_the_language_to_the_interface_language(client, make_member):
    client.force_login(make_member("ola", language="pl"))
    response = client.get(URL, {"language": "klingon"})
    assert response.context["form"]["language"].value() == "pl"


def test_it_keeps_what_was_typed_and_says_what_to_fix(client, silver):
    client.force_login(silver)
    response = client.post(URL, form(description="", summary="Kept summary"))
    assert response.status_code == 400
    assert not Ticket.objects.exists()
    assert 'value="Kept summary"' in response.text
    assert "This field is required." in response.text
    assert 'aria-invalid="true"' in response.text


def test_it_names_a_refused_file_and_asks_to_choose_files_again(client, silver):
    client.force_login(silver)
    response = client.post(URL, form(screenshots=[image_file(), _text_file()]))
    assert response.status_code == 400
    assert not Ticket.objects.exists()
    assert "notes.txt: it is not a PNG, JPEG, GIF or WebP image." in response.text
    assert "please choose them again" in response.text
    assert "Klikam „Zamów” i widzę „Błąd 500”." in response.text


def test_it_refuses_an_unknown_language(client, silver):
    client.force_login(silver)
    response = client.post(URL, form(language="xx"))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_bounds_the_summary(client, silver):
    client.force_login(silver)
    response = client.post(URL, form(summary="x" * 201))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_shows_the_gate_below_silver(client, premier):
    client.force_login(premier)
    assert client.post(URL, form()).status_code == 403
    assert not Ticket.objects.exists()


@pytest.mark.django_db
def test_it_sends_a_visitor_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_it_needs_csrf(silver):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(silver)
    assert client.post(URL, form()).status_code == 403
    assert not Ticket.objects.exists()


def _text_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")


def test_an_agent_may_open_the_form(client, agent):
    client.force_login(agent)
    assert client.get(URL).status_code == 200


def test_the_kept_empty_form_is_the_one_its_prefill_and_language_make(client, silver):
    from django.conf import settings

    client.force_login(silver)
    assert "Nie działa koszyk" in client.get(URL, {"description": "Nie działa koszyk"}).text
    kept = client.get(URL, {"description": "Nie działa koszyk"}).text  # the fields kept
    assert "Nie działa koszyk" in kept
    other = client.get(URL, {"description": "The printer jams"}).text
    assert "The printer jams" in other
    assert "koszyk" not in other
    assert "koszyk" not in client.get(URL).text
    assert 'value="pl" selected' in client.get(URL, {"language": "pl"}).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    polish = client.get(URL).text
    assert "Tytuł zgłoszenia" in polish
    assert "Ticket title" not in polish
    refused = client.post(URL, form(summary="", description="Still typed")).text
    assert "Still typed" in refused  # a bound form is never the kept one
