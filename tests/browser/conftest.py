"""Browser journeys: Playwright drives Debian's Chromium against a daphne of our own.

The portal runs as `make run` runs it (embedded profile, demo data from seed_demo) in its own
var/ directory, one per pytest-xdist worker. Tests act as a person would: they sign in as the
demo accounts and make whatever else they need through the pages.
"""

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from portal.demo import DEMO_PASSWORD
from tests.servers import Daphne, manage, portal_env, shell

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
AXE = HERE.parent / "assets" / "axe.min.js"
# Seconds a journey may take, the portal's start included; the slowest take 15. Some of
# Playwright's waits have no limit of their own (evaluate, a download's save_as).
JOURNEY_TIMEOUT = 180


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.timeout(JOURNEY_TIMEOUT))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed journey's report ends with what the portal logged last."""
    report = yield
    portal = item.funcargs.get("portal")
    if report.failed and portal is not None and portal.log.exists():
        lines = portal.log.read_text(errors="replace").splitlines()
        report.sections.append(("the portal's log, last lines", "\n".join(lines[-40:])))
    return report


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    # The journeys file dozens of tickets as the same demo members, and start dozens of
    # chats from one address, within minutes: the limits (10 tickets an hour, 30 chats an
    # hour from an address) are tests/test_rate_limits.py's to prove, not theirs.
    env = portal_env(
        tmp_path_factory.mktemp("portal"),
        DJANGO_RATE_LIMIT_TICKETS_PER_MEMBER="1000/h",
        DJANGO_RATE_LIMIT_REPLIES_PER_MEMBER="1000/m",
        DJANGO_RATE_LIMIT_CHATS_PER_ADDRESS="1000/h",
        DJANGO_RATE_LIMIT_CHATS_PER_SESSION="1000/h",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    daphne = Daphne(env).start()
    yield daphne
    daphne.stop()


@pytest.fixture
def members_back_in_english(portal):
    """Switching the language sticks to a member's profile; other journeys expect English."""
    yield
    shell(
        portal.env,
        "from portal.models import Profile; Profile.objects.update(preferred_language='en')",
    )


@pytest.fixture(scope="session")
def base_url(portal):
    return portal.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # No skip when Chromium is missing: launching fails, and so does the test.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as an inline script, which the portal's CSP rightly forbids.
    return {**browser_context_args, "bypass_csp": True, "locale": "en-GB"}


@pytest.fixture
def sign_in(base_url):
    def sign_in_as(page, username, password=DEMO_PASSWORD):
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.locator("main").get_by_role("button", name="Sign in").click()
        try:
            page.wait_for_url(f"{base_url}/")
        except PlaywrightTimeoutError:  # say what the page said instead
            said = page.locator("body").inner_text()[:600]
            raise AssertionError(f"signing in as {username} stayed on {page.url}: {said}") from None

    return sign_in_as


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; return its violations (id, impact, nodes' targets)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
        for v in result
    ]


def has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
