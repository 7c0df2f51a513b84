import pytest


@pytest.fixture
def member(silver):
    silver.set_password("the-right-password-1")
    silver.save()
    return silver


def fail(client, username, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address
    )


def test_it_locks_out_a_username_from_one_address_after_repeated_failures(client, member):
    for _ in range(5):
        response = fail(client, "silver")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "Please try again in 15 minutes." in page
    right = client.post(
        "/accounts/login/",
        {"username": "silver", "password": "the-right-password-1"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert right.status_code == 429


def test_it_does_not_lock_out_other_members_or_other_addresses(client, member, diamond):
    for _ in range(5):
        fail(client, "silver")
    diamond.set_password("diamond-password-2")
    diamond.save()
    other_user = client.post(
        "/accounts/login/",
        {"username": "diamond", "password": "diamond-password-2"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert other_user.status_code == 302
    client.logout()
    other_address = client.post(
        "/accounts/login/",
        {"username": "silver", "password": "the-right-password-1"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert other_address.status_code == 302


LAST_ATTEMPT = "One attempt left: after one more failed sign-in"


def test_it_warns_before_the_last_attempt_only(client, member):
    pages = [fail(client, "silver").content.decode() for _ in range(4)]
    assert [LAST_ATTEMPT in page for page in pages] == [False, False, False, True]
    assert "paused for 15 minutes" in pages[3]
    assert 'href="/accounts/password_reset/"' in pages[3]
    assert fail(client, "silver").status_code == 429


def test_the_warning_counts_per_username_and_address(client, member):
    for _ in range(3):
        fail(client, "silver")
    assert LAST_ATTEMPT not in fail(client, "silver", address="10.0.0.9").content.decode()
    assert LAST_ATTEMPT in fail(client, "silver").content.decode()


def test_the_locked_page_offers_the_way_back_the_reset_and_the_chat(client, member):
    for _ in range(5):
        response = fail(client, "silver")
    page = response.content.decode()
    for link in ('href="/"', 'href="/accounts/login/"', 'href="/accounts/password_reset/"'):
        assert link in page
    assert 'href="/chat/"' in page
    assert "Tech Support Chat" in page


def test_the_locked_page_speaks_polish(client, member, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    for _ in range(5):
        response = fail(client, "silver")
    assert "Czat z" in response.content.decode()
