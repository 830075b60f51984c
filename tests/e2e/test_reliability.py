"""Faults, bad input and concurrent visitors, against real servers."""
from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import socketio

from harness import servers
from harness.servers import texts

pytestmark = pytest.mark.e2e

BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "3000 characters (over the message limit, under the request limit)": "stretch marks " * 215,
    "control characters": "stretch\x00\x07 marks\x1b[31m",
    "emoji only": "😀😭💀🙈",
    "right to left": "لدي ندبات حب الشباب",
    "other language": "Tengo manchas oscuras en la cara",
    "html and script": "<img src=x onerror=alert(1)><script>alert('x')</script>",
    "sql": "'; DROP TABLE events; --",
    "typed payload setting a slot": '/inform{"concern": "<script>alert(1)</script>"}',
    "typed internal intent": "/session_start",
    "typed payload setting an internal slot": '/inform{"cautions_done": true, "invalid_answers": 99}',
    "nonsense": "flibber jabberwock zzzz",
}


def assert_kind_reply(replies):
    assert replies, "no reply"
    body = texts(replies)
    assert body.strip() and "Traceback" not in body and "Error" not in body


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_over_rest_gets_a_kind_reply(rest, sender, name):
    assert_kind_reply(rest.send(sender, BAD_INPUTS[name]))
    concern = rest.slot(sender, "concern")
    assert concern in (None, ["stretch_marks"]), concern
    assert rest.slot(sender, "cautions_done") is None and rest.slot(sender, "invalid_answers") == 0
    assert requests.get(f"{rest.base_url}/", timeout=5).ok


@pytest.mark.parametrize("body", ['{"sender": "x", "message": ', "not json at all", '["a", "list"]', ""])
def test_malformed_json_bodies_get_a_clean_4xx(rest, body):
    response = requests.post(f"{rest.base_url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert requests.get(f"{rest.base_url}/", timeout=5).ok


def test_bad_input_over_socketio_gets_a_kind_reply(rest, web_origin):
    replies = []
    client = socketio.Client()
    client.on("bot_uttered", lambda data: replies.append(data))
    client.connect(rest.base_url, headers={"Origin": web_origin}, transports=["polling"], wait_timeout=10)
    try:
        session = f"sio-{uuid.uuid4().hex[:8]}"
        client.emit("session_request", {"session_id": session})
        for name, text in BAD_INPUTS.items():
            before = len(replies)
            client.emit("user_uttered", {"message": text, "session_id": session})
            deadline = time.monotonic() + 30
            while len(replies) == before:
                assert time.monotonic() < deadline, f"no reply to {name}"
                time.sleep(0.1)
            time.sleep(0.5)  # let the rest of this turn's messages arrive
            assert all("Traceback" not in (r.get("text") or "") for r in replies[before:]), name
    finally:
        client.disconnect()
    assert rest.slot(session, "concern") in (None, ["stretch_marks"])


def test_a_restart_mid_questionnaire_resumes_where_it_was(trained_model, action_port, artifacts, tmp_path, sender):
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port, tmp_path / "conversations.db")
    port, token = servers.free_port(), uuid.uuid4().hex
    client = servers.RestClient(f"http://127.0.0.1:{port}", token)
    first = servers.rasa_server(port, endpoints, artifacts, token).start()
    try:
        client.send(sender, "I have stretch marks on my hips")
        client.send(sender, "yes")
        client.send(sender, '/inform{"body_area": "thighs"}')
    finally:
        first.stop()
    second = servers.rasa_server(port, endpoints, artifacts, token).start()
    try:
        assert client.tracker(sender)["slots"]["requested_slot"] == "duration"
        assert "darker mark" in texts(client.send(sender, "about two years"))
        client.send(sender, '/inform{"skin_reaction": "sometimes"}')
        client.send(sender, '/inform{"treatment": "creams"}')
        final = texts(client.send(sender, "none of these"))
        assert "- Where: Thighs or hips" in final and "- How long: about two years" in final
    finally:
        second.stop()


class SlowActionServer(BaseHTTPRequestHandler):
    """An action server that hangs, as a stuck one would."""

    def do_POST(self):  # noqa: N802
        time.sleep(30)

    def log_message(self, *args):
        pass


