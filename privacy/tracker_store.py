"""An SQL tracker store that deletes a conversation when the visitor asks.

Rasa stores a conversation's new events after every turn. When the turn ran
`action_delete_my_data`, this store deletes every stored event of that
conversation instead, in the same place and at the same moment Rasa would
have written, so nothing is written back afterwards. Works with every SQL
dialect Rasa supports (SQLite by default, PostgreSQL for several servers).

SQLite is set up for a server: connections are kept open (SQLAlchemy 1.4
opens and closes one per turn), with write-ahead logging and
synchronous=NORMAL (one disk sync per turn instead of several; a power cut can
lose the latest turn but never corrupts the file), and secure_delete, so
deleted and purged conversations are overwritten on disk rather than left in
free pages; the write-ahead log is emptied after each deletion for the same
reason.

    tracker_store:
      type: privacy.tracker_store.PrivacySQLTrackerStore
      dialect: sqlite          # or postgresql, with url/port/db/username/password
      db: conversations.db
"""
from __future__ import annotations

import logging
import time
from typing import Any, List

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.contract import DELETE_ACTION

logger = logging.getLogger(__name__)
SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON")


def tune_sqlite(dbapi_connection, _record) -> None:
    """Apply SQLITE_PRAGMAS to a new SQLite connection."""
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def deletion_requested(tracker: DialogueStateTracker) -> bool:
    """True when the latest turn ran the delete action."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == DELETE_ACTION:
            return True
    return False


class PrivacySQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore plus deletion on request and purging by age."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.engine: sa.engine.Engine
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", tune_sqlite)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _erase_leftovers(self) -> None:
        """After a deletion, leave no copy of the deleted rows in SQLite's write-ahead log."""
        if self.is_sqlite:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the turn, or delete the whole conversation if the visitor asked."""
        if deletion_requested(tracker):
            self.delete_conversation(tracker.sender_id)
            return
        await super().save(tracker)

    def delete_conversation(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; return how many."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        self._erase_leftovers()
        logger.info("Deleted a conversation at the visitor's request (%d events).", deleted)
        return deleted

    def purge_older_than(self, days: float) -> List[str]:
        """Delete conversations whose latest event is older than `days`; return their ids."""
        cutoff = time.time() - days * 86400
        with self.session_scope() as session:
            stale = [
                row[0]
                for row in session.query(self.SQLEvent.sender_id)
                .group_by(self.SQLEvent.sender_id)
                .having(sa.func.max(self.SQLEvent.timestamp) < cutoff)
                .all()
            ]
            if stale:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id.in_(stale)).delete(
                    synchronize_session=False
                )
                session.commit()
        self._erase_leftovers()
        return stale
