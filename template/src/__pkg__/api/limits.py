"""Limits on what a client may send: a cap on the body size and a deadline for the body.

RequestLimits is a plain ASGI middleware (no framework code) around the whole app, so it holds
wherever the app runs: the production server (`python -m <package>.api`), the local server and
the tests' TestClient. For every HTTP request it

1. answers 413 at once when the declared Content-Length is over the cap, without reading the body;
2. reads the body itself, counting bytes as they arrive (a chunked body has no Content-Length),
   and answers 413 as soon as the count passes the cap: a client cannot make the app hold more
   than MAX_BODY_BYTES, whatever it sends;
3. answers 408 when the whole body has not arrived within REQUEST_TIMEOUT_SECONDS of the request's
   headers (a client sending one byte a second, or a body cut short, does not hold the request
   open for ever);
4. then calls the app with the body it read, so FastAPI parses only what passed these checks.

Its answers are JSON ({"detail": "..."}) and close the connection (`connection: close`), so the
server stops reading whatever the client still sends.

Settings (settings.py), from the environment when the app is imported:
    MAX_BODY_BYTES           largest request body accepted, in bytes (default 65536 = 64 KiB;
                             a loan application is about 1 KiB)
    REQUEST_TIMEOUT_SECONDS  time allowed for a request's body (default 10), and, in the
                             production server (server.py), for its headers
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ..settings import DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT_SECONDS, Settings

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_REQUEST_TIMEOUT_SECONDS",
    "MAX_BODY_BYTES",
    "REQUEST_TIMEOUT_SECONDS",
    "BodyTooLargeError",
    "ClientGoneError",
    "RequestLimits",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


_SETTINGS = Settings.from_env()
MAX_BODY_BYTES = _SETTINGS.max_body_bytes
REQUEST_TIMEOUT_SECONDS = _SETTINGS.request_timeout_seconds


class BodyTooLargeError(Exception):
    pass


class ClientGoneError(Exception):
    pass


class RequestLimits:
    """ASGI middleware: caps the request body at max_body_bytes and its arrival at timeout s."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int = MAX_BODY_BYTES,
        timeout: float = REQUEST_TIMEOUT_SECONDS,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan (start-up and shutdown) passes through
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await _answer(send, 413, f"request body over the limit of {self.max_body_bytes} bytes")
            return
        try:
            async with asyncio.timeout(self.timeout):
                body = await self._read_body(receive)
        except BodyTooLargeError:
            await _answer(send, 413, f"request body over the limit of {self.max_body_bytes} bytes")
            return
        except TimeoutError:
            await _answer(send, 408, f"request body not received within {self.timeout:g} s")
            return
        except ClientGoneError:
            return  # nobody to answer
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGoneError
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise BodyTooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            # The server has already refused a Content-Length that is not a number.
            return int(value) if value.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that hands the app the body already read, then waits as the server's does."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replayed


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
