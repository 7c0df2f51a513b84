"""Pages that show someone's own data are kept by no cache (issue 13, item 2); the
language cookie is as guarded as the session's."""

import json

import pytest

from tests.servers import portal_env
from tests.test_settings import PRODUCTION, run
from tickets.tests.conftest import image_file, make_ticket  # noqa: F401  (a fixture)

PRIVATE = "private, no-store"
QUESTION = {"name": "Vic", "email": "vic@example.com", "member_id": "", "question": "Help"}


@pytest.fixture
def ticket(silver, make_ticket):  # noqa: F811
    return make_ticket(silver, screenshots=[image_file()])


def test_a_members_pages_are_private_and_not_stored(client, silver, ticket):
    client.force_login(silver)
    for path in ("/", "/tech-issues/", f"/tech-issues/{ticket.reference}/", "/tech-issues/new/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == PRIVATE, path


def test_the_agents_console_is_private_and_not_stored(client, agent):
    client.force_login(agent)
    assert client.get("/chat/console/")["Cache-Control"] == PRIVATE


def test_a_visitors_chat_page_is_private_and_not_stored(client, db):
    landed = client.post("/chat/", QUESTION, follow=True)
    assert landed.redirect_chain[0][0].startswith("/chat/")
    assert landed["Cache-Control"] == PRIVATE


def test_screenshots_keep_their_own_private_caching(client, silver, ticket):
    client.force_login(silver)
    shot = ticket.messages.first().screenshots.get()
    for url in (shot.get_absolute_url(), shot.get_thumbnail_url()):
        assert client.get(url)["Cache-Control"] == "private, max-age=3600"


def test_the_chat_form_for_a_stranger_is_left_alone(client, db):
    assert not client.get("/chat/").has_header("Cache-Control")


SWITCH = """
import django, json
django.setup()
from django.test import Client
client = Client(enforce_csrf_checks=False)
response = client.post("/i18n/setlang/", {"language": "pl", "next": "/"}, secure=True,
                       HTTP_HOST="help.example.com")
cookie = response.cookies["django_language"]
print(json.dumps({key: cookie[key] for key in ("secure", "httponly", "samesite")}))
"""


@pytest.mark.parametrize(
    ("https", "secure"), [("true", True), ("false", "")], ids=["https", "plain-http"]
)
def test_the_language_cookie_is_flagged_like_the_session_cookie(tmp_path, https, secure):
    env = portal_env(tmp_path, **PRODUCTION, DJANGO_HTTPS=https)
    result = run(env, "-c", SWITCH)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"secure": secure, "httponly": True, "samesite": "Lax"}
