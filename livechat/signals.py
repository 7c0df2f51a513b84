from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from livechat.queue import OWN_CHATS, session_group, user_group
from livechat.services import chat_follow_sign_in


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


@receiver(user_logged_in)
def keep_the_chats_of_a_visitor_who_signs_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        chat_ids = request.session.get(OWN_CHATS, [])
        if chat_ids:
            chat_follow_sign_in(
                chat_ids=chat_ids, session_key=request.session.session_key, user=user
            )
