"""Inbound e-mail in the admin: what the support mailbox received and what became of it,
read-only (kept for an administrator; nothing here can post or resend)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.records import ReadOnlyAdmin
from tickets.inbound.models import InboundEmail


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "sender", "subject", "outcome", "ticket_link", "answered_at"]
    list_filter = ["outcome", "received_at"]
    list_select_related = ["ticket"]
    search_fields = ["sender", "subject", "message_id", "ticket__reference"]
    fields = [
        *("received_at", "sender", "subject", "message_id", "outcome", "reason"),
        *("ticket_link", "answered_at", "text", "attachments", "folder", "uidvalidity", "uid"),
    ]
    readonly_fields = fields

    @admin.display(description=_("ticket"), ordering="ticket__reference")
    def ticket_link(self, record):
        if record.ticket is None:
            return "-"
        url = reverse("admin:tickets_ticket_change", args=[record.ticket.pk])
        return format_html('<a href="{}">{}</a>', url, record.ticket.reference)
