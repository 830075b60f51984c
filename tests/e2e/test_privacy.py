"""Privacy: the notice, deletion on request, retention, and no health data in logs.

Each is checked against the real store: SQLite (the default) and PostgreSQL.
"""
from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import time
import uuid

import pytest
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.tracker_store import PrivacySQLTrackerStore
from harness import servers

pytestmark = pytest.mark.e2e


def sqlite_events(db, sender) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_the_first_reply_is_the_privacy_notice(rest, sender, kb):
    replies = rest.send(sender, "hello")
    notice = replies[0]["text"]
    assert "not a diagnosis" in notice and "30 days" in notice and "delete my data" in notice
    assert "Before we start" not in servers.texts(rest.send(sender, "thanks"))


@pytest.mark.parametrize("how", ["delete my data", "/delete_my_data"])
def test_delete_my_data_removes_the_conversation_from_the_store(rest, sender, how):
    rest.send(sender, "I have stretch marks on my belly")
    rest.send(sender, "start the questions")
    rest.send(sender, '/inform{"body_area": "abdomen"}')
    assert sqlite_events(rest.db_path, sender) > 10
    replies = rest.send(sender, how)
    assert "have been deleted" in servers.texts(replies)
    assert sqlite_events(rest.db_path, sender) == 0
    # the visitor starts afresh, with no trace of the earlier answers
    again = rest.send(sender, "show my summary")
    assert again[0]["text"].startswith("Before we start")
    assert rest.slot(sender, "concern") is None and rest.slot(sender, "body_area") is None


def stored_bytes(db) -> bytes:
    """Everything SQLite holds on disk for a database: the file and its write-ahead log."""
    return b"".join(path.read_bytes() for path in db.parent.glob(db.name + "*"))


def test_deleted_words_are_gone_from_the_files_on_disk(rest, sender):
    marker = f"zq{uuid.uuid4().hex[:10]}"
    rest.send(sender, f"I have a rash, my name is {marker}")
    assert marker.encode() in stored_bytes(rest.db_path)
    rest.send(sender, "delete my data")
    assert marker.encode() not in stored_bytes(rest.db_path)


def test_the_summary_offers_a_delete_button(rest, sender):
    rest.send(sender, "I have wrinkles")
    replies = rest.send(sender, "show my summary")
    rest.send(sender, "start the questions")
    rest.send(sender, '/inform{"body_area": "face"}')
    replies = rest.send(sender, "show my summary")
    summary = next(r for r in replies if r.get("text", "").startswith("Summary to show"))
    assert "- Where: Face" in summary["text"]
    assert {"title": "Delete my data", "payload": "/delete_my_data"} in summary["buttons"]
    # the questionnaire then resumes where it was
    assert replies[-1]["text"].startswith("How long have you had it?")


def test_messages_and_slot_values_are_not_written_to_logs(rest, sender):
    marker = f"zebracorn{uuid.uuid4().hex[:8]}"
    rest.send(sender, f"I have acne scars and my name is {marker}")
    rest.send(sender, "start the questions")
    rest.send(sender, '/inform{"body_area": "face"}')
    rest.send(sender, f"since {marker} was born, about 3 years")
    assert marker in str(rest.tracker(sender))  # it was stored ...
    time.sleep(1)
    for log in rest.log_paths:  # ... but never logged
        assert marker not in log.read_text(encoding="utf-8", errors="replace"), log.name


def test_delete_my_data_with_postgresql(postgres, trained_model, action_port, artifacts, tmp_path, sender):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
                         + postgres.tracker_store_yaml())
    port, token = servers.free_port(), uuid.uuid4().hex
    server = servers.rasa_server(port, endpoints, artifacts, token).start()
    try:
        client = servers.RestClient(f"http://127.0.0.1:{port}", token)
        client.send(sender, "I'm pregnant, can I get microneedling?")
        client.send(sender, "I have melasma")
        assert postgres.count_events(sender) > 5
        assert "have been deleted" in servers.texts(client.send(sender, "delete my data"))
        assert postgres.count_events(sender) == 0
    finally:
        server.stop()


def _store_conversation(store: PrivacySQLTrackerStore, sender: str, days_ago: float) -> None:
    when = time.time() - days_ago * 86400
    events = [UserUttered("I have stretch marks", timestamp=when),
              ActionExecuted("action_concern_info", timestamp=when),
              SlotSet("concern", ["stretch_marks"], timestamp=when)]
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def _purge(endpoints, days="30"):
    result = subprocess.run(
        [str(servers.VENV_BIN / "python"), "-m", "privacy.purge", "--days", days, "--endpoints", str(endpoints)],
        cwd=servers.ROOT, env=servers.server_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_retention_purges_old_sqlite_conversations(tmp_path):
    db = tmp_path / "conversations.db"
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", 5055, db)
    store = PrivacySQLTrackerStore(dialect="sqlite", db=str(db))
    _store_conversation(store, "old-visitor", days_ago=45)
    _store_conversation(store, "recent-visitor", days_ago=2)
    assert "Deleted 1 conversation(s) older than 30 days." in _purge(endpoints)
    assert sqlite_events(db, "old-visitor") == 0 and sqlite_events(db, "recent-visitor") == 3
    assert "Deleted 1 conversation(s)" in _purge(endpoints, days="1")
    assert sqlite_events(db, "recent-visitor") == 0


def test_retention_purges_old_postgresql_conversations(postgres, tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(postgres.tracker_store_yaml())
    store = PrivacySQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=postgres.port, db=postgres.database,
                                   username=postgres.user, password=postgres.password)
    _store_conversation(store, "pg-old", days_ago=31)
    _store_conversation(store, "pg-recent", days_ago=29)
    _purge(endpoints)
    assert postgres.count_events("pg-old") == 0 and postgres.count_events("pg-recent") == 3
