"""A ticket or a reply posted after its member was signed out (in another tab, by an
administrator) is kept through sign-in: the sign-in page says so and leads back to the
form, filled with what was typed."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from tickets.tests.conftest import image_file

NEW = "/tech-issues/new/"
TYPED = {
    "language": "pl",
    "language_default": "pl",
    "summary": "Polski - Koszyk się nie zapisuje",
    "description": "Kroki: koszyk, zapisz, błąd 500.",
}


def back_after_sign_in(client, response) -> str:
    """Follow the sign-in page the post was sent to, sign in, answer where it leads."""
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert "You were signed out before this form was sent" in login.text
    back = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    credentials = {"username": "silver", "password": "portal-test", "next": back}
    signed_in = client.post(reverse("login"), credentials)
    assert signed_in.status_code == 302
    return signed_in["Location"]


def test_a_new_ticket_comes_back_filled_after_sign_in(client, silver):
    posted = client.post(NEW, {**TYPED, "screenshots": image_file()})
    back = back_after_sign_in(client, posted)
    assert back.startswith(f"{NEW}?draft=")
    form = client.get(back).context["form"]
    assert form["summary"].value() == TYPED["summary"]
    assert form["description"].value() == TYPED["description"]
    assert form["language"].value() == "pl"
    assert not silver.tickets.exists()  # nothing was filed by the signed-out post


def test_a_reply_comes_back_filled_after_sign_in(client, silver, ticket):
    url = ticket.get_absolute_url()
    posted = client.post(url, {"body": "Zamówienie 1234"})
    back = back_after_sign_in(client, posted)
    assert urlsplit(back).path == url
    page = client.get(back)
    assert page.context["form"]["body"].value() == "Zamówienie 1234"
    assert ticket.messages.count() == 1  # the member's first message only


def test_a_draft_fills_only_its_own_kind_of_form(client, silver, ticket):
    posted = client.post(ticket.get_absolute_url(), {"body": "Zamówienie 1234"})
    back = back_after_sign_in(client, posted)
    key = parse_qs(urlsplit(back).query)["draft"][0]
    form = client.get(f"{NEW}?draft={key}").context["form"]
    assert form["description"].value() in (None, "")


def test_other_pages_send_a_signed_out_post_to_sign_in_as_before(client, db):
    response = client.post(reverse("home"), {"anything": "x"})
    assert response["Location"] == f"{reverse('login')}?next=/"
    assert "You were signed out" not in client.get(response["Location"]).text
