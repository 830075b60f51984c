"""What the visitor is told about their data, and the retention period the operator set."""
from __future__ import annotations

import os
from typing import Dict

from assistant.knowledge_base import KnowledgeBase

DELETE_PAYLOAD = "/delete_my_data"
DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    """How long conversations are kept, as the operator configured it ($RETENTION_DAYS)."""
    return int(float(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))


def delete_button(kb: KnowledgeBase) -> Dict[str, str]:
    """The one-click "Delete my data" button."""
    return {"title": kb.general["delete_button"], "payload": DELETE_PAYLOAD}


def privacy_notice(kb: KnowledgeBase) -> str:
    """What the chat is, what is stored and for how long, and how to delete it."""
    return kb.general["privacy_notice"].format(days=retention_days())
