"""The agents' ticket queue: the Django admin, built for work (the filters, search and
actions an agent uses all day).

Every change goes through tickets.services, as on the member's pages, and is logged (the
admin's history: who changed what, when) besides the events in the thread.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.access import agents
from portal.memberdata.looks import RecordsStaffViews
from tickets.forms import AgentPostForm
from tickets.models import Status, Ticket, TransitionError
from tickets.services import ticket_agent_post, ticket_assign, ticket_set_status


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


# The queue's columns, which the change page shows first too.
COLUMNS = ["reference", "ticket_title", "member_and_rank", "language", "status", "assignee"]


@admin.register(Ticket)
class TicketAdmin(RecordsStaffViews, admin.ModelAdmin):
    list_display = [*COLUMNS, "waiting_since"]
    list_display_links = ["reference", "ticket_title"]
    list_filter = ["status", "language", AssigneeFilter]
    list_select_related = ["member__profile", "assignee"]
    search_fields = [
        "reference",
        "summary",
        "member__username",
        "member__email",
        "member__profile__member_id",
    ]
    actions = ["assign_to_me", "mark_resolved", "close"]
    fields = [*COLUMNS, "created_at", "last_member_activity", "last_agent_activity"]
    readonly_fields = [name for name in fields if name != "assignee"]

    @admin.display(description=_("title"), ordering="summary")
    def ticket_title(self, ticket):
        return ticket.title

    @admin.display(description=_("member"), ordering="member__username")
    def member_and_rank(self, ticket):
        profile = ticket.member.profile
        return f"{ticket.member.username} ({profile.get_rank_display()}, {profile.member_id})"

    @admin.display(description=_("waiting since"), ordering="last_member_activity")
    def waiting_since(self, ticket):
        return ticket.waiting_since

    def has_add_permission(self, request):
        # Tickets are filed by members (or handed off from the chat), never in the admin.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = agents()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "assignee" in form.changed_data:
            ticket_assign(ticket=obj, assignee=obj.assignee, by=request.user)

    def get_urls(self):
        post = self.admin_site.admin_view(self.post_view)
        urls = [path("<path:object_id>/post/", post, name="tickets_ticket_post")]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), **self._thread(object_id)}
        )

    def post_view(self, request, object_id):
        """Add a public reply or an internal note, then maybe resolve or close."""
        ticket = self.get_object(request, object_id)
        if ticket is None:
            raise Http404
        if request.method != "POST" or not self.has_change_permission(request, ticket):
            raise PermissionDenied
        form = AgentPostForm(request.POST, request.FILES)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "ticket": ticket,
                "form": with_canned_replies(form, ticket),
            }
            return TemplateResponse(request, "admin/tickets/ticket/post.html", context)
        try:
            ticket_agent_post(ticket=ticket, agent=request.user, **form.cleaned_data)
        except TransitionError:
            refusal = gettext("A closed ticket takes no reply and keeps its status.")
            self.message_user(request, refusal, messages.ERROR)
        else:
            note = form.cleaned_data["internal"]
            self.log_change(request, ticket, "Added an internal note" if note else "Replied")
            self.message_user(request, gettext("Added to the thread."), messages.SUCCESS)
        return redirect("admin:tickets_ticket_change", ticket.pk)

    def _thread(self, object_id) -> dict:
        ticket = Ticket.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if ticket is None:
            return {}
        thread = ticket.messages.select_related("author").prefetch_related("screenshots")
        post_form = with_canned_replies(AgentPostForm(), ticket)
        return {"thread": thread, "post_form": post_form, "ticket": ticket}

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        for ticket in queryset:
            ticket_assign(ticket=ticket, assignee=request.user, by=request.user)
            self.log_change(request, ticket, f"Assigned to {request.user.username}")

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


def with_canned_replies(form: AgentPostForm, ticket: Ticket) -> AgentPostForm:
    """Give the form's message box the canned-reply picker, rendered for this ticket."""
    url = f"{reverse('replies:list')}?ticket={ticket.pk}"
    form.fields["body"].widget.attrs["data-canned-replies"] = url
    return form


# Reply by e-mail: the received messages, read-only (tickets/inbound/admin.py).
from tickets.inbound import admin as inbound_admin  # noqa: E402, F401
