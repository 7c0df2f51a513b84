"""A page reads its session from the cache and its user with the member profile in one
query (portal/sessions.py, portal/backends.py)."""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.backends import user_with_profile
from portal.models import Profile, Rank
from portal.sessions import SessionStore


def tables_read(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries]


def test_a_page_reads_the_session_from_the_cache(client, silver):
    client.force_login(silver)
    client.get("/tech-issues/")
    sql = tables_read(client, "/tech-issues/")
    assert not [query for query in sql if "django_session" in query]
    # the user and the profile together, once
    assert len([query for query in sql if '"auth_user"' in query]) == 1
    assert not [query for query in sql if query.startswith('SELECT "portal_profile"')]


def test_a_session_changed_elsewhere_is_read_anew_after_sign_out(client, silver):
    client.force_login(silver)
    client.get("/tech-issues/")
    client.post("/accounts/logout/")
    assert client.get("/tech-issues/").status_code == 302


def test_the_user_is_read_as_the_orm_reads_it(silver):
    silver.last_login = timezone.now()  # a date: SQLite answers it as text, converted
    silver.save()
    silver.profile.member_id, silver.profile.preferred_language = "M-7", "pl"
    silver.profile.save()
    read = user_with_profile(str(silver.pk))
    expected = User.objects.select_related("profile").get(pk=silver.pk)
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    for field in Profile._meta.concrete_fields:
        assert getattr(read.profile, field.attname) == getattr(expected.profile, field.attname)
    assert read.profile.rank == Rank.SILVER
    assert read.profile.user is read
    assert read.last_login is not None
    assert read.last_login.tzinfo is not None
    read.first_name = "Saved"
    read.save()  # an instance like any other: saved as an update of its row
    assert User.objects.get(pk=silver.pk).first_name == "Saved"


def test_a_user_without_a_profile_has_none_and_no_query(silver, django_assert_num_queries):
    Profile.objects.filter(user=silver).delete()
    read = user_with_profile(silver.pk)
    with django_assert_num_queries(0):
        assert getattr(read, "profile", None) is None


def test_no_user_for_an_unknown_or_malformed_id(db):
    assert user_with_profile("123456") is None
    assert user_with_profile("not-a-number") is None


def test_a_deactivated_member_is_signed_out_at_the_next_page(client, silver):
    client.force_login(silver)
    assert client.get("/tech-issues/").status_code == 200
    User.objects.filter(pk=silver.pk).update(is_active=False)
    assert client.get("/tech-issues/").status_code == 302


def test_a_session_signed_in_before_the_member_backend_stays_signed_in(client, silver):
    client.force_login(silver, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/tech-issues/").status_code == 200


def sign_in(client, password):
    form = {"username": "silver", "password": password}
    return client.post("/accounts/login/", form).status_code == 302


def test_signing_in_names_the_member_backend(client, silver):
    assert sign_in(client, "portal-test")
    assert client.session["_auth_user_backend"] == "portal.backends.MemberBackend"


def test_a_wrong_password_is_checked_once(client, silver, monkeypatch):
    checks = []
    check = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda user, raw: checks.append(raw) or check(user, raw)
    )
    assert not sign_in(client, "wrong")
    assert checks == ["wrong"]
    assert sign_in(client, "portal-test")


class Unreachable:
    """A cache whose server does not answer."""

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    set = delete = get


def cut_off_session(member) -> SessionStore:
    """A stored session of `member`, opened again behind a cache that cannot be reached."""
    store = SessionStore()
    store["member"] = member.pk
    store.create()
    cut = SessionStore(store.session_key)
    cut._cache = Unreachable()
    return cut


def test_a_cache_that_cannot_be_reached_is_read_around(silver):
    cut = cut_off_session(silver)
    assert cut["member"] == silver.pk  # from the database


def test_a_sign_out_the_cache_cannot_hear_fails_and_keeps_the_session_whole(silver):
    cut = cut_off_session(silver)
    with pytest.raises(ConnectionError):
        cut.flush()
    # Not half signed out: the database still has it, as the cache does.
    assert Session.objects.filter(session_key=cut.session_key).exists()
    assert SessionStore(cut.session_key)["member"] == silver.pk
