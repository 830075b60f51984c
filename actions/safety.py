"""Cautions asked about outside the questionnaire ("I'm pregnant, can I...?")."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.compose import caution_text
from actions.knowledge_base import knowledge_base
from actions.understanding import mentioned_cautions


class ActionCautionInfo(Action):
    """Name the visitor's situation, explain why it matters, never say yes or no.

    A caution named together with a concern is answered by `action_concern_info`
    (the intent guard makes such a message a description of the concern).
    """

    def name(self) -> Text:
        return "action_caution_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        dispatcher.utter_message(text=caution_text(kb, mentioned_cautions(tracker, kb)))
        return []
