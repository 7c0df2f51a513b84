from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from livechat.models import Chat, Message
from portal.memberdata.looks import RecordsStaffViews


class ReadOnly:
    """Transcripts are a record: nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(ReadOnly, admin.TabularInline):
    model = Message
    fields = ("seq", "sent_at", "author", "name", "body")
    readonly_fields = fields
    extra = 0


@admin.register(Chat)
class ChatAdmin(RecordsStaffViews, ReadOnly, admin.ModelAdmin):
    list_display = ("created", "name", "email", "member_id", "state", "agent", "message_count")
    list_filter = (
        "state",
        ("agent", admin.RelatedOnlyFieldListFilter),
        ("created", admin.DateFieldListFilter),
    )
    list_select_related = ("agent",)
    search_fields = ("name", "email", "member_id", "question", "messages__body")
    date_hierarchy = "created"
    fields = (
        ("name", "email", "member_id"),
        ("user", "language"),
        "question",
        ("state", "agent"),
        ("created", "accepted_at", "ended_at"),
    )
    readonly_fields = ("name", "email", "member_id", "user", "language", "question")
    readonly_fields += ("state", "agent", "created", "accepted_at", "ended_at")
    inlines = [MessageInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(message_count=Count("messages"))

    @admin.display(description=_("messages"), ordering="message_count")
    def message_count(self, chat):
        return chat.message_count
