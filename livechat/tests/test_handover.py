"""Transferring an active chat: offer, take, decline (livechat.handover)."""

import pytest

from livechat.errors import AtCapacity, ChatError, NotOffered, Unavailable
from livechat.handover import chat_transfer_decline, chat_transfer_offer, chat_transfer_take
from livechat.models import Chat
from livechat.services import chat_accept, chat_end
from livechat.tests.helpers import at, open_chat

pytestmark = pytest.mark.django_db


@pytest.fixture
def blake(make_agent):
    return make_agent("blake", first_name="Blake")


def held(agent, name="Vic", seconds=0):
    chat = open_chat(name, session_key=f"s-{name}", now=at(seconds))
    return chat_accept(chat_id=chat.pk, agent=agent, now=at(seconds)).chat


def test_the_offered_agent_takes_the_chat_and_the_transcript_says_so(agent, blake):
    chat = held(agent)
    offered = chat_transfer_offer(chat_id=chat.pk, by=agent, to_id=blake.pk, available={blake.pk})
    assert offered.transfer_to == blake
    handover = chat_transfer_take(chat_id=chat.pk, agent=blake, now=at(5))
    assert handover.previous_agent_id == agent.pk
    assert handover.update.state_changed
    [note] = handover.update.messages
    assert (note.author, note.body) == ("system", "Blake took over the chat.")
    chat.refresh_from_db()
    assert (chat.agent, chat.transfer_to, chat.state) == (blake, None, "active")


def test_only_an_available_other_agent_is_offered_it(agent, blake, make_member):
    chat = held(agent)
    member = make_member("m")
    for to_id, available in [
        (blake.pk, set()),  # away or offline
        (agent.pk, {agent.pk}),  # oneself
        (member.pk, {member.pk}),  # not an agent
        (999, {999}),
        ("2", {2}),
    ]:
        with pytest.raises(Unavailable):
            chat_transfer_offer(chat_id=chat.pk, by=agent, to_id=to_id, available=available)
    assert Chat.objects.get(pk=chat.pk).transfer_to is None


def test_a_chat_not_ones_own_or_over_cannot_be_offered(agent, blake, make_agent):
    chat = held(agent)
    with pytest.raises(ChatError):
        chat_transfer_offer(chat_id=chat.pk, by=blake, to_id=agent.pk, available={agent.pk})
    chat_end(chat=chat, by="Vic", now=at(9))
    with pytest.raises(ChatError):
        chat_transfer_offer(chat_id=chat.pk, by=agent, to_id=blake.pk, available={blake.pk})


def test_a_declined_or_ended_offer_cannot_be_taken(agent, blake):
    chat = held(agent)
    chat_transfer_offer(chat_id=chat.pk, by=agent, to_id=blake.pk, available={blake.pk})
    assert chat_transfer_decline(chat_id=chat.pk, agent=blake).agent == agent
    with pytest.raises(NotOffered):
        chat_transfer_take(chat_id=chat.pk, agent=blake, now=at(5))
    with pytest.raises(NotOffered):
        chat_transfer_decline(chat_id=chat.pk, agent=blake)
    chat_transfer_offer(chat_id=chat.pk, by=agent, to_id=blake.pk, available={blake.pk})
    chat_end(chat=Chat.objects.get(pk=chat.pk), by="Vic", now=at(6))
    with pytest.raises(NotOffered):
        chat_transfer_take(chat_id=chat.pk, agent=blake, now=at(7))


def test_an_agent_at_capacity_cannot_take_one_more(agent, blake, settings):
    settings.LIVECHAT_AGENT_CAPACITY = 1
    held(blake, "Own")
    chat = held(agent)
    chat_transfer_offer(chat_id=chat.pk, by=agent, to_id=blake.pk, available={blake.pk})
    with pytest.raises(AtCapacity):
        chat_transfer_take(chat_id=chat.pk, agent=blake, now=at(5))
    chat.refresh_from_db()
    assert (chat.agent, chat.transfer_to, chat.last_seq) == (agent, blake, 2)
