"""Your data: a member files a ticket with a screenshot, opens "Your data" from the home
page and downloads the archive, in English and in Polish, at 1280 and 375 px; axe-core on
the page. The archive holds the ticket and the screenshot as served to the member."""

import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.browser.test_tickets import WORDS, speak, submit_ticket

SHOTS = Path("/tmp/shots/ops-data")
TEXT = {
    "en": {"link": "Your data", "button": "Download my data", "kept": "technical issue"},
    "pl": {"link": "Twoje dane", "button": "Pobierz moje dane", "kept": "zgłosze"},
}

pytestmark = pytest.mark.usefixtures("members_back_in_english")


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_member_downloads_their_data(page, sign_in, base_url, language, tmp_path):
    text, checks = TEXT[language], {}
    sign_in(page, "silver")
    speak(page, language)
    reference = submit_ticket(page, base_url, WORDS[language], f"Data {language}", checks)
    thumbnail = page.locator("main img.screenshot-thumbnail").first
    served = page.request.get(
        base_url + thumbnail.get_attribute("src").replace("thumbnail", "screenshot")
    )

    page.goto(f"{base_url}/")
    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=SHOTS / f"home-{language}-375.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("main").get_by_role("link", name=text["link"]).click()
    expect(page.locator("h1")).to_have_text(text["link"])
    expect(page.locator("main")).to_contain_text(text["kept"])
    for width, height in [(1280, 800), (375, 740)]:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SHOTS / f"your-data-{language}-{width}.png", full_page=True)
        assert axe_violations(page) == []
        assert not has_horizontal_scroll(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name=text["button"]).click()
    download = download_info.value
    assert download.suggested_filename.startswith("portal-data-silver-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("profile.json"))["username"] == "silver"
        ticket = json.loads(archive.read(f"tickets/{reference}.json"))
        shot = ticket["messages"][0]["screenshots"][0]
        assert shot["original_name"] == "error.png"
        assert archive.read(shot["file"]) == served.body()
    assert all(not violations for violations, _ in checks.values())


@pytest.mark.parametrize("username", ["silver", "agent"])
def test_the_menu_with_your_data_fits_the_narrowest_desktop_in_polish(
    page, sign_in, base_url, username
):
    """The navbar is expanded from 992 px; Polish words are long, and staff have two links
    more (they get no "Your data" button: it is the members' page)."""
    sign_in(page, username)
    speak(page, "pl")
    page.set_viewport_size({"width": 992, "height": 700})
    button = page.locator("header").get_by_role("link", name="Twoje dane")
    expect(button).to_have_count(1 if username == "silver" else 0)
    assert not has_horizontal_scroll(page)
