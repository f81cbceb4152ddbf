#!/usr/bin/env python3
"""Holds many live update streams (GET /api/events) open, as many browsers would, and
measures when each event arrives. Used by the load test (crates/server/tests/api/load.rs,
PARTNER_LOAD_STREAMS) so that the streams' clients run in a process of their own, apart from
the server whose memory is measured.

    streams.py URL COOKIE_NAME TOKENS_FILE

Opens one stream per token (one per line) and prints "ready OPENED FAILED" once every stream
has answered. Then it reads events until its stdin closes, reads the change times the test
wrote (the path on the line it sent, a JSON object id -> Unix seconds) and prints one JSON
line: the streams, events, resyncs, streams that ended early, and the delivery latency from
each change's record to its arrival here (p50, p99, max, over every delivery).
"""

import asyncio
import json
import sys
import time
from urllib.parse import urlparse


class Stream:
    def __init__(self):
        self.arrivals = []  # (change id, arrival time)
        self.resyncs = 0
        self.ended = False
        self.status = None


async def read_chunked(reader):
    """Yields the body's chunks (HTTP/1.1 chunked transfer encoding)."""
    while True:
        size_line = await reader.readline()
        if not size_line:
            return
        size = int(size_line.strip().split(b";")[0] or b"0", 16)
        if size == 0:
            return
        data = await reader.readexactly(size)
        await reader.readexactly(2)
        yield data


async def hold(url, cookie, token, stream, opened):
    try:
        reader, writer = await asyncio.open_connection(url.hostname, url.port)
        writer.write(
            (
                f"GET /api/events HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\n"
                f"Cookie: {cookie}={token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await reader.readline()
        stream.status = int(status.split()[1])
        chunked = False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"transfer-encoding:") and b"chunked" in line.lower():
                chunked = True
        opened.release()
        if stream.status != 200:
            stream.ended = True
            return
        buffer = b""
        body = read_chunked(reader) if chunked else iter_raw(reader)
        async for data in body:
            buffer += data
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                event_id = None
                payload = None
                for line in block.split(b"\n"):
                    if line.startswith(b"id:"):
                        event_id = int(line[3:].strip())
                    elif line.startswith(b"data:"):
                        payload = line[5:].strip()
                if payload is None:
                    continue
                now = time.time()
                if b'"resync"' in payload:
                    stream.resyncs += 1
                if event_id is not None:
                    stream.arrivals.append((event_id, now))
        stream.ended = True
    except (OSError, asyncio.IncompleteReadError, ValueError):
        if stream.status is None:
            opened.release()
        stream.ended = True


async def iter_raw(reader):
    while True:
        data = await reader.read(65536)
        if not data:
            return
        yield data


def percentile(values, share):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


async def main():
    url = urlparse(sys.argv[1])
    cookie = sys.argv[2]
    with open(sys.argv[3]) as tokens_file:
        tokens = [line.strip() for line in tokens_file if line.strip()]
    streams = [Stream() for _ in tokens]
    opened = asyncio.Semaphore(0)
    tasks = [
        asyncio.create_task(hold(url, cookie, token, stream, opened))
        for token, stream in zip(tokens, streams)
    ]
    for _ in tokens:
        await opened.acquire()
    failed = sum(1 for s in streams if s.status != 200)
    print(f"ready {len(tokens) - failed} {failed}", flush=True)

    loop = asyncio.get_running_loop()
    line = await loop.run_in_executor(None, sys.stdin.readline)
    ended_early = sum(1 for s in streams if s.ended and s.status == 200)
    times = {}
    if line.strip():
        with open(line.strip()) as at_file:
            times = {int(k): v for k, v in json.load(at_file).items()}
    for task in tasks:
        task.cancel()
    latencies = [
        (arrived - times[event_id]) * 1000.0
        for s in streams
        for event_id, arrived in s.arrivals
        if event_id in times
    ]
    print(
        json.dumps(
            {
                "streams": len(tokens),
                "opened": len(tokens) - failed,
                "failed": failed,
                "ended_early": ended_early,
                "deliveries": sum(len(s.arrivals) for s in streams),
                "resyncs": sum(s.resyncs for s in streams),
                "streams_with_events": sum(1 for s in streams if s.arrivals),
                "p50_ms": percentile(latencies, 0.50),
                "p99_ms": percentile(latencies, 0.99),
                "max_ms": max(latencies) if latencies else None,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main())
