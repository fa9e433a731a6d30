"""HttpSmsGateway against a real HTTP server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from onestop.notifications.sms import HttpSmsGateway, SmsGatewayError

MOBILE = "13812345678"
TEXT = "【平台】您的注册验证码为 482913，5 分钟内有效。"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Stub:
    url: str
    received: list[Received] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    # The path chooses the answer: /ok → 200, /fail → 500, /moved → 302, /slow → late 200.
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.server.received.append(  # type: ignore[attr-defined]
            Received(path=self.path, headers=dict(self.headers.items()), body=body)
        )
        if self.path == "/slow":
            time.sleep(1)
        try:
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/ok")
            else:
                self.send_response(500 if self.path == "/fail" else 200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
        except (BrokenPipeError, ConnectionResetError):
            pass  # /slow: the client gave up waiting, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    received: list[Received] = []
    server.received = received  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Stub(url=f"http://127.0.0.1:{server.server_address[1]}", received=received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def gateway(settings, stub) -> HttpSmsGateway:
    settings.ONESTOP_SMS_HTTP_URL = f"{stub.url}/ok"
    settings.ONESTOP_SMS_HTTP_TOKEN = "relay-token-1"
    return HttpSmsGateway()


def test_the_message_is_posted_as_json_with_the_bearer_token(gateway, stub):
    gateway.send(mobile=MOBILE, text=TEXT)

    [request] = stub.received
    assert request.path == "/ok"
    assert json.loads(request.body.decode("utf-8")) == {"mobile": MOBILE, "text": TEXT}
    assert request.headers["Authorization"] == "Bearer relay-token-1"
    assert request.headers["Content-Type"].startswith("application/json")


def test_a_server_error_raises_without_the_text_or_number(gateway, stub, settings):
    settings.ONESTOP_SMS_HTTP_URL = f"{stub.url}/fail"

    with pytest.raises(SmsGatewayError) as caught:
        gateway.send(mobile=MOBILE, text=TEXT)

    assert "500" in str(caught.value)
    assert "482913" not in str(caught.value)
    assert MOBILE not in str(caught.value)
    assert len(stub.received) == 1


def test_a_redirect_is_not_followed(gateway, stub, settings):
    settings.ONESTOP_SMS_HTTP_URL = f"{stub.url}/moved"

    with pytest.raises(SmsGatewayError):
        gateway.send(mobile=MOBILE, text=TEXT)

    assert [r.path for r in stub.received] == ["/moved"]


def test_a_slow_gateway_times_out(gateway, stub, settings):
    settings.ONESTOP_SMS_HTTP_URL = f"{stub.url}/slow"
    assert gateway.timeout == 5.0
    gateway.timeout = 0.2  # the same code path as the 5 s default, faster

    with pytest.raises(SmsGatewayError):
        gateway.send(mobile=MOBILE, text=TEXT)


def test_an_unreachable_gateway_raises(settings):
    settings.ONESTOP_SMS_HTTP_URL = "http://127.0.0.1:9/"  # the discard port: refused

    with pytest.raises(SmsGatewayError):
        HttpSmsGateway().send(mobile=MOBILE, text=TEXT)


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://example.invalid/"])
def test_only_http_urls_are_used(settings, url):
    settings.ONESTOP_SMS_HTTP_URL = url

    with pytest.raises(ImproperlyConfigured):
        HttpSmsGateway().send(mobile=MOBILE, text=TEXT)
