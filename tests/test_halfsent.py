"""helpdesk/halfsent.py against a real daphne: a response that fails after its first bytes
ends the connection, and daphne goes on cancelling the applications of closed ones."""

import socket
import time

import pytest

from tests.servers import Daphne, portal_env

CLOSE_TIMEOUT = 1  # s: daphne cancels a closed connection's application after this


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = portal_env(tmp_path_factory.mktemp("halfsent"))
    daphne = Daphne(
        env,
        args=["--application-close-timeout", str(CLOSE_TIMEOUT)],
        application="tests.halfsent_app:application",
    ).start()
    yield daphne
    daphne.stop()


def get(server, path: str) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return client


def half_sent(server) -> bytes:
    """What /half sends until the server ends the connection (a timeout: the hang)."""
    with get(server, "/half") as client:
        received = b""
        while data := client.recv(65536):
            received += data
    return received


def test_a_body_that_fails_half_way_is_cut_off_after_what_was_sent(server):
    head, _, body = half_sent(server).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"transfer-encoding: chunked" in head.lower()
    assert b"PK" * 500 in body
    assert not body.endswith(b"0\r\n\r\n")  # no last chunk: the client knows it is cut short
    assert b"Internal Server Error" not in body


def test_daphne_still_cancels_the_application_of_a_closed_connection_afterwards(server):
    half_sent(server)  # with its connection open when it fails, as a browser's is
    get(server, "/stuck").close()
    deadline = time.monotonic() + CLOSE_TIMEOUT + 10
    while time.monotonic() < deadline:
        lines = server.log.read_text().splitlines()
        if any("took too long to shut down" in line and "/stuck" in line for line in lines):
            return
        time.sleep(0.2)
    pytest.fail(f"the application of the closed /stuck was never cancelled: {server.log}")
