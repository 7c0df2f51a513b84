import uuid

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from livechat import events
from livechat.models import Chat, Message
from portal.memberdata.looks import RecordsStaffViews
from portal.records import ReadOnlyAdmin


@admin.register(Chat)
class ChatAdmin(RecordsStaffViews, ReadOnlyAdmin):
    list_display = ("created", "name", "email", "member_id", "state", "agent", "message_count")
    list_filter = (
        "state",
        ("agent", admin.RelatedOnlyFieldListFilter),
        ("created", admin.DateFieldListFilter),
    )
    list_select_related = ("agent", "ticket")
    search_fields = ("name", "email", "member_id", "question", "messages__body")
    date_hierarchy = "created"
    fields = (
        ("name", "email", "member_id"),
        ("user", "language"),
        ("state", "agent"),
        ("created", "accepted_at", "ended_at"),
        ("ticket_link", "transcript_sent_at"),
    )
    readonly_fields = ("name", "email", "member_id", "user", "language", "ticket_link")
    readonly_fields += ("state", "agent", "created", "accepted_at", "ended_at")
    readonly_fields += ("transcript_sent_at",)
    # The messages read as a conversation (who, when, what) below the facts.
    change_form_template = "admin/livechat/chat/change_form.html"

    @admin.display(description=_("technical issue"))
    def ticket_link(self, chat):
        if chat.ticket_id is None:
            return "-"
        url = reverse("admin:tickets_ticket_change", args=[chat.ticket_id])
        return format_html('<a href="{}">{}</a>', url, chat.ticket)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        messages = list(Message.objects.filter(chat_id=object_id)) if is_uuid(object_id) else []
        for message in messages:
            message.text = message_text(message)
        context = {**(extra_context or {}), "conversation": messages}
        return super().change_view(request, object_id, form_url, context)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_count=Count("messages"))

    @admin.display(description=_("messages"), ordering="message_count")
    def message_count(self, chat):
        return chat.message_count


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def message_text(message: Message) -> str:
    """What a line of the transcript says, in the reading agent's language (system events
    are stored as what happened, livechat/events.py)."""
    return events.render(message, get_language())
