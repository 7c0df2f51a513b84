import pytest

from tickets.services import ticket_agent_post
from tickets.tests.conftest import image_file


@pytest.fixture
def shot(ticket):
    return ticket.messages.first().screenshots.get()


def test_it_serves_the_owner_safely(client, silver, shot):
    client.force_login(silver)
    for url in (shot.get_absolute_url(), shot.get_thumbnail_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith('inline; filename="TI-')
        assert "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_it_serves_agents(client, agent, shot):
    client.force_login(agent)
    assert client.get(shot.get_absolute_url()).status_code == 200


def test_it_hides_files_from_another_member(client, diamond, shot):
    client.force_login(diamond)
    assert client.get(shot.get_absolute_url()).status_code == 404
    assert client.get(shot.get_thumbnail_url()).status_code == 404


def test_it_hides_an_internal_notes_screenshot_from_the_member(client, ticket, silver, agent):
    note = ticket_agent_post(
        ticket=ticket, agent=agent, body="log", internal=True, screenshots=[image_file()]
    )
    client.force_login(silver)
    assert client.get(note.screenshots.get().get_absolute_url()).status_code == 404
    client.force_login(agent)
    assert client.get(note.screenshots.get().get_absolute_url()).status_code == 200


def test_it_answers_404_for_no_such_file(client, silver):
    client.force_login(silver)
    assert client.get("/tech-issues/files/99999/screenshot/").status_code == 404


def test_it_shows_the_gate_below_silver(client, premier, shot):
    client.force_login(premier)
    assert client.get(shot.get_absolute_url()).status_code == 403


@pytest.mark.django_db
def test_it_sends_a_visitor_to_sign_in(client, shot):
    assert client.get(shot.get_absolute_url()).status_code == 302


def test_it_stores_files_under_random_names_in_media_root(shot, settings):
    path = shot.image.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert "shot" not in shot.image.name
    assert shot.image.name != shot.thumbnail.name
