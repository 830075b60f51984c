"""Actions that answer with general information about the visitor's concerns."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.compose import concern_buttons, concern_info
from actions.knowledge_base import KnowledgeBase, knowledge_base

CONCERN_SLOT = "concern"


def mentioned_concerns(tracker: Tracker, kb: KnowledgeBase) -> List[str]:
    """Known concern ids named in the latest message, in order, without repeats."""
    ids: List[str] = []
    for value in tracker.get_latest_entity_values(CONCERN_SLOT):
        if isinstance(value, str) and kb.get(value) and value not in ids:
            ids.append(value)
    return ids


class ActionConcernInfo(Action):
    """Answer each concern of the latest message from the knowledge base."""

    def name(self) -> Text:
        return "action_concern_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        ids = mentioned_concerns(tracker, kb)
        if not ids:
            return offer_concerns(dispatcher, kb)
        if len(ids) > 1:
            dispatcher.utter_message(text=kb.general["several_concerns"])
        for concern_id in ids:
            dispatcher.utter_message(text=concern_info(kb, kb.concerns[concern_id]))
        dispatcher.utter_message(text=kb.general["offer_questionnaire"], buttons=[
            {"title": kb.general["offer_yes"], "payload": "/start_questionnaire"},
            {"title": kb.general["offer_no"], "payload": "/deny"},
        ])
        return []


class ActionOfferConcerns(Action):
    """When the message was not understood, list the concerns as buttons."""

    def name(self) -> Text:
        return "action_offer_concerns"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        return offer_concerns(dispatcher, knowledge_base(), not_understood=True)


class ActionDefaultFallback(Action):
    """When no rule fits the conversation, offer the concerns (replaces Rasa's default).

    Like Rasa's own, it reverts the user message so that the conversation
    goes on from where it was; the message stays in the stored history.
    """

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        return offer_concerns(dispatcher, knowledge_base(), not_understood=True) + [UserUtteranceReverted()]


def offer_concerns(
    dispatcher: CollectingDispatcher, kb: KnowledgeBase, not_understood: bool = False
) -> List[Dict[Text, Any]]:
    """Send the concern buttons with a short prompt."""
    prompt = kb.general["not_understood"] if not_understood else kb.general["which_concern"]
    dispatcher.utter_message(text=prompt, buttons=concern_buttons(kb))
    return []
