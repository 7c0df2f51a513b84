"""livechat.reader.KeptThread: work handed to the thread starts at once."""

import asyncio
import threading

from livechat.reader import KeptThread

kept = KeptThread("livechat-test-kept")


async def test_it_starts_the_work_when_handed_not_when_awaited():
    started = threading.Event()
    answer = kept.run(lambda: started.set() or "done")
    # The loop is not given the answer's future yet: the thread has the work all the same.
    assert await asyncio.to_thread(started.wait, 5)
    assert await answer == "done"
