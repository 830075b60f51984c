"""A Socket.IO connection over a bare WebSocket, speaking engine.io v4 frames itself.

The installed python-socketio client (5.9.0) has no working WebSocket transport
here (its engine.io client needs a newer aiohttp, and websocket-client is not
installed); this one also sends what no well-behaved client would: any frame,
text or binary.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any, List, Optional, Tuple, Union

from websockets.client import connect
from websockets.exceptions import ConnectionClosed

Event = Tuple[str, Any]


class RawSocketIO:
    """One connection to a Socket.IO server's default namespace."""

    def __init__(self, base_url: str, headers: Optional[dict] = None) -> None:
        self.url = base_url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.headers = headers or {}
        self.ws: Any = None
        self.events: List[Event] = []
        self.closed = False

    async def connect(self, timeout: float = 10) -> "RawSocketIO":
        self.ws = await connect(self.url, extra_headers=self.headers, max_size=None,
                                           open_timeout=timeout, close_timeout=2)
        opening = await asyncio.wait_for(self.ws.recv(), timeout)
        assert str(opening).startswith("0{"), opening
        await self.ws.send("40")
        while not any(name == "connected" for name, _ in self.events) and not self.closed:
            await self._receive(timeout)
        return self

    @property
    def connected(self) -> bool:
        return any(name == "connected" for name, _ in self.events) and not self.closed

    async def emit(self, event: str, data: Any = None) -> None:
        await self.send_frame("42" + json.dumps([event] if data is None else [event, data]))

    async def send_frame(self, frame: Union[str, bytes]) -> None:
        """Send one WebSocket frame as it is (closed connections are noted, not raised)."""
        try:
            await self.ws.send(frame)
        except ConnectionClosed:
            self.closed = True

    async def _receive(self, timeout: float) -> None:
        try:
            frame = await asyncio.wait_for(self.ws.recv(), timeout)
        except ConnectionClosed:
            self.closed = True
            return
        if frame == "2":  # engine.io ping
            await self.send_frame("3")
        elif isinstance(frame, str) and frame.startswith("40"):
            self.events.append(("connected", frame[2:]))
        elif isinstance(frame, str) and frame.startswith("42"):
            name, *args = json.loads(frame[2:])
            self.events.append((name, args[0] if args else None))
        elif frame == "1" or (isinstance(frame, str) and frame.startswith(("41", "44"))):  # closed or refused
            self.closed = True

    async def wait_for(self, name: str, count: int = 1, timeout: float = 30) -> List[Any]:
        """The data of the first `count` events called `name`, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.of(name)) < count and not self.closed and time.monotonic() < deadline:
            try:
                await self._receive(max(0.05, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                break
        return self.of(name)

    async def settle(self, seconds: float) -> None:
        """Keep receiving for `seconds` (answering pings)."""
        deadline = time.monotonic() + seconds
        while not self.closed and time.monotonic() < deadline:
            try:
                await self._receive(max(0.05, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                break

    def of(self, name: str) -> List[Any]:
        return [data for event, data in self.events if event == name]

    async def close(self) -> None:
        """Close the connection; one the server already dropped (a hostile frame) is closed too."""
        if self.ws is not None:
            try:
                await self.ws.close()
            except ConnectionClosed:
                pass
