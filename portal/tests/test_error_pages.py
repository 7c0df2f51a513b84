"""The portal's own pages for refused requests, as members see them (DEBUG off)."""

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_an_unknown_host_gets_the_styled_400_page(db):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The request was refused" in page
    assert "Your browser sent a request that the portal could not understand." in page
