"""Read the stored conversations of the retention window from the tracker store.

The store is the one of an endpoints file (SQLite or PostgreSQL, through
SQLAlchemy, as `make purge` reads it). A conversation here is one session:
it begins with Rasa's `session_started` event, and counts only when the
visitor wrote at least one message, and only when that first message was
written within the window (a conversation is counted whole or not at all).
Conversation ids are used to group events and then dropped: nothing
returned carries them.
"""
from __future__ import annotations

import argparse
import json
import time
import warnings
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

import sqlalchemy as sa

from assistant.privacy import retention_days
from privacy.purge import store_from_endpoints

Event = Dict[str, Any]
BATCH = 1000


@dataclass
class Conversation:
    """One session's events, oldest first, each with its `timestamp`."""

    events: List[Event] = field(default_factory=list)

    def user_messages(self) -> List[Event]:
        """The visitor's messages (typed or sent by a button)."""
        return [e for e in self.events if e.get("event") == "user"]

    @property
    def started(self) -> float:
        """When the visitor first wrote."""
        return float(self.user_messages()[0]["timestamp"])


def window_start(retention_days: float, now: Optional[float] = None) -> float:
    """The earliest timestamp inside the retention window."""
    return (time.time() if now is None else now) - retention_days * 86400


def sessions(events: Iterable[Event]) -> Iterator[Conversation]:
    """Split one sender's events into sessions that contain a visitor message."""
    current = Conversation()
    for event in events:
        if event.get("event") == "session_started" and current.user_messages():
            yield current
            current = Conversation()
        current.events.append(event)
    if current.user_messages():
        yield current


def stored_rows(endpoints: str, since: float) -> Iterator[tuple]:
    """(sender id, event) rows of every sender active since `since`, grouped by sender, oldest first."""
    with warnings.catch_warnings():  # Rasa 3.6's own use of deprecated setuptools and SQLAlchemy names
        warnings.simplefilter("ignore", DeprecationWarning)
        store = store_from_endpoints(endpoints)
    table = store.SQLEvent
    with store.session_scope() as session:
        active = (session.query(table.sender_id).group_by(table.sender_id)
                  .having(sa.func.max(table.timestamp) >= since))
        query = (session.query(table.sender_id, table.timestamp, table.data)
                 .filter(table.sender_id.in_(active.subquery().select()))
                 .order_by(table.sender_id, table.id)
                 .yield_per(BATCH))
        for sender_id, timestamp, data in query:
            event = json.loads(data or "{}")
            event["timestamp"] = timestamp
            yield sender_id, event
    store.engine.dispose()


def read_conversations(endpoints: str, retention_days: float, now: Optional[float] = None) -> List[Conversation]:
    """Every conversation of the retention window in the store of `endpoints`."""
    since = window_start(retention_days, now)
    conversations: List[Conversation] = []
    for _sender, group in groupby(stored_rows(endpoints, since), key=lambda row: row[0]):
        conversations.extend(c for c in sessions(event for _, event in group) if c.started >= since)
    return conversations


def command_line(description: str, default_out: str) -> argparse.Namespace:
    """The options of `make report` and `make review`: which store, how many days back, where to write."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--days", type=float, default=retention_days())
    parser.add_argument("--out", type=Path, default=Path(default_out))
    args = parser.parse_args()
    if args.days <= 0:
        parser.error("--days must be positive")
    return args
