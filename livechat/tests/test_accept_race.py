"""livechat.cursor.AcceptRace: one accept of a chat in flight per process; the others
wait for it and lose without trying when it wins."""

import asyncio

import pytest

from livechat.cursor import AcceptRace, LeftQueue
from livechat.errors import Away, Taken


class Database:
    """Stands in for the conditional UPDATE: counts the attempts, the first one wins
    unless its agent is refused."""

    def __init__(self, refuse=()):
        self.tries, self.winner, self.refuse = [], None, set(refuse)

    def accept(self, agent):
        async def attempt():
            self.tries.append(agent)
            await asyncio.sleep(0.01)  # the database thread's trip
            if agent in self.refuse:
                raise Away
            if self.winner is not None:
                raise Taken
            self.winner = agent
            return agent

        return attempt


async def outcomes(race, database, agents, chat="c1"):
    async def one(agent):
        try:
            return await race.attempt(chat, database.accept(agent))
        except (Taken, Away) as error:
            return error.code

    return await asyncio.gather(*(one(agent) for agent in agents))


async def test_it_tries_a_chat_once_however_many_accept_it_at_once():
    race, database = AcceptRace(LeftQueue()), Database()
    answers = await outcomes(race, database, range(20))
    assert answers == [0] + ["taken"] * 19
    assert database.tries == [0]


async def test_it_lets_the_next_agent_try_when_the_first_could_not_take_it():
    race, database = AcceptRace(LeftQueue()), Database(refuse={0})
    answers = await outcomes(race, database, range(3))
    assert answers == ["away", 1, "taken"]
    assert database.tries == [0, 1]


async def test_it_answers_a_chat_it_saw_leave_without_trying():
    race, database = AcceptRace(LeftQueue()), Database()
    await outcomes(race, database, [0])
    assert await outcomes(race, database, [1, 2]) == ["taken", "taken"]
    assert database.tries == [0]


async def test_it_remembers_a_chat_the_database_said_was_taken():
    left = LeftQueue()
    race, database = AcceptRace(left), Database()
    database.winner = "another process"
    assert await outcomes(race, database, [0]) == ["taken"]
    assert "c1" in left


async def test_it_finishes_an_accept_whose_socket_went():
    race, database = AcceptRace(LeftQueue()), Database()
    first = asyncio.ensure_future(race.attempt("c1", database.accept(0)))
    await asyncio.sleep(0)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    # The accept in flight went on: the chat is won, and the next agent loses at once.
    assert await outcomes(race, database, [1]) == ["taken"]
    assert (database.winner, database.tries) == (0, [0])
