"""The portal's own pages for refused requests, as members see them (DEBUG off)."""

import pytest
from django.test import Client
from django.views.defaults import server_error


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_an_unknown_host_gets_the_styled_400_page(db):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The request was refused" in page
    assert "Your browser sent a request that the portal could not understand." in page


def test_a_missing_page_gets_the_styled_404_page(client, silver):
    client.force_login(silver)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Go to the portal home" in page


def test_a_member_who_is_not_an_agent_gets_the_styled_403_page_on_the_console(client, silver):
    client.force_login(silver)
    response = client.get("/chat/console/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page
    assert "Go to the portal home" in page


def test_a_form_without_its_csrf_token_gets_the_styled_403_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "silver", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "The form could not be sent" in page
    assert "Nothing was saved." in page


def test_a_server_error_gets_a_plain_500_page_without_the_request(rf):
    # Django renders it with no request, so no context processor and no user.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Please try again in a few minutes." in page
