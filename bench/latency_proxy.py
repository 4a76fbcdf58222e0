"""A latency-and-limit proxy between the benchmark's client and the sandbox Akeneo.

`python -m bench.latency_proxy --upstream http://127.0.0.1:PORT [--upstream ...]`
prints one JSON line `{"base_url": ...}` and then forwards HTTP/1.1 until killed.

Why a separate process and separate code: the throughput benchmark must measure the
client, not the sandbox. The sandbox is a model of Akeneo, not the oracle, so the
limit the client is checked against is enforced here, independently of the sandbox's
own limiter (akeneo_pipeline/sandbox/limits.py), and the sandbox is run with neither
latency nor limit. Running in its own process, the proxy's CPU is charged to neither.

What it does to each request:
- waits `--latency-ms` before forwarding (a remote PIM's round trip);
- holds one of `--concurrency-limit` slots per access token (the Authorization header)
  for REST calls (`/api/rest/...`) from arrival to the last byte of the answer, and
  answers a call over the limit itself with Akeneo's 429 body, WITHOUT `Retry-After`:
  Akeneo documents the limit ("4 concurrent API calls per connection",
  https://api.akeneo.com/documentation/overview.html#rate-limiting) but not that the 429
  carries the header, so the client is checked on its own backoff, the harder case
  (the sandbox can play the header: its `retry_after` knob);
- forwards everything else unchanged (request line, headers, bodies by Content-Length or
  chunked, answers likewise), each client connection pinned to one upstream connection,
  connections assigned to upstreams round-robin.
`GET /_proxy/stats` answers the counts; `POST /_proxy/reset` zeroes them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import sys
from collections import Counter
from urllib.parse import urlsplit

API_PREFIX = b"/api/rest/"
TOO_MANY = json.dumps({"code": 429, "message": "Too many requests"}).encode()


class Stats:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.throttled = 0
        self.statuses: Counter[int] = Counter()
        self.max_in_flight = 0
        # Seconds summed over forwarded calls: from arrival to the answer's last byte (held), and
        # the part after the latency (upstream). held / wall time = mean calls in flight.
        self.held_seconds = 0.0
        self.upstream_seconds = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"requests": self.requests, "throttled": self.throttled, "max_in_flight": self.max_in_flight,
                "held_seconds": self.held_seconds, "upstream_seconds": self.upstream_seconds,
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())}}


async def read_head(reader: asyncio.StreamReader) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
    """The start line and headers of a message, or None at a clean end of the connection."""
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if exc.partial.strip():
            raise
        return None
    lines = raw[:-4].split(b"\r\n")
    headers = [(name.strip().lower(), value.strip()) for name, _, value in (h.partition(b":") for h in lines[1:])]
    return raw, headers


async def relay_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     headers: list[tuple[bytes, bytes]], until_close: bool) -> None:
    """Copy one message body as is: by Content-Length, chunked, or (answers only) to EOF."""
    fields = dict(headers)
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        while True:
            size_line = await reader.readuntil(b"\r\n")
            writer.write(size_line)
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:  # trailers, then the empty line
                    line = await reader.readuntil(b"\r\n")
                    writer.write(line)
                    if line == b"\r\n":
                        return
            writer.write(await reader.readexactly(size + 2))
    elif b"content-length" in fields:
        left = int(fields[b"content-length"])
        while left:
            chunk = await reader.read(min(left, 1 << 16))
            if not chunk:
                raise asyncio.IncompleteReadError(b"", left)
            writer.write(chunk)
            left -= len(chunk)
    elif until_close:
        while chunk := await reader.read(1 << 16):
            writer.write(chunk)


class Proxy:
    def __init__(self, upstreams: list[str], latency_ms: float, concurrency_limit: int | None) -> None:
        self.upstreams = itertools.cycle([urlsplit(u) for u in upstreams])
        self.latency = latency_ms / 1000
        self.limit = concurrency_limit
        self.in_flight: Counter[bytes] = Counter()
        self.stats = Stats()

    async def serve_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        target = next(self.upstreams)
        loop = asyncio.get_running_loop()
        up: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while (head := await read_head(reader)) is not None:
                raw, headers = head
                method, path = raw.split(b" ", 2)[:2]
                if path.startswith(b"/_proxy/"):
                    await self.drain_body(reader, headers)
                    self.answer_admin(writer, method, path)
                    continue
                self.stats.requests += 1
                token = dict(headers).get(b"authorization") if path.startswith(API_PREFIX) else None
                if token is not None and self.limit is not None and self.in_flight[token] >= self.limit:
                    await self.drain_body(reader, headers)
                    self.stats.throttled += 1
                    self.stats.statuses[429] += 1
                    writer.write(b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: %d\r\n\r\n%s" % (len(TOO_MANY), TOO_MANY))
                    await writer.drain()
                    continue
                if token is not None:
                    self.in_flight[token] += 1
                    self.stats.max_in_flight = max(self.stats.max_in_flight, self.in_flight[token])
                arrived = loop.time()
                try:
                    if up is None:
                        up = await asyncio.open_connection(target.hostname, target.port)
                    if self.latency:
                        await asyncio.sleep(self.latency)
                    sent = loop.time()
                    keep = await self.forward(raw, headers, reader, up, writer)
                    done = loop.time()
                    self.stats.held_seconds += done - arrived
                    self.stats.upstream_seconds += done - sent
                finally:
                    if token is not None:  # released before the answer is flushed: no false 429 on a reused slot
                        self.in_flight[token] -= 1
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            if up is not None:
                up[1].close()

    async def forward(self, raw: bytes, headers: list[tuple[bytes, bytes]], reader: asyncio.StreamReader,
                      up: tuple[asyncio.StreamReader, asyncio.StreamWriter], writer: asyncio.StreamWriter) -> bool:
        """Send one request upstream and its answer back; False when the connection must end."""
        up_reader, up_writer = up
        up_writer.write(raw)
        await relay_body(reader, up_writer, headers, until_close=False)
        await up_writer.drain()
        answer = await read_head(up_reader)
        if answer is None:
            raise ConnectionError("the upstream closed the connection without answering")
        answer_raw, answer_headers = answer
        status = int(answer_raw.split(b" ", 2)[1])
        self.stats.statuses[status] += 1
        writer.write(answer_raw)
        fields = dict(answer_headers)
        framed = b"content-length" in fields or b"chunked" in fields.get(b"transfer-encoding", b"").lower()
        no_body = raw.startswith(b"HEAD ") or status in (204, 304) or 100 <= status < 200
        if not no_body:
            await relay_body(up_reader, writer, answer_headers, until_close=True)
        closes = fields.get(b"connection", b"").lower() == b"close" or dict(headers).get(b"connection") == b"close"
        return not closes and (framed or no_body)

    async def drain_body(self, reader: asyncio.StreamReader, headers: list[tuple[bytes, bytes]]) -> None:
        sink = Sink()
        await relay_body(reader, sink, headers, until_close=False)  # type: ignore[arg-type]

    def answer_admin(self, writer: asyncio.StreamWriter, method: bytes, path: bytes) -> None:
        if method == b"POST" and path == b"/_proxy/reset":
            self.stats.reset()
        body = json.dumps(self.stats.as_dict()).encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                     % (len(body), body))


class Sink:
    """Where the body of a refused request goes: read to keep the connection in step, then dropped."""

    def write(self, data: bytes) -> None:
        pass


async def serve(proxy: Proxy, host: str, port: int) -> None:
    server = await asyncio.start_server(proxy.serve_client, host, port)
    bound = server.sockets[0].getsockname()
    print(json.dumps({"base_url": f"http://{bound[0]}:{bound[1]}"}), flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.latency_proxy", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--upstream", action="append", required=True, help="http://host:port; repeat to balance")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--latency-ms", type=float, default=50.0)
    p.add_argument("--concurrency-limit", type=int, default=4, help="per access token; 0 = none")
    args = p.parse_args(argv)
    proxy = Proxy(args.upstream, args.latency_ms, args.concurrency_limit or None)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(proxy, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
