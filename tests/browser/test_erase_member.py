"""An administrator erases a member on request: the users' admin action, its confirmation
page, then the member's account de-identified; and the agent's look at a ticket is in the
record of who looked."""

import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.servers import shell

SHOTS = Path("/tmp/shots/ops-data")


def test_an_administrator_erases_a_member(page, sign_in, base_url, portal):
    name = f"leaver{uuid.uuid4().hex[:6]}"
    pk = shell(
        portal.env,
        "from django.contrib.auth.models import User; "
        f"print(User.objects.create_user('{name}', '{name}@example.com', 'x').pk)",
    ).strip()
    sign_in(page, "agent")  # an agent opens a member's ticket
    page.goto(f"{base_url}/admin/tickets/ticket/")
    reference = page.locator("#result_list tbody th a").first.inner_text()
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("main")).to_contain_text(reference)

    page.context.clear_cookies()
    sign_in(page, "admin")
    page.goto(f"{base_url}/admin/auth/user/?q={name}")
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.get_by_role("combobox", name="Action").select_option("erase_members")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("main")).to_contain_text(f"{name} <{name}@example.com>")
    page.screenshot(path=SHOTS / "erase-confirmation-1280.png", full_page=True)
    assert [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []
    page.set_viewport_size({"width": 375, "height": 800})  # the table of counts fits a phone
    page.screenshot(path=SHOTS / "erase-confirmation-375.png", full_page=True)
    assert not has_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Yes, erase them").click()
    expect(page.locator(".messagelist")).to_contain_text("Erased 1 member.")
    page.goto(f"{base_url}/admin/auth/user/?q=erased-{pk}")
    expect(page.locator("#result_list")).to_contain_text(f"erased-{pk}")
    assert name not in page.locator("#result_list").inner_text()

    page.goto(f"{base_url}/admin/memberdata/retentionpolicy/")
    page.get_by_label("keep closed tickets' screenshots for (days)").fill("365")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(f"{base_url}/admin/memberdata/retentionpolicy/")
    page.screenshot(path=SHOTS / "retention-1280.png", full_page=True)
    expect(page.get_by_label("keep closed tickets' screenshots for (days)")).to_have_value("365")

    page.goto(f"{base_url}/admin/memberdata/staffview/?q={reference}")
    expect(page.locator("#result_list tbody tr").first).to_contain_text("agent")
    page.screenshot(path=SHOTS / "staff-views-1280.png", full_page=True)
