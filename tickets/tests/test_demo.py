from portal.demo import seed_people
from tickets.demo import seed_tickets
from tickets.models import Message, Status, Ticket


def test_it_seeds_tickets_in_several_states_and_languages_once(db):
    people = seed_people()
    seed_tickets(people)
    assert seed_tickets(people) == []
    silver = Ticket.objects.filter(member=people["silver"])
    assert {t.language for t in silver} == {"pl"}
    assert {t.status for t in silver} == {Status.AWAITING_MEMBER, Status.RESOLVED}
    awaiting = silver.get(status=Status.AWAITING_MEMBER)
    assert awaiting.messages.filter(kind=Message.Kind.REPLY, author=people["agent"]).exists()
    diamond = Ticket.objects.filter(member=people["diamond"])
    assert {t.status for t in diamond} == {Status.NEW, Status.OPEN}
    assert Ticket.objects.count() == 4
