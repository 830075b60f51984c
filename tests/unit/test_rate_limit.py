"""The in-memory rate limits: per address and per conversation, a calendar minute each."""
from __future__ import annotations

import asyncio
from typing import List

from channels.rate_limit import Limits, MemoryRateLimiter, redis_url, too_many_messages_reply


class Clock:
    def __init__(self, now: float = 1_000_020.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def allowed(limiter: MemoryRateLimiter, address: str, conversation: str, times: int) -> List[bool]:
    return [asyncio.run(limiter.allow(address, conversation)) for _ in range(times)]


def test_a_conversation_over_its_limit_is_refused_and_others_are_not():
    limiter = MemoryRateLimiter(Limits(per_address=100, per_conversation=3), Clock())
    assert allowed(limiter, "10.0.0.1", "flood", 5) == [True, True, True, False, False]
    assert allowed(limiter, "10.0.0.1", "calm", 1) == [True]


def test_an_address_over_its_limit_is_refused_in_every_conversation():
    limiter = MemoryRateLimiter(Limits(per_address=4, per_conversation=100), Clock())
    assert allowed(limiter, "10.0.0.1", "a", 2) + allowed(limiter, "10.0.0.1", "b", 2) == [True] * 4
    assert allowed(limiter, "10.0.0.1", "c", 1) == [False]
    assert allowed(limiter, "10.0.0.2", "c", 1) == [True]


def test_new_connections_count_against_their_address():
    limiter = MemoryRateLimiter(Limits(per_address=3, per_conversation=100), Clock())
    assert [asyncio.run(limiter.allow_address("10.0.0.1")) for _ in range(2)] == [True, True]
    assert allowed(limiter, "10.0.0.1", "a", 2) == [True, False]
    assert asyncio.run(limiter.allow_address("10.0.0.2"))


def test_the_counts_start_afresh_the_next_minute():
    clock = Clock()
    limiter = MemoryRateLimiter(Limits(per_address=2, per_conversation=2), clock)
    assert allowed(limiter, "10.0.0.1", "a", 3) == [True, True, False]
    clock.now += 60
    assert allowed(limiter, "10.0.0.1", "a", 2) == [True, True]
    assert len(limiter.counts) == 2  # last minute's counts are gone


def test_refused_addresses_do_not_fill_memory_with_conversation_counts():
    limiter = MemoryRateLimiter(Limits(per_address=5, per_conversation=5), Clock())
    for index in range(1000):
        asyncio.run(limiter.allow("10.0.0.1", f"random-{index}"))
    assert len(limiter.counts) == 6  # one address, the five conversations let through


def test_redis_is_the_scale_out_lock_stores_unless_one_is_named(monkeypatch):
    for name in ("RATE_LIMIT_REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "REDIS_LOCK_DB"):
        monkeypatch.delenv(name, raising=False)
    assert redis_url() is None
    monkeypatch.setenv("REDIS_HOST", "redis")
    monkeypatch.setenv("REDIS_PASSWORD", "p@ss/word")
    monkeypatch.setenv("REDIS_LOCK_DB", "1")
    assert redis_url() == "redis://:p%40ss%2Fword@redis:6379/1"
    monkeypatch.setenv("RATE_LIMIT_REDIS_URL", "redis://other:6380/3")
    assert redis_url() == "redis://other:6380/3"


def test_the_refusal_is_kind_and_points_to_help():
    reply = too_many_messages_reply()
    assert "wait a minute" in reply and "qualified professional" in reply and "emergency" in reply
