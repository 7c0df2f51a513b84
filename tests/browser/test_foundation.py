import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll


def test_silver_sees_both_tiles_and_the_chat_opens_in_a_new_tab(page, sign_in, base_url):
    sign_in(page, "silver")
    main = page.locator("main")
    expect(main.get_by_role("link", name="Technical Issues")).to_be_visible()
    with page.context.expect_page() as new_tab:
        main.get_by_role("link", name="Tech Support Chat").click()
    chat = new_tab.value
    chat.wait_for_load_state()
    assert chat.url == f"{base_url}/chat/"
    assert page.url == f"{base_url}/"


@pytest.mark.usefixtures("members_back_in_english")
def test_switching_to_polski_translates_the_portal(page, sign_in):
    sign_in(page, "diamond")
    page.get_by_label("Language").select_option("pl")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("main").get_by_role("link", name="Problemy techniczne")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "pl")


def test_premier_reads_the_gate_page(page, sign_in, base_url):
    sign_in(page, "premier")
    page.goto(f"{base_url}/tech-issues/")
    main = page.locator("main")
    expect(main).to_contain_text("rank Silver or higher")
    expect(main).to_contain_text("Your rank is Premier")
    expect(main.get_by_role("link", name="Open Tech Support Chat")).to_be_visible()


def test_pages_pass_axe_and_fit_a_phone(page, sign_in, base_url):
    page.set_viewport_size({"width": 375, "height": 740})
    pages = {}
    page.goto(f"{base_url}/accounts/login/")
    pages["login"] = (axe_violations(page), has_horizontal_scroll(page))
    sign_in(page, "premier")
    pages["home"] = (axe_violations(page), has_horizontal_scroll(page))
    page.goto(f"{base_url}/tech-issues/")
    pages["gate"] = (axe_violations(page), has_horizontal_scroll(page))
    assert pages == {name: ([], False) for name in pages}
