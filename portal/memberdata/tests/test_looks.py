import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.memberdata.models import StaffView
from tickets.models import Screenshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(silver, give_data):
    return give_data(silver, "sylwia")


def queries(client, url) -> int:
    """How many queries the page costs."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def pages(ticket, chat) -> dict:
    shot = Screenshot.objects.filter(message__ticket=ticket).first()
    return {
        "ticket": (f"/admin/tickets/ticket/{ticket.pk}/change/", ticket.reference),
        "image": (shot.get_absolute_url(), f"{ticket.reference} #{shot.pk}"),
        "thumbnail": (shot.get_thumbnail_url(), f"{ticket.reference} #{shot.pk}"),
        "chat": (f"/admin/livechat/chat/{chat.pk}/change/", str(chat.pk)),
    }


@pytest.mark.parametrize("kind", ["ticket", "image", "thumbnail", "chat"])
def test_it_records_each_staff_view_for_one_query_more(
    client, agent, silver, data, kind, monkeypatch, django_assert_num_queries
):
    url, subject = pages(*data)[kind]
    client.force_login(agent)
    client.get(url)  # warm: the session, the permission caches
    with monkeypatch.context() as patched:
        patched.setattr(StaffView.objects, "create", lambda **fields: None)  # not recorded
        unrecorded = queries(client, url)
    StaffView.objects.all().delete()
    with django_assert_num_queries(unrecorded + 1):
        client.get(url)
    look = StaffView.objects.get()
    assert (look.viewer, look.viewer_name, look.member, look.kind) == (agent, "agent", silver, kind)
    assert look.subject == subject
    assert look.path == url


@pytest.mark.parametrize("kind", ["image", "thumbnail"])
def test_a_member_looking_at_their_own_files_leaves_nothing(client, silver, data, kind):
    client.force_login(silver)
    url, _ = pages(*data)[kind]
    assert client.get(url).status_code == 200
    assert client.get(data[0].get_absolute_url()).status_code == 200
    assert not StaffView.objects.exists()


def test_a_change_that_redirects_records_nothing_more(client, agent, data):
    ticket, _ = data
    client.force_login(agent)
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    response = client.post(url, {"assignee": agent.pk})
    assert response.status_code == 302
    assert not StaffView.objects.exists()


def test_administrators_read_the_record_and_nobody_edits_it(client, agent, data):
    ticket, _ = data
    client.force_login(agent)
    client.get(f"/admin/tickets/ticket/{ticket.pk}/change/")
    assert client.get("/admin/memberdata/staffview/").status_code == 403  # agents: no
    admin = User.objects.create_superuser("root", "root@example.com", "portal-test")
    client.force_login(admin)
    listing = client.get("/admin/memberdata/staffview/")
    assert listing.status_code == 200
    assert ticket.reference in listing.content.decode()
    look = StaffView.objects.get(viewer=agent)
    page = client.get(f"/admin/memberdata/staffview/{look.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    client.post(f"/admin/memberdata/staffview/{look.pk}/delete/", {"post": "yes"})
    assert StaffView.objects.filter(pk=look.pk).exists()
