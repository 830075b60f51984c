"""Answer frequently asked questions from the knowledge base (actions/knowledge/faq.yml)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.compose import sources_line
from actions.knowledge_base import knowledge_base
from actions.tracking import latest_intent

FAQ_PREFIX = "faq_"


class ActionAnswerFaq(Action):
    """Answer the FAQ named by the intent `faq_<key>`, with sources and a recommendation."""

    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        intent = latest_intent(tracker) or ""
        faq = kb.faq.get(intent[len(FAQ_PREFIX):]) if intent.startswith(FAQ_PREFIX) else None
        if faq is None:
            dispatcher.utter_message(response="utter_help")
            return []
        dispatcher.utter_message(
            text=f"{faq.question} {faq.answer}\n{sources_line(kb, faq.sources)}\n{kb.general['faq_recommendation']}"
        )
        return []
