import pytest

from tickets.models import Message, Status, Ticket, TransitionError, title_for


@pytest.mark.parametrize(
    ("language", "summary", "title"),
    [
        ("pl", "Nie można przetworzyć zamówienia", "Polski - Nie można przetworzyć zamówienia"),
        ("pl", "Polski - Nie można zamówić", "Polski - Nie można zamówić"),
        ("pl", "polski – Nie można", "Polski - Nie można"),
        ("pl", "Polish - Cannot process order", "Polski - Cannot process order"),
        ("de", "Deutsch: Passwort", "Deutsch - Passwort"),
        ("en", "  Invoice missing ", "English - Invoice missing"),
        ("en", "Polski - not my language", "English - Polski - not my language"),
        ("pl", "Polskie znaki nie działają", "Polski - Polskie znaki nie działają"),
    ],
)
def test_it_titles_a_ticket_language_first_and_only_once(language, summary, title):
    assert title_for(language, summary) == title


def test_it_gives_references_from_the_sequence(ticket, silver, make_ticket):
    other = make_ticket(silver)
    assert ticket.reference == f"TI-{ticket.pk:06d}"
    assert other.reference == f"TI-{other.pk:06d}"
    assert Ticket.objects.get(reference=other.reference) == other


def test_it_never_reuses_a_reference_after_a_deletion(silver, make_ticket):
    first = make_ticket(silver)
    reference = first.reference
    first.delete()
    assert make_ticket(silver).reference != reference


def test_it_records_each_status_change_in_the_thread(ticket, agent):
    event = ticket.apply_status(Status.OPEN, by=agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert (event.kind, event.status, event.author) == (Message.Kind.EVENT, Status.OPEN, agent)


def test_it_records_nothing_when_the_status_stays(ticket, agent):
    assert ticket.apply_status(Status.NEW, by=agent) is None
    assert not ticket.messages.filter(kind=Message.Kind.EVENT).exists()


def test_it_refuses_to_reopen_a_closed_ticket(ticket, agent):
    ticket.apply_status(Status.CLOSED, by=agent)
    for status in (Status.NEW, Status.OPEN, Status.AWAITING_MEMBER, Status.RESOLVED):
        with pytest.raises(TransitionError):
            ticket.apply_status(status, by=agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_it_never_goes_back_to_new(ticket, agent):
    ticket.apply_status(Status.OPEN, by=agent)
    with pytest.raises(TransitionError):
        ticket.apply_status(Status.NEW, by=agent)


def test_it_waits_on_agents_only_when_new_or_open(ticket, agent):
    assert ticket.waiting_since == ticket.last_member_activity
    ticket.apply_status(Status.AWAITING_MEMBER, by=agent)
    assert ticket.waiting_since is None
    assert ticket.awaits_member


def test_it_hides_internal_notes_from_the_member(ticket, silver, agent):
    note = ticket.messages.create(kind=Message.Kind.NOTE, author=agent, body="internal")
    assert note not in ticket.thread_for(silver)
    assert note in ticket.thread_for(agent)
