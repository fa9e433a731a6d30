"""The operator's SMS relay the platform's HttpSmsGateway posts to during a
load run: it answers slowly, so that a worker can be killed while it sends,
and it drops a repeated Idempotency-Key as an operator's relay does."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class SmsRelay:
    """An operator's SMS relay on 127.0.0.1: slow, and idempotent by key.

    ``posts`` counts every request it got per key, ``delivered`` the messages
    it passed on (once per key), ``in_flight`` maps the client's port of each
    request still being answered (to find the worker process that sends it).
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.posts: Counter[str] = Counter()
        self.delivered: dict[str, dict[str, str]] = {}
        self.in_flight: dict[int, str] = {}
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                key = self.headers.get("Idempotency-Key", "") or f"nokey-{time.time_ns()}"
                port = self.client_address[1]
                with relay.lock:
                    relay.posts[key] += 1
                    relay.in_flight[port] = key
                    if key not in relay.delivered:
                        relay.delivered[key] = {
                            "mobile": body.get("mobile", ""),
                            "text": body.get("text", ""),
                        }
                try:
                    time.sleep(relay.delay)
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                finally:
                    with relay.lock:
                        relay.in_flight.pop(port, None)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"posts": dict(self.posts), "delivered": dict(self.delivered)}
