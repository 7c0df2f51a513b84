"""The agents' ticket queue: the Django admin, built for work (the filters, search and
actions an agent uses all day).

Every change goes through tickets.services, as on the member's pages, and is logged (the
admin's history: who changed what, when) besides the events in the thread.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from livechat.models import Chat
from portal.access import agents
from portal.memberdata.looks import RecordsStaffViews
from tickets import search, sla
from tickets.forms import AgentTicketForm
from tickets.models import (
    ATTENTION_ORDERING,
    ServiceLevel,
    Status,
    Ticket,
    TransitionError,
    agent_label,
)
from tickets.services import (
    UNCHANGED,
    ticket_agent_update,
    ticket_assign,
    ticket_set_status,
)


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        people = [(str(agent.pk), agent.get_full_name() or agent.username) for agent in agents()]
        return [("me", _("Assigned to me")), ("none", _("Unassigned")), *people]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=value)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """The statuses in the agents' words."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(status.value, agent_label(status)) for status in Status]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class DueFilter(admin.SimpleListFilter):
    """The service levels' view of the queue: what is late, what soon will be."""

    title = _("service level")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("soon", _("Due soon"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "overdue":
            return queryset.filter(due_at__lt=now)
        if self.value() == "soon":
            return queryset.filter(due_at__gte=now, due_at__lt=now + sla.DUE_SOON)
        return queryset


class QueueActionForm(ActionForm):
    """The actions bar, with the agent that "Assign to …" gives the tickets to."""

    assignee = forms.ModelChoiceField(
        queryset=agents(), required=False, label=_("Agent"), empty_label=_("(choose)")
    )


# The queue's columns, which the change page shows first too.
COLUMNS = ["reference", "ticket_title", "member_and_rank", "language", "status_label", "assignee"]
WORK_FIELDS = ["assignee", "new_status", "body", "internal", "screenshots"]


@admin.register(Ticket)
class TicketAdmin(RecordsStaffViews, admin.ModelAdmin):
    form = AgentTicketForm
    # The title starts with the language ("Polski - ..."): no column of its own, so that
    # the queue fits 1280 px beside the admin's sidebars.
    list_display = [name for name in COLUMNS if name != "language"] + ["waiting", "due"]
    list_display_links = ["reference", "ticket_title"]
    list_filter = [StatusFilter, DueFilter, "language", AssigneeFilter]
    list_select_related = ["member__profile", "assignee"]
    search_fields = search.FIELDS  # and message bodies: get_search_results
    actions = ["assign_to_me", "assign_to", "mark_resolved", "close"]
    action_form = QueueActionForm
    readonly_fields = [*COLUMNS[:-1], "created_at", "last_member_activity", "last_agent_activity"]
    readonly_fields += ["transcripts"]
    fieldsets = [
        (None, {"fields": readonly_fields}),
        (_("Work on it"), {"fields": WORK_FIELDS, "classes": ["ticket-work"]}),
    ]

    @admin.display(description=_("title"), ordering="summary")
    def ticket_title(self, ticket):
        return ticket.title

    @admin.display(description=_("member"), ordering="member__username")
    def member_and_rank(self, ticket):
        profile = ticket.member.profile
        return f"{ticket.member.username} ({profile.get_rank_display()}, {profile.member_id})"

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, ticket):
        return agent_label(ticket.status)

    @admin.display(description=_("from the chat"))
    def transcripts(self, ticket):
        """Links to the chats this ticket was made from (livechat's Chat.ticket)."""
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:livechat_chat_change", args=[chat.pk]),
                gettext("Chat transcript of %(when)s")
                % {"when": date_format(localtime(chat.created), "DATETIME_FORMAT")},
            )
            for chat in Chat.objects.filter(ticket=ticket)
        ]
        return format_html_join(mark_safe("<br>"), "{}", ((link,) for link in links)) or "-"

    @admin.display(description=_("due"), ordering="due_at")
    def due(self, ticket):
        if ticket.due_at is None:
            return "-"
        late = ticket.due_at < timezone.now()
        return format_html(
            '<span class="sla-badge sla-{}">{}</span>',
            "overdue" if late else "due",
            sla.badge(ticket.due_at),
        )

    @admin.display(description=_("waiting since"), ordering="last_member_activity")
    def waiting_since(self, ticket):
        return ticket.waiting_since

    @admin.display(description=_("waiting"), ordering="last_member_activity")
    def waiting(self, ticket):
        """How long the member has waited on us, short ("3 h"), the moment on hover."""
        since = ticket.waiting_since
        if since is None:
            return "-"
        moment = date_format(localtime(since), "DATETIME_FORMAT")
        return format_html(
            '<span title="{}">{}</span>', moment, sla.short_span(timezone.now() - since)
        )

    def get_queryset(self, request):
        return super().get_queryset(request).attention_first()

    def get_search_results(self, request, queryset, search_term):
        return search.ticket_search(queryset, search_term), False

    def get_ordering(self, request):
        return ATTENTION_ORDERING  # unless a column is sorted

    def has_add_permission(self, request):
        # Tickets are filed by members (or handed off from the chat), never in the admin.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = agents()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {**(extra_context or {}), **self._thread(object_id)}
        context["show_save_and_continue"] = False
        return super().change_view(request, object_id, form_url, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            with_canned_replies(context["adminform"].form, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """Everything the form asked for, through the one service, or nothing."""
        data = form.cleaned_data
        assignee = obj.assignee if "assignee" in form.changed_data else UNCHANGED
        try:
            request.ticket_done = ticket_agent_update(
                ticket=obj,
                agent=request.user,
                assignee=assignee,
                status=data.get("new_status"),
                body=data.get("body", ""),
                internal=data.get("internal", False),
                screenshots=data.get("screenshots", []),
            )
        except TransitionError as refusal:
            request.ticket_done, request.ticket_refused = [], str(refusal)

    def construct_change_message(self, request, form, formsets, add=False):
        return "; ".join(getattr(request, "ticket_done", []))

    def log_change(self, request, obj, message):
        if message:  # a refused or empty save changed nothing to log
            super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if refused := getattr(request, "ticket_refused", None):
            self.message_user(request, refused, messages.ERROR)
        elif request.ticket_done:
            self.message_user(request, gettext("Saved."), messages.SUCCESS)
        else:
            self.message_user(request, gettext("Nothing to save."), messages.INFO)
        return HttpResponseRedirect(request.path)

    def _thread(self, object_id) -> dict:
        ticket = Ticket.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if ticket is None:
            return {}
        thread = list(ticket.messages.select_related("author").prefetch_related("screenshots"))
        for message in thread:  # events read in the agents' words ("Waiting on member")
            message.status_display = message.status and agent_label(message.status)
        return {"thread": thread, "ticket": ticket}

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        for ticket in queryset:
            ticket_assign(ticket=ticket, assignee=request.user, by=request.user)
            self.log_change(request, ticket, f"Assigned to {request.user.username}")

    @admin.action(description=_("Assign to …"), permissions=["change"])
    def assign_to(self, request, queryset):
        form = QueueActionForm(request.POST)  # its action's choices are the changelist's:
        form.full_clean()  # only the assignee is read here, valid or not the rest
        assignee = form.cleaned_data.get("assignee")
        if assignee is None:
            refusal = gettext("Choose the agent to assign the tickets to, next to the action.")
            self.message_user(request, refusal, messages.ERROR)
            return
        for ticket in queryset:
            ticket_assign(ticket=ticket, assignee=assignee, by=request.user)
            self.log_change(request, ticket, f"Assigned to {assignee.username}")

    @admin.action(description=_("Mark resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        self._set_status(request, queryset, Status.RESOLVED)

    @admin.action(description=_("Close"), permissions=["change"])
    def close(self, request, queryset):
        self._set_status(request, queryset, Status.CLOSED)

    def _set_status(self, request, queryset, status: Status) -> None:
        skipped = []
        for ticket in queryset:
            try:
                ticket_set_status(ticket=ticket, status=status, by=request.user)
            except TransitionError:
                skipped.append(ticket.reference)
            else:
                self.log_change(request, ticket, f"Status set to {status.label}")
        if skipped:
            message = gettext("Left as they were (closed): %s") % ", ".join(skipped)
            self.message_user(request, message, messages.WARNING)


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    """The targets, set by an administrator; open tickets follow a change at once."""

    list_display = ["__str__", "first_response_minutes", "resolution_minutes", "business_hours"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sla.refresh_open_tickets(obj.language)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        sla.refresh_open_tickets(obj.language)

    def delete_queryset(self, request, queryset):
        languages = list(queryset.values_list("language", flat=True))
        super().delete_queryset(request, queryset)
        for language in languages:
            sla.refresh_open_tickets(language)


def with_canned_replies(form: AgentTicketForm, ticket: Ticket) -> AgentTicketForm:
    """Give the form's message box the canned-reply picker, rendered for this ticket."""
    url = f"{reverse('replies:list')}?ticket={ticket.pk}"
    form.fields["body"].widget.attrs["data-canned-replies"] = url
    return form


# Reply by e-mail: the received messages, read-only (tickets/inbound/admin.py).
from tickets.inbound import admin as inbound_admin  # noqa: E402, F401
