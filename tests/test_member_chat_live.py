"""The member's side of the chat, proved with real `websockets` clients against a real daphne
process: system lines in each reader's language (a Polish member and an English agent read
the same events in their own words, live and on replay; a console card added live is in its
agent's language), and a member who comes back finds their chat, not a second one."""

import pytest

from portal.demo import DEMO_PASSWORD
from tests.live_chat import Person, chat_id_of, hello, start_portal


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    daphne = start_portal(tmp_path_factory.mktemp("events"))
    yield daphne
    daphne.stop()


def agent_browser(url, language=None) -> Person:
    agent = Person(url, language)
    agent.sign_in("agent", DEMO_PASSWORD).read()
    return agent


async def accept(agent: Person, chat_id: str) -> dict:
    console = await agent.socket("/ws/console/")
    await console.send({"type": "accept", "chat": chat_id})
    answer = await console.receive_until(lambda f: f["type"] in ("accepted", "error"))
    await console.close()
    return answer


async def test_each_side_reads_the_events_in_its_own_language(live):
    member = Person(live.url, "pl")
    chat_id = chat_id_of(member.start_chat("Piotr").url)
    agent = agent_browser(live.url)
    assert (await accept(agent, chat_id))["type"] == "accepted"
    path = f"/ws/chat/{chat_id}/"
    member_socket, agent_socket = await member.socket(path), await agent.socket(path)
    # Replayed from the database: the joined line.
    [_question, joined, _state] = await hello(member_socket)
    assert (joined["event"], joined["params"]) == ("joined", {"agent": "Alex"})
    assert joined["body"] == "Alex dołącza do czatu."
    assert (await hello(agent_socket))[1]["body"] == "Alex joined the chat."
    # Broadcast live through the channel layer: the ended line.
    await member_socket.send({"type": "end"})
    for socket, words in ((member_socket, "Piotr kończy czat."), (agent_socket, "Piotr ended")):
        line = await socket.receive_until(lambda f: f["type"] == "message")
        assert (line["event"], line["author"]) == ("ended", "system")
        assert line["body"].startswith(words)
    for socket in (member_socket, agent_socket):
        await socket.close()


async def test_a_card_added_live_speaks_its_agents_language(live):
    visitor = Person(live.url)
    chat_id = chat_id_of(visitor.start_chat("Vic").url)
    card = await accept(agent_browser(live.url, "pl"), chat_id)
    assert card["convert_refusal"] == (
        "Gość nie jest zalogowany: poproś go, aby się zalogował i\u00a0zgłosił problem."
    )


async def test_a_member_back_on_another_device_rejoins_the_one_chat(live):
    laptop = Person(live.url)
    laptop.sign_in("diamond", DEMO_PASSWORD).read()
    chat_id = chat_id_of(laptop.start_chat("Diana").url)
    path = f"/ws/chat/{chat_id}/"
    tab = await laptop.socket(path)
    await hello(tab)
    await tab.close()  # the tab is closed
    phone = Person(live.url)
    phone.sign_in("diamond", DEMO_PASSWORD).read()
    assert f'href="{path[3:]}">Return to your chat' in phone.request("/chat/").read().decode()
    again = phone.start_chat("Diana", question="Also the invoice page is blank")
    assert chat_id_of(again.url) == chat_id
    socket = await phone.socket(path)
    *backlog, state = await hello(socket)
    assert [m["body"] for m in backlog][-1] == "Also the invoice page is blank"
    assert (state["state"], state["position"]) == ("waiting", 1)
    console = await agent_browser(live.url).socket("/ws/console/")
    queue = await console.receive_until(lambda f: f["type"] == "queue")
    assert [entry["chat"] for entry in queue["waiting"]].count(chat_id) == 1
    assert [entry["name"] for entry in queue["waiting"]].count("Diana") == 1
    for each in (socket, console):
        await each.close()
