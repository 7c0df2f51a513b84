from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import Group, User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from livechat.groups import OWN_CHATS, session_group, user_group
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
def recheck_the_sockets_of_a_changed_user(sender, instance, update_fields=None, **kwargs):
    """A socket is authorised at connect; when its user's account changes (deactivated, no
    longer staff), each of its sockets checks again, on every process."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every sign-in saves this; it changes no one's access
    _recheck_sockets_after_commit([instance.pk])


@receiver(m2m_changed, sender=User.groups.through)
def recheck_the_sockets_of_users_leaving_a_group(sender, instance, action, reverse, **kwargs):
    """An agent taken out of the agents' group loses the console at once."""
    if action == "post_remove":
        users = kwargs["pk_set"] if reverse else [instance.pk]
    elif action == "pre_clear":  # afterwards no one knows who was in the group
        users = list(instance.user_set.values_list("pk", flat=True)) if reverse else [instance.pk]
    else:
        return
    _recheck_sockets_after_commit(users)


@receiver(pre_delete, sender=Group)
def recheck_the_sockets_of_a_deleted_groups_users(sender, instance, **kwargs):
    # Deleting a group removes its members without an m2m signal.
    _recheck_sockets_after_commit(list(instance.user_set.values_list("pk", flat=True)))


def _recheck_sockets_after_commit(user_ids) -> None:
    # After the commit, so that the sockets' check reads the change.
    def send():
        layer = get_channel_layer()
        for user_id in user_ids:
            async_to_sync(layer.group_send)(user_group(user_id), {"type": "access.changed"})

    transaction.on_commit(send, robust=True)


@receiver(user_logged_in)
def keep_the_chats_of_a_visitor_who_signs_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        chat_ids = request.session.get(OWN_CHATS, [])
        if chat_ids:
            chat_follow_sign_in(
                chat_ids=chat_ids, session_key=request.session.session_key, user=user
            )
