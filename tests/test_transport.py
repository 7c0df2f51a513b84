"""helpdesk/transport.py: a WebSocket connection's write leaves at once when nothing waits
before it, and everything else is Twisted's own buffered write, in order. A real loopback
TCP connection with small socket buffers (so that a send can be partial), and a reactor
that only records which sockets asked to be told when they can write."""

import socket

import pytest
from twisted.internet import tcp
from twisted.internet.protocol import Protocol

from helpdesk.transport import PromptServer

BUFFER = 16384  # bytes, asked of the kernel for both ends (it doubles and rounds them)


class RecordingReactor:  # the names are Twisted's interface
    def __init__(self):
        self.writers = set()

    def addWriter(self, selectable):
        self.writers.add(selectable)

    def removeWriter(self, selectable):
        self.writers.discard(selectable)

    def addReader(self, selectable):
        pass

    def removeReader(self, selectable):
        pass


@pytest.fixture
def pair():
    """(the server's transport, the client's socket, the reactor)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        accepted, address = listener.accept()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUFFER)
    accepted.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUFFER)
    reactor = RecordingReactor()
    transport = PromptServer(accepted, Protocol(), address, None, 1, reactor)
    transport.connected = True
    yield transport, client, reactor
    client.close()
    accepted.close()


def received(client: socket.socket, size: int) -> bytes:
    client.settimeout(5)
    data = b""
    while len(data) < size:
        data += client.recv(size - len(data))
    return data


def test_a_websocket_frame_is_sent_when_written(pair):
    transport, client, reactor = pair
    transport.setTcpNoDelay(True)  # what autobahn does to every WebSocket
    transport.write(b"frame one")
    transport.write(b"frame two")
    assert received(client, 18) == b"frame oneframe two"
    assert transport not in reactor.writers  # the loop was not asked to send them


def test_what_the_socket_cannot_take_waits_in_order_behind_the_part_sent(pair):
    transport, client, reactor = pair
    transport.setTcpNoDelay(True)
    big = bytes(range(256)) * 512  # 128 KB, far more than the two buffers hold
    transport.write(big)
    transport.write(b"after")  # behind what waits, not past it
    assert transport in reactor.writers
    assert transport._tempDataBuffer  # Twisted holds the rest
    data = b""
    client.settimeout(5)
    while len(data) < len(big) + 5:
        transport.doWrite()  # what the reactor does when the socket can take more
        data += client.recv(65536)
    assert data == big + b"after"
    assert transport not in reactor.writers


def test_plain_http_keeps_twisteds_buffering(pair):
    transport, client, reactor = pair
    transport.write(b"HTTP/1.1 200 OK\r\n")
    transport.write(b"body")
    assert transport in reactor.writers  # sent together on the reactor's next pass
    client.setblocking(False)
    with pytest.raises(BlockingIOError):
        client.recv(100)
    transport.doWrite()
    assert received(client, 21) == b"HTTP/1.1 200 OK\r\nbody"


def test_a_closing_connection_writes_through_twisted(pair):
    transport, client, reactor = pair
    transport.setTcpNoDelay(True)
    transport.write(b"x" * 10)
    transport.disconnecting = True  # loseConnection() was called
    transport.write(b"last words")
    assert transport in reactor.writers
    assert received(client, 10) == b"x" * 10  # and no more until the reactor's pass
    client.setblocking(False)
    with pytest.raises(BlockingIOError):
        client.recv(100)


def test_the_portal_serves_its_tcp_connections_with_it():
    import helpdesk.asgi  # noqa: F401 (daphne loads it before opening its port)

    assert tcp.Port.transport is PromptServer
