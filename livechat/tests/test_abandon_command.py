from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from livechat.models import Chat
from livechat.tests.helpers import open_chat

pytestmark = pytest.mark.django_db


def test_it_abandons_only_chats_whose_member_left_too_long_ago(settings, capsys):
    now = timezone.now()
    gone = open_chat("Gone", session_key="s-gone", now=now - timedelta(minutes=5))
    here = open_chat("Here", session_key="s-here", now=now - timedelta(seconds=30))
    call_command("abandon_stale_chats")
    gone.refresh_from_db()
    here.refresh_from_db()
    assert gone.state == Chat.State.ABANDONED
    assert here.state == Chat.State.WAITING
    assert "1 chat(s) abandoned." in capsys.readouterr().out
