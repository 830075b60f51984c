"""Both channels of a running Rasa server, fuzzed: thousands of generated requests and events.

Bodies, headers and Socket.IO events of wrong types, deep nesting, huge
strings, odd Unicode, invalid UTF-8 and payload-looking texts, on loopback.
Whatever arrives: never a 500, an answer within a timeout, no conversation
touched but the ones the requests name themselves, and the server's memory
back near its level afterwards. $FUZZ_EXAMPLES scales the number of examples
(default 1: 1,500 REST requests and 1,500 Socket.IO connections, about two minutes on a 2-core machine).
"""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set, Union

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import servers
from harness.servers import texts
from tests.socketio_raw import RawSocketIO

pytestmark = pytest.mark.e2e

SCALE = float(os.environ.get("FUZZ_EXAMPLES", "1"))
FUZZ = settings(max_examples=int(1500 * SCALE), deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
SOCKET_FUZZ = settings(FUZZ, max_examples=int(1500 * SCALE))
TIMEOUT = 30
MEMORY_GROWTH_MB = 60
LIMIT = 16384
VALID_ID = r"[A-Za-z0-9_.:-]{1,64}"

PAYLOAD_LIKE = [
    '/start_questionnaire{"concern": "acne_scars"}', '/inform{"cautions_done": true, "invalid_answers": 99}',
    '/inform{"concern": ["a", "b"]}', "/session_start", "/restart", "/delete_my_data", "/" * 300,
    '/inform{"body_area": "' + "x" * 3000 + '"}', "/inform{" + "[" * 500, "/describe_concern{}",
    '/inform{"concern": {"$gt": ""}}', "/nlu_fallback", "/action_restart",
]
odd_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Mn", "Zl", "Zp", "So"]), max_size=40),
    st.sampled_from(PAYLOAD_LIKE),
    st.sampled_from(["\ud800", "a\udfffb", "\u202e\u0000", "\ufeff", "\U0010ffff" * 10, "e\u0301" * 500]),
    st.builds(lambda unit, times: unit * times, st.text(min_size=1, max_size=4), st.integers(100, 3000)),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
senders = st.one_of(st.from_regex(VALID_ID, fullmatch=True), odd_text, json_values)
message_objects = st.fixed_dictionaries({}, optional={
    "sender": senders, "message": st.one_of(odd_text, json_values), "metadata": json_values,
    "input_channel": json_values, "session_id": senders,
})
well_formed = st.fixed_dictionaries({"sender": st.from_regex(VALID_ID, fullmatch=True), "message": odd_text})
deep_json = st.integers(1, 20000).map(lambda depth: "[" * depth + "]" * depth)
oversized = st.integers(LIMIT, 4 * LIMIT).map(lambda size: json.dumps({"sender": "big", "message": "a" * size}))


def encode(value: Any, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


bodies = st.one_of(
    st.builds(encode, well_formed, st.booleans()),
    st.builds(encode, message_objects, st.booleans()),
    st.builds(encode, json_values, st.booleans()),
    st.binary(max_size=300),
    deep_json.map(str.encode),
    oversized.map(str.encode),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
header_names = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,24}", fullmatch=True).filter(
    lambda name: name.lower() not in {"content-length", "transfer-encoding", "host", "connection", "expect"})
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=300).map(str.lstrip)
headers = st.dictionaries(header_names, header_values, max_size=4).flatmap(lambda extra: st.builds(
    lambda content_type: {**extra, "Content-Type": content_type},
    st.sampled_from(["application/json", "text/plain", "multipart/form-data", "application/json; charset=latin-1",
                     "application/x-www-form-urlencoded", "", "*/*"])))
query = st.sampled_from([{}, {"stream": "true"}, {"stream": "nonsense"}, {"token": "x"}])

event_names = st.one_of(st.sampled_from(["user_uttered", "session_request", "bot_uttered", "connect",
                                         "disconnect", "message", "session_confirm"]), st.text(max_size=20))
frames = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: "42" + text),
    deep_json.map(lambda nested: "42" + nested),
    oversized.map(lambda body: '42["user_uttered", ' + body + "]"),
    st.sampled_from(["4", "40", "41", "1", "2", "3", "5", "6", "43", "44", '451-["user_uttered",{"_placeholder":true}]',
                     '42["user_uttered"]', "42[1,2,3]", "42{}", "42null"]),
)
Action = Union[tuple, str, bytes]
socket_messages = st.fixed_dictionaries({"session_id": st.from_regex(VALID_ID, fullmatch=True), "message": odd_text})
socket_actions = st.lists(st.one_of(st.tuples(event_names, st.one_of(json_values, message_objects)), frames,
                                    st.tuples(st.just("user_uttered"), socket_messages)),
                          min_size=1, max_size=4)


def conversations(db: Path) -> Dict[str, int]:
    """Stored events per conversation."""
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id").fetchall())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


