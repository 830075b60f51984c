"""How many messages a client address and a conversation may send a minute.

- $RATE_LIMIT_PER_ADDRESS (default 60): messages and new Socket.IO
  connections a minute from one client address (a waiting room's shared
  Wi-Fi is one address).
- $RATE_LIMIT_PER_CONVERSATION (default 20): messages a minute in one
  conversation (a person types a few).

Counts are kept per calendar minute. One Rasa server counts in memory; several
share their counts in Redis: $RATE_LIMIT_REDIS_URL (e.g.
redis://:password@redis:6379/2), or, when unset, the Redis of the scale-out
lock store ($REDIS_HOST, $REDIS_PORT, $REDIS_PASSWORD, $REDIS_LOCK_DB, as in
endpoints.scale.yml) under keys starting `skinassistant:rate:`. If Redis cannot
be reached, messages are let through (and the failure logged): the assistant
stays available rather than refusing everyone.
"""
from __future__ import annotations

import logging
import os
import time
from typing import Callable, Dict, Optional, Tuple
from urllib.parse import quote

from redis import asyncio as redis_asyncio
from redis.exceptions import RedisError

from assistant.knowledge_base import knowledge_base

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
KEY_PREFIX = "skinassistant:rate"


class Limits:
    """The two limits, a minute each."""

    def __init__(self, per_address: int, per_conversation: int) -> None:
        self.per_address, self.per_conversation = per_address, per_conversation

    @classmethod
    def from_environment(cls) -> "Limits":
        return cls(int(os.environ.get("RATE_LIMIT_PER_ADDRESS", "60")),
                   int(os.environ.get("RATE_LIMIT_PER_CONVERSATION", "20")))


class MemoryRateLimiter:
    """Counts of the current minute, in this process."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.time) -> None:
        self.limits, self.clock = limits, clock
        self.window = -1
        self.counts: Dict[Tuple[str, str], int] = {}

    def _count(self, kind: str, key: str) -> int:
        window = int(self.clock() // WINDOW_SECONDS)
        if window != self.window:  # a new minute: forget the last one's counts
            self.window, self.counts = window, {}
        self.counts[kind, key] = self.counts.get((kind, key), 0) + 1
        return self.counts[kind, key]

    async def allow(self, address: str, conversation: str) -> bool:
        """Count one message; False when the address or the conversation is over its limit."""
        if not await self.allow_address(address):
            return False
        return self._count("conversation", conversation) <= self.limits.per_conversation

    async def allow_address(self, address: str) -> bool:
        """Count one request of the address (a message, or a new Socket.IO connection)."""
        return self._count("address", address) <= self.limits.per_address


class RedisRateLimiter:
    """Counts of the current minute in Redis, shared by every Rasa server using it."""

    def __init__(self, limits: Limits, url: str, clock: Callable[[], float] = time.time) -> None:
        self.limits, self.url, self.clock = limits, url, clock
        self.client: Optional[redis_asyncio.Redis] = None

    async def _count(self, kind: str, key: str) -> int:
        if self.client is None:  # created in the server's event loop
            self.client = redis_asyncio.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
        window = int(self.clock() // WINDOW_SECONDS)
        name = f"{KEY_PREFIX}:{kind}:{key}:{window}"
        async with self.client.pipeline(transaction=True) as pipe:
            count, _ = await pipe.incr(name).expire(name, 2 * WINDOW_SECONDS).execute()
        return int(count)

    async def allow(self, address: str, conversation: str) -> bool:
        """Count one message; False when the address or the conversation is over its limit."""
        if not await self.allow_address(address):
            return False
        return await self._within("conversation", conversation, self.limits.per_conversation)

    async def allow_address(self, address: str) -> bool:
        """Count one request of the address (a message, or a new Socket.IO connection)."""
        return await self._within("address", address, self.limits.per_address)

    async def _within(self, kind: str, key: str, limit: int) -> bool:
        try:
            return await self._count(kind, key) <= limit
        except (RedisError, OSError):
            logger.warning("Rate limits unavailable (Redis not reachable): request let through.")
            return True


def redis_url() -> Optional[str]:
    """$RATE_LIMIT_REDIS_URL, else the scale-out lock store's Redis, else None."""
    if os.environ.get("RATE_LIMIT_REDIS_URL"):
        return os.environ["RATE_LIMIT_REDIS_URL"]
    host = os.environ.get("REDIS_HOST")
    if not host:
        return None
    password = quote(os.environ.get("REDIS_PASSWORD", ""), safe="")
    port = os.environ.get("REDIS_PORT") or "6379"
    return f"redis://:{password}@{host}:{port}/{os.environ.get('REDIS_LOCK_DB') or '0'}"


RateLimiter = MemoryRateLimiter | RedisRateLimiter
_limiter: Optional[RateLimiter] = None


def rate_limiter() -> RateLimiter:
    """The process's rate limiter (Redis when configured), shared by both channels."""
    global _limiter
    if _limiter is None:
        url = redis_url()
        limits = Limits.from_environment()
        _limiter = RedisRateLimiter(limits, url) if url else MemoryRateLimiter(limits)
    return _limiter


def too_many_messages_reply() -> str:
    """The kind reply to a message over the limits (`too_many_messages` in the knowledge base's general.yml)."""
    return knowledge_base().general["too_many_messages"]
