from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from livechat.queue import session_group


@receiver(user_logged_out)
def close_sockets_of_the_session(sender, request, **kwargs):
    """A socket stays authenticated after its user signs out (channels#1324): close it."""
    session_key = request.session.session_key if request is not None else None
    if session_key:
        async_to_sync(get_channel_layer().group_send)(
            session_group(session_key), {"type": "session.ended"}
        )
