"""The queue as the console page keeps it (livechat/static/livechat/console.js), for the
load clients and the tests that must behave like it: a `queue` frame gives the whole
queue and its revision; a `queue_change` of the next revision is applied (chats that left
taken out, chats that joined put in order); one that skips a revision means a change was
missed, and the console asks for the whole queue again (`hello`), ignoring deltas until
it comes. docs/protocol.md, "The console's queue"."""


class ConsoleQueue:
    def __init__(self):
        self.waiting: dict[str, dict] = {}  # chat id -> item, oldest first
        self.revision: int | None = None  # None: waiting for a whole `queue`

    def apply(self, frame: dict) -> bool:
        """Take in a `queue` or `queue_change` frame; answer False when the console must
        send `hello` (a revision was missed)."""
        if frame["type"] == "queue":
            self.waiting = {item["chat"]: item for item in frame["waiting"]}
            self.revision = frame["revision"]
            return True
        if self.revision is None or frame["revision"] <= self.revision:
            return True  # asked for the whole queue already, or in it already
        if frame["revision"] != self.revision + 1:
            self.revision = None
            return False
        self.revision = frame["revision"]
        for chat in frame["left"]:
            self.waiting.pop(chat, None)
        if frame["joined"]:
            items = [*self.waiting.values(), *frame["joined"]]
            items.sort(key=lambda item: (item["waiting_since"], item["chat"]))
            self.waiting = {item["chat"]: item for item in items}
        return True

    def chats(self) -> list[str]:
        return list(self.waiting)
