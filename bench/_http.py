"""A small HTTP/1.1 keep-alive client over asyncio streams, cheap enough to drive a server from one core.

A general client (httpx) spends more CPU per request than the sandbox's own cheapest paths, which would make
the load generator the thing being measured on a two-core machine. This one writes the request bytes and
reads ``Content-Length`` (or chunked) answers, nothing more.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Answer", "HttpConnection"]


@attrs.frozen
class Answer:
    """A response: status, body and the time from the first request byte to the last response byte."""

    status: int
    body: bytes
    seconds: float

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


class HttpConnection:
    """One keep-alive connection to ``host:port``; reconnects when the server closes it."""

    def __init__(self, host: str, port: int, *, timeout: float = 30.0) -> None:
        self._host = host
        self._port = port
        self._timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        return self._reader, self._writer

    async def close(self) -> None:
        """Close the connection."""
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def request(
        self, method: str, path: str, headers: Mapping[str, str] | None = None, body: bytes = b""
    ) -> Answer:
        """Send one request and read its whole answer."""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self._host}:{self._port}",
            f"Content-Length: {len(body)}",
        ]
        lines.extend(f"{name}: {value}" for name, value in (headers or {}).items())
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        started = time.perf_counter()
        try:
            status, content, keep = await asyncio.wait_for(self._exchange(payload), self._timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            await self.close()
            raise
        if not keep:
            await self.close()
        return Answer(status=status, body=content, seconds=time.perf_counter() - started)

    async def _exchange(self, payload: bytes) -> tuple[int, bytes, bool]:
        reader, writer = await self._connect()
        writer.write(payload)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        fields: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            if name:
                fields[name.strip().lower()] = value.strip()
        if fields.get("transfer-encoding", "").lower() == "chunked":
            content = await _read_chunked(reader)
        else:
            content = await reader.readexactly(int(fields.get("content-length", "0")))
        return status, content, fields.get("connection", "").lower() != "close"


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
