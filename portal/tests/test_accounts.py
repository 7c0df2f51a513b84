import re

import pytest
from django.core import mail


@pytest.fixture
def member_with_password(silver):
    silver.set_password("a-long-secret-42")
    silver.save()
    return silver


def test_it_signs_in_with_username_and_password(client, member_with_password):
    response = client.post(
        "/accounts/login/", {"username": "silver", "password": "a-long-secret-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == member_with_password


def test_it_keeps_the_username_and_explains_a_failed_sign_in(client, member_with_password):
    response = client.post("/accounts/login/", {"username": "silver", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="silver"' in page
    assert "Please enter a correct username and password" in page


def test_it_signs_out_only_by_post(client, silver):
    client.force_login(silver)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_it_mails_a_working_password_reset_link(client, member_with_password):
    response = client.post("/accounts/password_reset/", {"email": "silver@example.com"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["silver@example.com"]
    assert message.subject == "Reset your password for the help portal"
    assert "Hello silver" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another-long-secret-7", "new_password2": "another-long-secret-7"},
    )
    assert done.status_code == 302
    member_with_password.refresh_from_db()
    assert member_with_password.check_password("another-long-secret-7")


def test_it_does_not_reveal_whether_an_account_exists(client, silver):
    known = client.post("/accounts/password_reset/", {"email": "silver@example.com"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_it_changes_a_password(client, member_with_password):
    client.force_login(member_with_password)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "a-long-secret-42",
            "new_password1": "brand-new-secret-9",
            "new_password2": "brand-new-secret-9",
        },
    )
    assert response.status_code == 302
    member_with_password.refresh_from_db()
    assert member_with_password.check_password("brand-new-secret-9")


def test_the_sign_in_page_offers_the_chat_in_a_new_tab(client):
    page = client.get("/accounts/login/").content.decode()
    [link] = re.findall(r"Trouble signing in\? (<a [^>]*>)", page)
    assert 'href="/chat/"' in link
    assert 'target="_blank"' in link
    assert 'rel="noopener"' in link
