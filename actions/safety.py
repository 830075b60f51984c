"""Cautions asked about outside the questionnaire ("I'm pregnant, can I...?")."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_base import knowledge_base
from actions.matching import match_options


class ActionCautionInfo(Action):
    """Name the visitor's situation, explain why it matters, never say yes or no."""

    def name(self) -> Text:
        return "action_caution_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        ids = [str(v) for v in tracker.get_latest_entity_values("caution")]
        ids += match_options(kb.options["cautions"], tracker.latest_message.get("text") or "")
        notes = [
            option.note
            for option in (kb.option("cautions", i) for i in dict.fromkeys(ids))
            if option and option.note
        ]
        lines = [kb.general["caution_intro"], *notes] if notes else [kb.general["caution_unknown"]]
        dispatcher.utter_message(text="\n".join(lines + [kb.general["caution_recommendation"]]))
        return []
