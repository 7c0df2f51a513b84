"""The navigation bar fits one row at 1280 px in both languages (item 11): the Polish chat
label is short, and no label or the language control wraps."""

import pytest

from tests.browser.conftest import has_horizontal_scroll
from tests.browser.test_tickets import speak

pytestmark = pytest.mark.usefixtures("members_back_in_english")
SHOTS = "/tmp/shots/members-tickets"
ONE_ROW = """() => {
  const nav = document.querySelector("#main-nav");
  const items = [...nav.querySelectorAll(".nav-link, select, button, .navbar-text")];
  const lineHeight = parseFloat(getComputedStyle(nav.querySelector(".nav-link")).lineHeight);
  const tops = items.map((e) => e.getBoundingClientRect().top);
  return {
    wrapped: items.filter((e) => e.getBoundingClientRect().height > 2 * lineHeight)
      .map((e) => e.textContent.trim()),
    spread: Math.max(...tops) - Math.min(...tops),
  };
}"""


@pytest.mark.parametrize("who", ["silver", "agent"])
@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_navbar_is_one_row_at_1280(page, sign_in, base_url, language, who):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, who)
    speak(page, language)
    page.locator("header").screenshot(path=f"{SHOTS}/navbar-{who}-{language}-1280.png")
    assert not has_horizontal_scroll(page)
    select = page.locator("#language-switch")
    assert select.evaluate("s => s.scrollWidth <= s.clientWidth && s.clientWidth >= 100")
    if who == "agent":
        return  # staff have two links more, which may wrap; they must still fit
    result = page.evaluate(ONE_ROW)
    assert result["wrapped"] == []
    assert result["spread"] < 12
