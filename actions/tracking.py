"""Small readers of the rasa_sdk Tracker shared by the actions."""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent the latest user message was classified as (fallback included)."""
    return (tracker.latest_message.get("intent") or {}).get("name")
