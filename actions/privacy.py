"""The privacy notice at the start of a conversation, and deletion on request."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from assistant import contract
from assistant.knowledge_base import knowledge_base
from assistant.privacy import privacy_notice


class ActionSessionStart(Action):
    """Start every conversation with what the chat is, what is stored, and how to delete it."""

    def name(self) -> Text:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=privacy_notice(knowledge_base()))
        return [SessionStarted(), ActionExecuted("action_listen")]


class ActionDeleteMyData(Action):
    """Confirm deletion; the tracker store deletes the conversation when it saves this turn."""

    def name(self) -> Text:
        return contract.DELETE_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=knowledge_base().general["deleted"])
        return []
