import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command, get_commands
from django.utils import timezone
from mailer.models import Message as OutgoingMail

from livechat.models import Chat
from livechat.services import chat_end
from portal.memberdata.models import RetentionPolicy
from portal.memberdata.retention import retention_purge
from portal.memberdata.tests.conftest import media_files
from tickets.models import Screenshot, Status
from tickets.services import ticket_set_status

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture
def closed_and_open(silver, diamond, agent, give_data):
    """silver's ticket is closed and chat ended now; diamond's ticket and chat stay open."""
    ticket, chat = give_data(silver, "sylwia")
    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    chat_end(chat=chat, by="agent", now=timezone.now())
    give_data(diamond, "diana")
    return ticket, Chat.objects.get(pk=chat.pk)


def keep_for(screenshots=None, transcripts=None):
    RetentionPolicy.objects.update_or_create(
        pk=1, defaults={"screenshot_days": screenshots, "transcript_days": transcripts}
    )


def test_it_keeps_everything_while_no_period_is_set(closed_and_open, settings):
    before = media_files(settings)
    purge = retention_purge(now=timezone.now() + 1000 * DAY)
    assert (purge.screenshots, purge.transcripts) == ([], [])
    assert media_files(settings) == before


def test_it_purges_only_what_is_older_than_the_period(
    closed_and_open, settings, django_capture_on_commit_callbacks
):
    ticket, chat = closed_and_open
    keep_for(screenshots=30, transcripts=7)
    assert retention_purge(now=timezone.now() + 6 * DAY).transcripts == []

    now = timezone.now() + 8 * DAY  # the clock, injected: transcripts due, screenshots not
    purge = retention_purge(now=now)
    assert purge.screenshots == []
    assert [line.split()[0] for line in purge.transcripts] == [str(chat.pk)]
    chat.refresh_from_db()
    assert (chat.messages.count(), chat.question, chat.rating) == (0, "", 4)
    assert Chat.objects.exclude(pk=chat.pk).get().messages.exists()  # diamond's, active

    files = media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        purge = retention_purge(now=timezone.now() + 31 * DAY)
    assert len(purge.screenshots) == 3
    assert purge.transcripts == []  # purged already
    assert not Screenshot.objects.filter(message__ticket=ticket).exists()
    assert Screenshot.objects.count() == 3  # diamond's, on an open ticket
    assert len(media_files(settings)) == len(files) - 6
    ticket.refresh_from_db()
    assert ticket.messages.filter(body="sylwia clicked").exists()  # only the files go


def test_the_dry_run_lists_and_deletes_nothing(closed_and_open, settings, capsys):
    ticket, chat = closed_and_open
    keep_for(screenshots=1, transcripts=1)
    Chat.objects.filter(pk=chat.pk).update(ended_at=timezone.now() - 2 * DAY)
    ticket.messages.filter(status=Status.CLOSED).update(created_at=timezone.now() - 2 * DAY)
    before = media_files(settings)
    call_command("purge_expired_data", "--dry-run")
    out = capsys.readouterr().out
    assert f"screenshot {ticket.reference} sylwia.png" in out
    assert f"transcript {chat.pk}" in out
    assert "3 screenshot(s), 1 transcript(s) and 0 given-up mail(s) would be deleted." in out
    assert media_files(settings) == before
    assert Chat.objects.get(pk=chat.pk).messages.exists()

    call_command("purge_expired_data")
    out = capsys.readouterr().out
    assert "3 screenshot(s), 1 transcript(s) and 0 given-up mail(s) deleted." in out
    assert not Chat.objects.get(pk=chat.pk).messages.exists()


def outbox_holds(*subjects):
    for subject in subjects:
        mail.send_mail(subject, "Sylwia wrote: ...", None, ["silver@example.com"])
    return {m.subject: m for m in OutgoingMail.objects.all()}


def test_mail_the_outbox_gave_up_goes_a_week_after_it_was_written(outbox, capsys):
    kept = outbox_holds("given up", "given up today", "still queued")
    for subject in ("given up", "given up today"):
        kept[subject].defer()
    old = timezone.now() - 8 * DAY
    OutgoingMail.objects.filter(pk__in=[kept["given up"].pk, kept["still queued"].pk]).update(
        when_added=old
    )
    call_command("purge_expired_data", "--dry-run")
    out = capsys.readouterr().out
    assert f"mail {kept['given up'].pk} written {old:%Y-%m-%d}" in out
    assert "silver@example.com" not in out
    assert "0 transcript(s) and 1 given-up mail(s) would be deleted." in out
    assert OutgoingMail.objects.count() == 3

    call_command("purge_expired_data")
    assert "1 given-up mail(s) deleted." in capsys.readouterr().out
    left = {m.subject for m in OutgoingMail.objects.all()}
    assert left == {"given up today", "still queued"}  # a day's retries, a sender behind


def test_a_resolved_ticket_keeps_its_screenshots(silver, agent, give_data):
    ticket, _ = give_data(silver, "sylwia")
    ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)
    keep_for(screenshots=1)
    assert retention_purge(now=timezone.now() + 10 * DAY).screenshots == []


def test_administrators_set_the_period_in_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.com", "x")
    client.force_login(admin)
    page = client.get("/admin/memberdata/retentionpolicy/")
    assert page.status_code == 302
    response = client.post(page["Location"], {"screenshot_days": "90", "transcript_days": ""})
    assert response.status_code == 302
    policy = RetentionPolicy.current()
    assert (policy.screenshot_days, policy.transcript_days) == (90, None)


def test_agents_do_not_see_the_period(client, agent):
    client.force_login(agent)
    assert client.get("/admin/memberdata/retentionpolicy/1/change/").status_code in (302, 403)


def test_the_systemd_timer_runs_the_purge_with_write_access_to_the_media():
    units = Path(__file__).resolve().parents[3] / "deploy" / "systemd"
    service = (units / "helpdesk-retention.service").read_text()
    assert re.search(r"^ExecStart=.* manage\.py (\S+)$", service, re.M)[1] in get_commands()
    assert "ReadWritePaths=/srv/helpdesk/media" in service
    timer = (units / "helpdesk-retention.timer").read_text()
    assert re.search(r"^OnCalendar=\S", timer, re.M)
    assert "Persistent=true" in timer
