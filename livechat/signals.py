from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from livechat.queue import session_group, user_group


@receiver(user_logged_out)
def close_sockets_of_the_session(sender, request, **kwargs):
    """A socket stays authenticated after its user signs out (channels#1324): close it."""
    session_key = request.session.session_key if request is not None else None
    if session_key:
        async_to_sync(get_channel_layer().group_send)(
            session_group(session_key), {"type": "session.ended"}
        )


@receiver(post_save, sender=User)
def close_sockets_of_a_deactivated_user(sender, instance, **kwargs):
    """A deactivated account is refused at connect (its session no longer authenticates);
    close the sockets it still has open, on every process (the channel layer carries it)."""
    if not instance.is_active:
        async_to_sync(get_channel_layer().group_send)(
            user_group(instance.pk), {"type": "session.ended"}
        )
