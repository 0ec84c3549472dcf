"""The production HTTP server: uvicorn, with limits that keep slow and abusive clients in check.

`python -m <package>.api` (the image's CMD) runs `serve()`. What it adds to uvicorn's defaults:

- A deadline for a request's headers. uvicorn closes a connection that stays idle after a
  response (keep-alive timeout), but not one that never finishes its headers: a client sending
  one byte a second held a connection for ever, and a few hundred of them took every slot.
  DeadlineHttpToolsProtocol closes such a connection REQUEST_TIMEOUT_SECONDS after it opened or
  after the first byte of a request (answering 408 when part of a request arrived).
- A cap on the size of a request's headers (MAX_HEADER_BYTES: 431, then close), which uvicorn's
  C parser does not have.
- The body's own limits (size: 413, arrival time: 408) are in limits.py, part of the app.
- A cap on concurrent connections (MAX_CONCURRENCY): beyond it uvicorn answers 503 at once
  instead of taking on more work and memory.

Settings (settings.py), from the environment:
    HOST, PORT                where to listen (default 0.0.0.0:8000)
    MAX_CONCURRENCY           connections (and requests) at once, default 100; more get a 503
    KEEP_ALIVE_SECONDS        how long an idle connection stays open after a response, default 5
    REQUEST_TIMEOUT_SECONDS   see limits.py (default 10)
    MAX_BODY_BYTES            see limits.py (default 65536)
"""

from __future__ import annotations

import asyncio
import json

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..settings import Settings
from .app import app
from .limits import REQUEST_TIMEOUT_SECONDS

# Request line and headers together; a real client sends well under 2 KiB.
MAX_HEADER_BYTES = 32 * 1024


def _raw_answer(status: str, detail: str) -> bytes:
    """A whole HTTP/1.1 answer with a JSON body, written straight to the socket."""
    body = json.dumps({"detail": detail}).encode()
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


HEADERS_TIMED_OUT = _raw_answer("408 Request Timeout", "request headers not received in time")
HEADERS_TOO_LARGE = _raw_answer(
    "431 Request Header Fields Too Large", f"request headers over {MAX_HEADER_BYTES} bytes"
)


class DeadlineHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools parser), plus a deadline and a size cap for the
    request line and headers. One instance per connection; uvicorn calls these methods."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._in_headers = True
        self._started = False  # has any byte of the current request arrived?
        self._arm_deadline()  # a new connection must send its first request in time

    def data_received(self, data: bytes) -> None:
        if self._in_headers:
            self._started = True
            self._header_bytes += len(data)
        super().data_received(data)
        # Still in the headers after this read (a read that completes them may carry body bytes).
        if self._in_headers and self._header_bytes > MAX_HEADER_BYTES:
            self._close_with(HEADERS_TOO_LARGE)

    def on_message_begin(self) -> None:
        # The first byte of a request on a kept-alive connection: its headers are due in time.
        super().on_message_begin()
        self._in_headers = True
        self._arm_deadline()

    def on_headers_complete(self) -> None:
        # The headers are in; from here the body's deadline is limits.py's (it answers 408).
        self._in_headers = False
        self._header_bytes = 0
        self._disarm_deadline()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle now (uvicorn's keep-alive timeout takes over); whatever comes next is a request's
        # line and headers.
        self._in_headers = True
        self._started = False

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_deadline()
        super().connection_lost(exc)

    def _arm_deadline(self) -> None:
        if self._deadline is None:
            loop = asyncio.get_running_loop()
            self._deadline = loop.call_later(REQUEST_TIMEOUT_SECONDS, self._deadline_passed)

    def _disarm_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _deadline_passed(self) -> None:
        self._deadline = None
        # A connection that never sent a byte is closed without an answer, as an idle one is.
        self._close_with(HEADERS_TIMED_OUT if self._started else b"")

    def _close_with(self, answer: bytes) -> None:
        self._disarm_deadline()
        if self.transport.is_closing():
            return
        # Only when no response of an earlier request is still being written on this connection.
        if answer and (self.cycle is None or self.cycle.response_complete):
            self.transport.write(answer)
        self.transport.close()


def serve() -> None:
    settings = Settings.from_env()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        http=DeadlineHttpToolsProtocol,
        limit_concurrency=settings.max_concurrency,
        timeout_keep_alive=settings.keep_alive_seconds,
        access_log=True,
    )
