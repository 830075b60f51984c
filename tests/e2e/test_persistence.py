"""Conversations are stored in SQLite and survive a Rasa server restart."""
from __future__ import annotations

import sqlite3
import uuid

import pytest

from harness import servers

pytestmark = pytest.mark.e2e


def test_a_conversation_survives_a_server_restart(trained_model, action_port, artifacts, tmp_path, sender):
    db = tmp_path / "conversations.db"
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port, db)
    token = uuid.uuid4().hex
    port = servers.free_port()
    client = servers.RestClient(f"http://127.0.0.1:{port}", token)

    first = servers.rasa_server(port, endpoints, artifacts, token).start()
    try:
        client.send(sender, "I have stretch marks on my belly")
        before = client.tracker(sender)
    finally:
        first.stop()

    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
    assert stored == len(before["events"])

    second = servers.rasa_server(port, endpoints, artifacts, token).start()
    try:
        after = client.tracker(sender)
        assert after["slots"]["concern"] == ["stretch_marks"]
        assert [e["event"] for e in after["events"]] == [e["event"] for e in before["events"]]
        replies = client.send(sender, "and what about wrinkles?")
        assert "qualified professional" in servers.texts(replies)
        assert len(client.tracker(sender)["events"]) > len(before["events"])
    finally:
        second.stop()
