"""The HTTP load generator of bench/serve.py: asyncio, HTTP/1.1, a new
connection per request (gunicorn's sync workers close them), in the
benchmark's own process."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

CSRF = "benchcsrftokenbenchcsrftokenbenc"  # 32 characters: Django's unmasked form


async def one_request(port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        if length:
            await reader.readexactly(length)
        else:
            await reader.read()
        return status
    finally:
        writer.close()


def raw_request(target: dict[str, Any], i: int, cookie_name: str) -> bytes:
    path = target["paths"][i % len(target["paths"])]
    if target.get("unique"):
        # A parameter the page ignores, different every time: a page-cache miss.
        path += f"&nocache={time.time_ns()}"
    cookies = f"csrftoken={CSRF}"
    if target.get("cookie"):
        cookies += f"; {cookie_name}={target['cookie']}"
    # As nginx does for a province of clients (docs/deploy.md): the client
    # address in X-Real-IP, a thousand different ones, so per-address rate
    # limits (search) count as they would in production.
    client = f"10.0.{i // 250 % 4}.{i % 250 + 1}"
    headers = ["Host: 127.0.0.1", f"Cookie: {cookies}", f"X-Real-IP: {client}", "Connection: close"]
    body = b""
    method = "GET"
    if "post" in target:
        method = "POST"
        payload = dict(target["post"], description=f"基准下单，请尽快安排。{time.time_ns()}-{i}")
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers += [
            "Content-Type: application/json",
            f"X-CSRFToken: {CSRF}",
            f"Content-Length: {len(body)}",
        ]
    head = f"{method} {path} HTTP/1.1\r\n" + "\r\n".join(headers) + "\r\n\r\n"
    return head.encode() + body


async def measure(
    port: int, target: dict[str, Any], cookie_name: str, seconds: float, concurrency: int
) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = [0]
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            counter[0] += 1
            request = raw_request(target, counter[0], cookie_name)
            started = time.perf_counter()
            try:
                status = await one_request(port, request)
            except (OSError, asyncio.IncompleteReadError):
                status = 0
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "n": len(latencies),
        "errors": sum(n for s, n in statuses.items() if not 200 <= s < 300),
        "statuses": statuses,
    }


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    probe = {"paths": ["/bench/floor/"]}
    while time.time() < deadline:
        try:
            if asyncio.run(one_request(port, raw_request(probe, 0, ""))) == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /bench/floor/ (see var/bench-serve.log)")
