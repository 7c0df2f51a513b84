"""{% first_answer ticket %}: on the member's ticket page, when a first answer can be
expected, from the service level's target (nothing once answered, or without a target)."""

from django import template

from tickets import sla

register = template.Library()


@register.inclusion_tag("tickets/_first_answer.html")
def first_answer(ticket):
    level = None
    if ticket.first_response_at is None and ticket.status in sla.WAITING_ON_AGENTS:
        level = sla.level_for(ticket.language)
    if level is None:
        return {"within": ""}
    return {
        "within": sla.spoken_span(level.first_response_minutes),
        "business_hours": level.business_hours and sla.support_hours() is not None,
    }
