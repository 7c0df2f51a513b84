"""/reports/: the support lead's page (agents and administrators), and a CSV per figure."""

import csv
from datetime import timedelta

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import report_figures as reports
from portal.access import agent_required

LONGEST = timedelta(days=366)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and not timedelta(0) <= end - start <= LONGEST:
            raise forms.ValidationError(_("Choose a start before the end, at most a year apart."))
        return data

    @classmethod
    def from_query(cls, query) -> tuple["PeriodForm", reports.Period]:
        """The form, and the period it asks for: the last 30 days unless it says otherwise."""
        today = timezone.localdate()
        default = {"start": today - timedelta(days=29), "end": today}
        form = cls(query if "start" in query else None, initial=default)
        if form.is_bound and form.is_valid():
            return form, reports.Period(form.cleaned_data["start"], form.cleaned_data["end"])
        return form, reports.Period(default["start"], default["end"])


@agent_required
def reports_page(request):
    form, period = PeriodForm.from_query(request.GET)
    if name := request.GET.get("csv"):
        return csv_download(name, period)
    figures = reports.report(period)
    context = {
        "form": form,
        "period": period,
        "figures": figures,
        "charts": reports.chart_data(figures),
        "query": f"start={period.start.isoformat()}&end={period.end.isoformat()}",
    }
    return render(request, "portal/reports.html", context, status=400 if form.errors else 200)


def csv_download(name: str, period: reports.Period) -> HttpResponse:
    found = reports.report(period, only=name) if name in reports.FIGURE_NAMES else []
    if not found:
        raise Http404
    figure = found[0]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{figure.name}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([str(column) for column in figure.columns])
    writer.writerows(
        [["" if value is None else str(value) for value in row] for row in figure.rows]
    )
    return response