def test_action_server_down_or_slow_gets_a_kind_reply_and_recovers(trained_model, artifacts, tmp_path, sender, kb):
    action_port = servers.free_port()
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port, tmp_path / "conversations.db")
    port, token = servers.free_port(), uuid.uuid4().hex
    rasa = servers.rasa_server(port, endpoints, artifacts, token)
    rasa.env["ACTION_TIMEOUT"] = "3"
    rasa.start()
    client = servers.RestClient(f"http://127.0.0.1:{port}", token)
    try:
        actions = servers.action_server(action_port, artifacts).start()
        assert "Before we start" in texts(client.send(sender, "hello"))
        actions.stop()
        # a new visitor during the outage: the kind reply carries the emergency numbers
        newcomer = texts(client.send("newcomer-" + sender, "my lips are swelling"))
        assert newcomer == kb.general["trouble"] and "911" in newcomer and "988" in newcomer
        # down: nothing listens on the action port
        replies = client.send(sender, "I have acne scars")
        assert kb.general["trouble"] in texts(replies) and "qualified professional" in texts(replies)
        # red flags and fixed replies need no action server
        answer = texts(client.send(sender, "my lips are swelling and I can't breathe"))
        assert "or your local emergency number, now" in answer
        # slow: the action server accepts but never answers; the timeout answers for it
        slow = ThreadingHTTPServer(("127.0.0.1", action_port), SlowActionServer)
        threading.Thread(target=slow.serve_forever, daemon=True).start()
        started = time.monotonic()
        assert kb.general["trouble"] in texts(client.send(sender, "I have wrinkles"))
        assert time.monotonic() - started < 15
        slow.shutdown()
        slow.server_close()
        # recovery: the real action server comes back on the same port
        actions = servers.action_server(action_port, artifacts).start()
        try:
            assert "Fine lines and wrinkles:" in texts(client.send(sender, "I have wrinkles"))
        finally:
            actions.stop()
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).ok
    finally:
        rasa.stop()


CONCERN_MESSAGES = {
    "acne_scars": "I have acne scars", "scars": "I have a scar from surgery", "stretch_marks": "I have stretch marks",
    "hyperpigmentation": "I have dark spots", "wrinkles": "I have wrinkles", "loose_skin": "I have sagging skin",
    "texture_tone": "I have enlarged pores",
}
AREAS = ["face", "neck", "chest", "arms", "abdomen", "thighs", "back"]


def visit(rest, index):
    """One visitor's 20 turns; returns (sender, concern, area, errors)."""
    concern = sorted(CONCERN_MESSAGES)[index % 7]
    area = AREAS[index % len(AREAS)]
    sender = f"load-{index}-{uuid.uuid4().hex[:6]}"
    turns = ["hi", CONCERN_MESSAGES[concern], "yes", f'/inform{{"body_area": "{area}"}}', "about 3 years",
             '/inform{"skin_reaction": "rarely"}', '/inform{"treatment": "none"}', '/inform{"caution": "none"}',
             "does it hurt?", "how many sessions do I need", "what is the downtime", "what are the side effects",
             "how much does it cost", "who should do it", "can I use a dermaroller at home", "show my summary",
             "thanks", "are you a bot?", "what can you do?", "show my summary"]
    errors, last = [], []
    for turn in turns:
        try:
            last = rest.send(sender, turn)
            if not last:
                errors.append(f"no reply to {turn!r}")
        except Exception as error:  # counted, not raised: the test reports them all
            errors.append(f"{turn!r}: {error}")
    return sender, concern, area, errors, texts(last)


def test_fifty_concurrent_visitors_twenty_turns_each(rest, kb):
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda i: visit(rest, i), range(50)))
    errors = [e for r in results for e in r[3]]
    assert errors == []
    for sender, concern, area, _, summary in results:
        assert f"- Concern: {kb.get(concern).name}" in summary, (sender, summary)
        assert f"- Where: {kb.option('body_area', area).title}" in summary
        slots = rest.tracker(sender)["slots"]
        assert slots["concern"] == [concern] and slots["body_area"] == area


def test_the_server_keeps_its_loaded_model_out_of_the_garbage_collectors_way(rest):
    log = rest.log_paths[0].read_text(encoding="utf-8", errors="replace")
    frozen = [int(line.split("Moved ")[1].split()[0]) for line in log.splitlines() if "start-up objects" in line]
    assert frozen and frozen[-1] > 100_000, "gc.freeze() did not run after the server started"
