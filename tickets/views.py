from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portal.access import is_agent, tech_issues_required
from portal.drafts import draft_for
from portal.limits import form_status, over_limit
from portal.memberdata.looks import staff_looked
from tickets.forms import ReplyForm, TicketForm
from tickets.models import Screenshot, Ticket
from tickets.services import ticket_member_reply, ticket_submit


def ticket_for(user, reference: str) -> Ticket:
    """Return the ticket to its member or to an agent; anyone else gets a 404, so that a
    reference never tells whether a ticket exists."""
    tickets = Ticket.objects.select_related("member", "assignee")
    if not is_agent(user):
        tickets = tickets.filter(member=user)
    return get_object_or_404(tickets, reference=reference)


@tech_issues_required
def ticket_list(request):
    tickets = Ticket.objects.filter(member=request.user).order_by("-last_activity", "-id")
    page = Paginator(tickets, settings.TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tickets/ticket_list.html", {"page": page})


@tech_issues_required
def ticket_new(request):
    if request.method == "POST":
        form = TicketForm(request.POST, request.FILES)
        if form.is_valid() and not over_limit(request, form, "ticket"):
            ticket = ticket_submit(member=request.user, **form.cleaned_data)
            messages.success(
                request, _("Thank you. Your technical issue %s is submitted.") % ticket.reference
            )
            return redirect(ticket)
    else:
        # The live chat hands over a long question as a draft in the session (?draft=key).
        draft = draft_for(request.session, "ticket", request.GET.get("draft"))
        form = TicketForm.prefilled(draft or request.GET)
    return render(request, "tickets/ticket_form.html", {"form": form}, status=form_status(form))


@tech_issues_required
def ticket_detail(request, reference):
    ticket = ticket_for(request.user, reference)
    if ticket.member_id != request.user.pk:
        return redirect("admin:tickets_ticket_change", ticket.pk)
    form = ReplyForm()
    if request.method == "POST" and not ticket.is_closed:
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid() and not over_limit(request, form, "reply"):
            ticket_member_reply(ticket=ticket, member=request.user, **form.cleaned_data)
            messages.success(request, _("Your reply is sent."))
            return redirect(ticket)
    thread = ticket.thread_for(request.user).select_related("author")
    context = {"ticket": ticket, "thread": thread.prefetch_related("screenshots"), "form": form}
    return render(request, "tickets/ticket_detail.html", context, status=form_status(form))


@require_GET
@tech_issues_required
@cache_control(private=True, max_age=3600)
def screenshot(request, pk, variant="image"):
    """Serve a screenshot (or its thumbnail) to whoever may read its message."""
    shots = Screenshot.objects.filter(pk=pk)
    reference = shots.values_list("message__ticket__reference", flat=True).first()
    ticket = ticket_for(request.user, reference or "")
    shot = get_object_or_404(shots.filter(message__in=ticket.thread_for(request.user)))
    subject = f"{ticket.reference} #{shot.pk}"
    staff_looked(request, kind=variant, subject=subject, member_id=ticket.member_id)
    suffix = "-thumbnail" if variant == "thumbnail" else ""
    extension = "jpg" if shot.content_type == "image/jpeg" else "png"
    response = FileResponse(
        getattr(shot, variant).open("rb"),
        content_type=shot.content_type,
        filename=f"{ticket.reference}-{shot.pk}{suffix}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
