from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from portal.access import is_agent, tech_issues_required
from portal.drafts import draft_for, keeps_signed_out_posts
from portal.kept import render_kept
from portal.limits import form_status, over_limit
from portal.memberdata.looks import staff_looked
from portal.ratings import RatingForm, may_rate, rating_path
from tickets.forms import ReplyForm, TicketForm, TicketSearchForm
from tickets.listing import listed
from tickets.models import Screenshot, Status, Ticket, TransitionError
from tickets.services import ticket_member_reply, ticket_member_set_status, ticket_submit
from tickets.submissions import submission_record, submission_stored, submission_token


def ticket_for(user, reference: str) -> Ticket:
    """Return the ticket to its member or to an agent; anyone else gets a 404, so that a
    reference never tells whether a ticket exists."""
    tickets = Ticket.objects.select_related("member", "assignee")
    if not is_agent(user):
        tickets = tickets.filter(member=user)
    return get_object_or_404(tickets, reference=reference)


@tech_issues_required
def ticket_list(request):
    """The member's tickets, newest activity first, filtered by ?status= and ?q= (titles
    and the messages the member can read). Two queries a page, however many tickets; the
    page is rendered once for what it shows (listing_shown, portal.kept)."""
    # The form is made only if the page is rendered or the query holds words to search.
    search = SimpleLazyObject(partial(TicketSearchForm, request.GET))
    tickets = listed(request.user, request.GET, search)
    page = Paginator(tickets, settings.TICKETS_PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    context = {"page": page, "search": search, "now": now}
    shown = listing_shown(request, page, now)
    return render_kept(request, "tickets/ticket_list.html", context, shown=shown)


def listing_shown(request, page, now) -> tuple:
    """Everything My Technical Issues' content shows, as the key of its rendered page
    (portal.kept): the query string (filters, page), the language, how many tickets
    match, and per ticket on the page what its row shows: reference, title, status, last
    activity and the whole minutes since (the "ago" text changes with them). An agent's
    answer or status change, a new ticket, a minute passing: another key, so nothing
    stale is ever shown, in any process."""
    rows = page.object_list.shown(now)
    return (request.user.pk, get_language(), request.GET.urlencode(), page.paginator.count, rows)


def _token(request) -> str:
    """The form's submission token: the posted one (a form shown again keeps it)."""
    return request.POST.get("submission") or submission_token()


@keeps_signed_out_posts("ticket")
@tech_issues_required
def ticket_new(request):
    token = _token(request)
    if request.method == "POST":
        if stored := submission_stored(user=request.user, token=token):
            return redirect(stored)  # sent again after a lost answer: it is there already
        form = TicketForm(request.POST, request.FILES)
        if form.is_valid() and not over_limit(request, form, "ticket"):
            ticket = ticket_submit(member=request.user, **form.cleaned_data)
            submission_record(user=request.user, token=token, url=ticket.get_absolute_url())
            messages.success(
                request, _("Thank you. Your technical issue %s is submitted.") % ticket.reference
            )
            return redirect(ticket)
    else:
        # A draft in the session (?draft=key): the live chat's long question, or this form
        # posted after its member was signed out, back after sign-in.
        draft = draft_for(request.session, "ticket", request.GET.get("draft"))
        form = TicketForm.prefilled(draft or request.GET)
    context = {"form": form, "submission": token}
    return render(request, "tickets/ticket_form.html", context, status=form_status(form))


@require_GET
@tech_issues_required
def submission(request, token):
    """Where the member's post with this token was stored (404: it was not). Asked by the
    page when the answer to a post was lost."""
    url = submission_stored(user=request.user, token=token)
    if url is None:
        raise Http404("nothing stored with this token by this member")
    return JsonResponse({"stored": True, "url": url})


@require_GET
@tech_issues_required
def title_preview(request):
    """The title a ticket form's fields would file (?language=&language_default=&summary=
    &description=), for the live line under the title field; the same rules as a post."""
    return JsonResponse(TicketForm(request.GET).preview())


@keeps_signed_out_posts("reply")
@tech_issues_required
def ticket_detail(request, reference):
    ticket = ticket_for(request.user, reference)
    if ticket.member_id != request.user.pk:
        return redirect("admin:tickets_ticket_change", ticket.pk)
    kept = draft_for(request.session, "reply", request.GET.get("draft"))  # after a sign-in
    form, token = ReplyForm(initial={"body": kept.get("body", "")}), _token(request)
    if request.method == "POST" and (stored := submission_stored(user=request.user, token=token)):
        return redirect(stored)
    if request.method == "POST" and not ticket.is_closed:
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid() and not over_limit(request, form, "reply"):
            message = ticket_member_reply(ticket=ticket, member=request.user, **form.cleaned_data)
            url = f"{ticket.get_absolute_url()}#message-{message.pk}"
            submission_record(user=request.user, token=token, url=url)
            messages.success(request, _("Your reply is sent."))
            return redirect(url)
    thread = ticket.thread_for(request.user).select_related("author")
    context = {
        "ticket": ticket,
        "thread": thread.prefetch_related("screenshots"),
        "form": form,
        "submission": token,
        "rating_form": RatingForm(),
        "rating_action": rating_path(ticket) if may_rate(ticket) else None,
    }
    return render(request, "tickets/ticket_detail.html", context, status=form_status(form))


DONE = {
    Status.RESOLVED: gettext_lazy(
        "Thank you. The ticket is marked as solved; reply if the problem returns."
    ),
    Status.CLOSED: gettext_lazy("The ticket is closed."),
}


@require_POST
@tech_issues_required
def ticket_status(request, reference):
    """The member marks their ticket solved or closes it."""
    ticket = get_object_or_404(Ticket, member=request.user, reference=reference)
    status = request.POST.get("status")
    try:
        ticket_member_set_status(ticket=ticket, member=request.user, status=Status(status))
    except (ValueError, TransitionError):  # an unknown status, or not from this one
        messages.error(request, _("The ticket's status could not be changed."))
    else:
        messages.success(request, DONE[Status(status)])
    return redirect(ticket)


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
