"""The privacy notice at the start of a conversation, and deletion on request."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_base import knowledge_base

DELETE_PAYLOAD = "/delete_my_data"
DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    """How long conversations are kept, as the operator configured it ($RETENTION_DAYS)."""
    return int(float(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))


def delete_button() -> Dict[str, str]:
    """The one-click "Delete my data" button."""
    return {"title": knowledge_base().general["delete_button"], "payload": DELETE_PAYLOAD}


class ActionSessionStart(Action):
    """Start every conversation with what the chat is, what is stored, and how to delete it."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        notice = knowledge_base().general["privacy_notice"].format(days=retention_days())
        dispatcher.utter_message(text=notice)
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionDeleteMyData(Action):
    """Confirm deletion; the tracker store deletes the conversation when it saves this turn."""

    def name(self) -> Text:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=knowledge_base().general["deleted"])
        return []
