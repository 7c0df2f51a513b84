from django.shortcuts import render

from portal.access import tech_issues_required


@tech_issues_required
def ticket_list(request):
    return render(request, "tickets/ticket_list.html")
