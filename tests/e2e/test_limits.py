"""What one client may send: request size, sender ids, and rate limits shared by servers."""
from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from typing import List

import pytest
import requests

from harness import servers
from harness.servers import texts
from tests.socketio_raw import RawSocketIO

pytestmark = pytest.mark.e2e

PER_CONVERSATION, PER_ADDRESS = 4, 10
TOO_FAST = "faster than I can answer"


def stored_senders(db) -> set:
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}


def webhook(base_url: str, **kwargs) -> requests.Response:
    return requests.post(f"{base_url}/webhooks/rest/webhook", timeout=60, **kwargs)


def test_a_body_over_the_size_limit_is_refused_unread(rest, sender):
    huge = {"sender": sender, "message": "stretch marks " * 2000}
    response = webhook(rest.base_url, json=huge)
    assert response.status_code == 413 and "size limit" in response.text
    chunked = webhook(rest.base_url, data=(b"x" * 4096 for _ in range(100)),
                      headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    assert sender not in stored_senders(rest.db_path)
    assert "qualified professional" in texts(rest.send(sender, "I have stretch marks"))


@pytest.mark.parametrize("body", [
    {"sender": ["x"], "message": "hi"}, {"sender": 42, "message": "hi"}, {"sender": "", "message": "hi"},
    {"sender": "x" * 65, "message": "hi"}, {"sender": "a b", "message": "hi"}, {"sender": "../../etc", "message": "hi"},
    {"message": "hi"}, {"sender": "valid-id", "message": ["hi"]}, {"sender": "valid-id", "message": {"t": 1}},
])
def test_a_malformed_sender_or_message_gets_a_clean_400_and_nothing_is_stored(rest, body):
    before = stored_senders(rest.db_path)
    response = webhook(rest.base_url, json=body)
    assert response.status_code == 400 and "must be" in response.json()["error"]
    assert stored_senders(rest.db_path) == before


def test_client_metadata_is_not_stored(rest, sender):
    webhook(rest.base_url, json={"sender": sender, "message": "hello", "metadata": {"x": "y" * 100},
                                 "input_channel": "admin"})
    user = [e for e in rest.tracker(sender)["events"] if e["event"] == "user"]
    assert user and user[0]["input_channel"] == "rest" and "x" not in (user[0].get("metadata") or {})


async def socket_session(base_url: str, session: str, **headers: str) -> RawSocketIO:
    client = await RawSocketIO(base_url, headers).connect()
    await client.emit("session_request", {"session_id": session})
    assert await client.wait_for("session_confirm") == [session]
    return client


def test_a_socketio_message_over_the_size_limit_closes_the_connection_unprocessed(rest, sender):
    async def scenario() -> RawSocketIO:
        client = await socket_session(rest.base_url, sender)
        await client.emit("user_uttered", {"message": "stretch marks " * 2000, "session_id": sender})
        await client.settle(3)
        return client

    client = asyncio.run(scenario())
    assert client.closed and not client.of("bot_uttered")
    assert sender not in stored_senders(rest.db_path)


def test_a_socketio_connection_talks_in_its_own_conversation_only(rest, sender):
    other = f"other-{uuid.uuid4().hex[:8]}"

    async def scenario() -> RawSocketIO:
        client = await socket_session(rest.base_url, sender)
        await client.emit("user_uttered", {"message": "I have stretch marks", "session_id": other})
        await client.emit("user_uttered", "just a string")
        await client.emit("user_uttered", {"message": {"nested": True}, "session_id": sender})
        await client.emit("session_request", {"session_id": ["a", "list"]})
        await client.wait_for("refused", count=4)
        await client.emit("user_uttered", {"message": "I have stretch marks", "session_id": sender})
        await client.wait_for("bot_uttered")
        await client.settle(3)
        await client.close()
        return client

    client = asyncio.run(scenario())
    refusals = [data["error"] for data in client.of("refused")]
    assert len(refusals) == 4 and "another session" in refusals[0]
    assert any("qualified professional" in data["text"] for data in client.of("bot_uttered"))
    assert other not in stored_senders(rest.db_path) and sender in stored_senders(rest.db_path)


def test_a_malformed_socketio_packet_closes_the_connection_and_the_server_carries_on(rest, sender):
    async def scenario() -> List[bool]:
        closed = []
        for frame in (b"\xff\xfe\x00", "42[\xff", "42" + "[" * 5000, "42[]", "42"):
            client = await socket_session(rest.base_url, sender)
            await client.send_frame(frame)
            await client.settle(1)
            closed.append(client.closed)
            await client.close()
        return closed

    assert all(asyncio.run(scenario()))
    assert "qualified professional" in texts(rest.send(sender, "I have stretch marks"))


@pytest.fixture(scope="module")
def limited_pair(trained_model, action_port, postgres, redis_server, artifacts):
    """Two Rasa servers behind a (pretend) proxy, sharing Redis, with low rate limits."""
    env = servers.scale_out_env(action_port, postgres, redis_server)
    env.update(RATE_LIMIT_PER_CONVERSATION=str(PER_CONVERSATION), RATE_LIMIT_PER_ADDRESS=str(PER_ADDRESS),
               SANIC_PROXIES_COUNT="1")
    with servers.scale_out_servers(env, artifacts) as clients:
        yield clients


def within_one_minute_window(seconds: float = 25) -> str:
    """Wait until the current calendar minute has `seconds` left; a fresh client address."""
    if time.time() % 60 > 60 - seconds:
        time.sleep(60 - time.time() % 60 + 0.5)
    number = uuid.uuid4().int
    return f"10.{number % 250 + 1}.{number // 250 % 250 + 1}.{number // 62500 % 250 + 1}"  # never one used before


def send_from(client: servers.RestClient, address: str, sender: str, message: str = "hello") -> requests.Response:
    return webhook(client.base_url, json={"sender": sender, "message": message},
                   headers={"X-Forwarded-For": address})


def test_a_conversation_over_its_limit_is_refused_on_every_server(limited_pair, sender):
    address = within_one_minute_window()
    statuses = [send_from(limited_pair[turn % 2], address, sender).status_code for turn in range(PER_CONVERSATION + 2)]
    assert statuses == [200] * PER_CONVERSATION + [429, 429]
    refused = send_from(limited_pair[0], address, sender)
    assert refused.headers["Retry-After"] == "60" and TOO_FAST in texts(refused.json())
    user_turns = [e for e in limited_pair[1].tracker(sender)["events"] if e["event"] == "user"]
    assert len(user_turns) == PER_CONVERSATION
    assert send_from(limited_pair[1], address, f"{sender}-2").status_code == 200


def test_an_address_over_its_limit_is_refused_in_every_conversation_on_every_server(limited_pair):
    address = within_one_minute_window()
    senders = [f"addr-{uuid.uuid4().hex[:8]}" for _ in range(PER_ADDRESS + 2)]
    statuses = [send_from(limited_pair[i % 2], address, s).status_code for i, s in enumerate(senders)]
    assert statuses == [200] * PER_ADDRESS + [429, 429]
    assert send_from(limited_pair[0], "203.0.113.7", senders[-1]).status_code == 200  # another visitor


def test_socketio_over_the_limit_gets_a_kind_reply_and_the_limit_is_shared(limited_pair, sender):
    address = within_one_minute_window()

    async def scenario() -> RawSocketIO:
        client = await socket_session(limited_pair[0].base_url, sender, **{"X-Forwarded-For": address})
        for _ in range(PER_CONVERSATION + 1):
            await client.emit("user_uttered", {"message": "hello", "session_id": sender})
        await client.wait_for("bot_uttered", count=PER_CONVERSATION + 1)
        await client.settle(2)
        await client.close()
        return client

    client = asyncio.run(scenario())
    replies = [data["text"] for data in client.of("bot_uttered")]
    assert sum(TOO_FAST in reply for reply in replies) == 1
    assert "qualified professional" in next(reply for reply in replies if TOO_FAST in reply)
    assert send_from(limited_pair[1], address, sender).status_code == 429


def test_socketio_connections_count_against_their_address(limited_pair):
    address = within_one_minute_window()

    async def scenario() -> List[bool]:
        connected = []
        for index in range(PER_ADDRESS + 1):
            client = await RawSocketIO(limited_pair[index % 2].base_url, {"X-Forwarded-For": address}).connect()
            connected.append(client.connected)
            await client.close()
        return connected

    assert asyncio.run(scenario()) == [True] * PER_ADDRESS + [False]
    assert send_from(limited_pair[0], address, f"conn-{uuid.uuid4().hex[:8]}").status_code == 429
