"""The reports page as a support lead reads it: charts drawn by the vendored Chart.js under
the strict CSP, each with its table, in English and in Polish at 1280 px (and no sideways
scroll of the page at 375 px); axe-core on the page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll

SHOTS = "/tmp/shots/agents-admin"
HEADINGS = {
    "en": ("Reports", "Technical issues per day"),
    "pl": ("Raporty", "Problemy techniczne dziennie"),
}


@pytest.fixture
def strict_csp_context(browser, base_url):
    """A context that keeps the portal's CSP (the default one bypasses it for axe)."""
    context = browser.new_context(locale="en-GB", base_url=base_url)
    yield context
    context.close()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_reports_page_draws_its_charts_with_tables(strict_csp_context, base_url, language):
    page = strict_csp_context.new_page()
    errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and errors.append(f"{message.text} {message.location.get('url')}")
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill("agent")
    page.get_by_label("Password").fill("portal-demo")
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")
    strict_csp_context.add_cookies(
        [{"name": "django_language", "value": language, "url": base_url}]
    )
    page.goto(f"{base_url}/reports/")
    title, first_figure = HEADINGS[language]
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name=first_figure)).to_be_visible()
    for name in ("tickets_daily", "chats_daily", "tickets_by"):
        expect(page.locator(f"#chart-{name}")).to_have_attribute("data-drawn", "true")
    assert page.locator("table").count() == 4
    assert page.locator("a[download]").count() == 4
    page.screenshot(path=f"{SHOTS}/reports-{language}-1280.png", full_page=True)
    # Nothing refused by the CSP, no script error (the browser's own favicon.ico aside).
    assert [error for error in errors if "/favicon.ico" not in error] == []

    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=f"{SHOTS}/reports-{language}-375.png", full_page=False)
    assert not has_horizontal_scroll(page)
    # axe-core goes in as an inline script: only after the charts are checked under the CSP.
    axe_page = strict_csp_context.browser.new_context(bypass_csp=True, base_url=base_url)
    axe_page.add_cookies(strict_csp_context.cookies())
    checked = axe_page.new_page()
    checked.goto(f"{base_url}/reports/")
    assert axe_violations(checked) == []
    axe_page.close()
