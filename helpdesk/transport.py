"""Daphne's TCP connections, writing a WebSocket frame at once instead of at the reactor's
next pass.

Twisted buffers every write and sends it once the socket reports writable: per frame it
registers the socket for writing, wakes the loop again, sends, and unregisters it (two
`epoll_ctl` calls and a pass of the loop in Python). A chat message is one frame in and two
out, so at an even rate of messages that was about a tenth of the event loop's time, the
part of it that batching does not share out (bench/FINDINGS.md, session 5).

`PromptServer` sends a write straight away when nothing is buffered before it, and leaves
everything else to Twisted: the rest of a partial send, a write behind a buffered one (the
order stays), a closing connection, TLS, a lost connection (Twisted's own write then finds
it and reports the loss). Only connections with Nagle's algorithm off take it, that is
WebSockets (autobahn turns Nagle off for them): their frames are meant to leave at once.
Plain HTTP keeps Twisted's buffering, which sends a response's head and body as one.
"""

from twisted.internet import tcp


class PromptServer(tcp.Server):
    no_delay = False

    def setTcpNoDelay(self, enabled: bool) -> None:
        super().setTcpNoDelay(enabled)
        self.no_delay = enabled

    def write(self, data: bytes) -> None:
        if self.no_delay and self._nothing_before() and data:
            sent = self.writeSomeData(data)
            if sent == len(data):
                return
            if isinstance(sent, int):  # else the connection is lost: Twisted's write sees it
                data = data[sent:]
        super().write(data)

    def _nothing_before(self) -> bool:
        return (
            self.connected
            and not self.TLS
            and not self.disconnecting
            and not self._writeDisconnected
            and not self._tempDataBuffer
            and len(self.dataBuffer) == self.offset
        )


def install() -> None:
    """Make every TCP port that Twisted opens from now on serve its connections with
    PromptServer (daphne opens its port after loading the application)."""
    tcp.Port.transport = PromptServer
