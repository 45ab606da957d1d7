"""Fixtures of the publishing tests: what a subscriber hears, and a CDN that records its
purges."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from publishing import SUBSCRIBERS


@pytest.fixture
def heard():
    """The changes a subscriber hears after the commit."""
    changes = []
    SUBSCRIBERS[False].append(changes.append)
    yield changes
    SUBSCRIBERS[False].remove(changes.append)


@pytest.fixture
def purge_server():
    """A local HTTP server that records the PURGE requests it gets (the CDN), as
    ``(host, path)``."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            received.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()
    server.server_close()
