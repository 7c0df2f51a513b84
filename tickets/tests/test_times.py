"""Times on the ticket pages: the portal's time zone, the interface language's format, and
<time datetime> values that are valid HTML (item 10)."""

from datetime import UTC, datetime

import pytest

SENT = datetime(2026, 1, 5, 15, 30, 7, 123456, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "shown"), [("pl", "5 stycznia 2026 16:30"), ("en", "Jan. 5, 2026, 4:30 p.m.")]
)
def test_a_message_time_is_in_the_portals_zone_and_the_languages_format(
    client, make_member, make_ticket, settings, language, shown
):
    settings.TIME_ZONE = "Europe/Warsaw"
    member = make_member("ola", language=language)
    ticket = make_ticket(member)
    ticket.messages.update(created_at=SENT)
    client.force_login(member)
    page = client.get(ticket.get_absolute_url()).text
    assert f'<time datetime="2026-01-05T15:30:07Z">{shown}</time>' in page


def test_the_page_tells_its_scripts_the_portals_zone(client, silver, settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    client.force_login(silver)
    page = client.get("/").text
    assert 'data-time-zone="Europe/Warsaw"' in page
    assert "/static/js/times.js" in page