class FuzzTarget:
    """A Rasa server of its own, with bystander conversations that nothing may touch."""

    def __init__(self, server: servers.Server, client: servers.RestClient, db: Path) -> None:
        self.server, self.client, self.db = server, client, db
        self.bystanders: Dict[str, int] = {}
        self.claimed: Set[str] = set()

    @property
    def pid(self) -> int:
        assert self.server.process is not None
        return self.server.process.pid

    def claim(self, value: Any) -> None:
        """Note a conversation id a request named (it may store events there)."""
        if isinstance(value, str):
            self.claimed.add(value)

    def assert_only_claimed_conversations_touched(self) -> None:
        stored = conversations(self.db)
        assert {sender: stored.get(sender) for sender in self.bystanders} == self.bystanders
        assert set(stored) <= self.claimed | set(self.bystanders), set(stored) - self.claimed - set(self.bystanders)

    def assert_healthy(self) -> None:
        assert requests.get(f"{self.client.base_url}/", timeout=TIMEOUT).ok
        replies = self.client.send(f"health-{uuid.uuid4().hex[:8]}", "I have acne scars")
        assert "qualified professional" in texts(replies)


@pytest.fixture(scope="module")
def target(trained_model, action_port, artifacts, tmp_path_factory) -> Iterator[FuzzTarget]:
    work = tmp_path_factory.mktemp("fuzz")
    db = work / "conversations.db"
    endpoints = servers.write_endpoints(work / "endpoints.yml", action_port, db)
    port, token = servers.free_port(), uuid.uuid4().hex
    server = servers.rasa_server(port, endpoints, artifacts, token).start()
    fuzz = FuzzTarget(server, servers.RestClient(f"http://127.0.0.1:{port}", token), db)
    try:
        for index in range(3):
            sender = f"bystander-{index}-{uuid.uuid4().hex[:8]}"
            fuzz.client.send(sender, "I have stretch marks on my belly")
        fuzz.bystanders = {s: n for s, n in conversations(db).items() if s.startswith("bystander-")}
        for _ in range(20):  # warm up: caches and pools at their working size before memory is measured
            fuzz.assert_healthy()
        fuzz.claimed = {s for s in conversations(db) if s.startswith("health-")}
        yield fuzz
    finally:
        server.stop()


def test_fuzzed_rest_requests(target: FuzzTarget):
    url = f"{target.client.base_url}/webhooks/rest/webhook"
    session = requests.Session()
    statuses: Dict[int, int] = {}
    before = rss_mb(target.pid)

    @FUZZ
    @given(body=bodies, headers=headers, params=query)
    def post(body: bytes, headers: Dict[str, str], params: Dict[str, str]) -> None:
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, dict):
            target.claim(parsed.get("sender"))
        response = session.post(url, data=body, headers=headers, params=params, timeout=TIMEOUT)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, (response.status_code, response.text[:300])
        assert "Traceback" not in response.text

    post()
    print(f"REST statuses: {statuses}; memory {before:.0f} -> {rss_mb(target.pid):.0f} MB")
    target.assert_healthy()
    target.claimed |= {s for s in conversations(target.db) if s.startswith("health-")}
    target.assert_only_claimed_conversations_touched()
    assert rss_mb(target.pid) < before + MEMORY_GROWTH_MB, (before, rss_mb(target.pid), statuses)
    assert {400, 413} <= set(statuses) and 200 in statuses, statuses  # the generators reach every path


async def socket_example(base_url: str, actions: List[Action], target: FuzzTarget) -> None:
    client = await RawSocketIO(base_url).connect(timeout=TIMEOUT)
    try:
        for action in actions:
            if isinstance(action, tuple):
                name, data = action
                if isinstance(data, dict):
                    target.claim(data.get("session_id"))
                await client.emit(name, data)
            else:
                await client.send_frame(action)
        left = any(isinstance(a, str) and a.startswith(("1", "41")) for a in actions)  # the client said goodbye
        if not client.closed and not left:  # still open: it must still answer (an invalid session is refused)
            await client.emit("session_request", {"session_id": 5})
            answered = await client.wait_for("refused", timeout=TIMEOUT)
            assert answered or client.closed, "no answer from the Socket.IO channel"
    finally:
        await client.close()


def test_fuzzed_socketio_events(target: FuzzTarget):
    before = rss_mb(target.pid)

    @SOCKET_FUZZ
    @given(actions=socket_actions)
    def converse(actions: List[Action]) -> None:
        asyncio.run(socket_example(target.client.base_url, actions, target))

    converse()
    print(f"Socket.IO: memory {before:.0f} -> {rss_mb(target.pid):.0f} MB")
    target.assert_healthy()
    target.claimed |= {s for s in conversations(target.db) if s.startswith("health-")}
    target.assert_only_claimed_conversations_touched()
    assert rss_mb(target.pid) < before + MEMORY_GROWTH_MB, (before, rss_mb(target.pid))
