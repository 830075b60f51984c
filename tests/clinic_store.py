"""Conversations with known numbers, written through the real tracker store, for the clinic's view.

Each `Visit` builds the events a real conversation stores (the same event
types, names and slots as a recorded conversation with the running
assistant) and `save` writes it through PrivacySQLTrackerStore.save, the
method the Rasa server calls after each turn, so a visit that ends with
"delete my data" is deleted the way a visitor's is.
"""
from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional, Sequence

from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.compose import detail_buttons, first_answer
from assistant.knowledge_base import KnowledgeBase
from privacy.tracker_store import PrivacySQLTrackerStore

DAY = 86400
NEXT_QUESTION = {"body_area": "duration", "duration": "skin_reaction", "skin_reaction": "treatments",
                 "treatments": "cautions_done"}


class Visit:
    """The events of one conversation, a second apart from `start` (a timestamp)."""

    def __init__(self, kb: KnowledgeBase, start: float) -> None:
        self.kb, self.time = kb, start
        self.events: List[Event] = []
        self.session()

    def _now(self) -> float:
        self.time += 1
        return self.time

    def session(self) -> "Visit":
        self.action("action_session_start")
        self.bot(self.kb.general["privacy_notice"].format(days=30))
        self.events += [SessionStarted(timestamp=self._now())]
        return self.action("action_listen")

    def action(self, name: str) -> "Visit":
        self.events.append(ActionExecuted(name, timestamp=self._now()))
        return self

    def bot(self, text: str, buttons: Optional[List[Dict[str, str]]] = None) -> "Visit":
        self.events.append(BotUttered(text, data={"buttons": buttons}, timestamp=self._now()))
        return self

    def slot(self, name: str, value: Any) -> "Visit":
        self.events.append(SlotSet(name, value, timestamp=self._now()))
        return self

    def user(self, text: str, intent: str, entities: Sequence[Dict[str, Any]] = (),
             ranking: Sequence[str] = (), topic: Optional[str] = None) -> "Visit":
        """A visitor message as the NLU parsed it: intent, runner-up intents, the likeliest question topic."""
        names = [intent, *ranking]
        parse: Dict[str, Any] = {
            "text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": list(entities),
            "intent_ranking": [{"name": n, "confidence": 0.9 / (i + 1)} for i, n in enumerate(names)]}
        if topic:
            parse["question_ranking"] = [{"topic": topic, "confidence": 0.2}]
        self.events.append(UserUttered(text, parse["intent"], list(entities), parse, timestamp=self._now()))
        return self

    # -- what visitors do ---------------------------------------------------
    def concern(self, concern_id: str) -> "Visit":
        """Describe a concern: its first answer, with the detail and the questions offered on buttons."""
        self.user(f"I have {concern_id.replace('_', ' ')}", "describe_concern",
                  [{"entity": "concern", "value": concern_id}])
        concern = self.kb.concerns[concern_id]
        self.slot("concern", [concern_id]).action("action_concern_info")
        self.bot(first_answer(self.kb, concern), detail_buttons(self.kb, concern))
        return self.action("action_listen")

    def start_questions(self) -> "Visit":
        self.user("/start_questionnaire", "start_questionnaire").action("questionnaire_form")
        self.events.append(ActiveLoop("questionnaire_form", timestamp=self._now()))
        return self.bot("Where on your body is it?").slot("requested_slot", "body_area").action("action_listen")

    def answer(self, slot: str, value: Any, text: str) -> "Visit":
        """Answer the question asked; the form asks the next one."""
        self.user(text, "inform").slot(slot, value).action("questionnaire_form").bot("(next question)")
        return self.slot(slot, value).slot("requested_slot", NEXT_QUESTION[slot]).action("action_listen")

    def declare_cautions(self, cautions: Sequence[str]) -> "Visit":
        """At the safety check, declare each caution (the form asks for more)."""
        for i, caution in enumerate(cautions):
            self.user(f"/inform{json.dumps({'caution': caution})}", "inform",
                      [{"entity": "caution", "value": caution}]).slot("cautions_done", caution)
            self.action("questionnaire_form").bot("Noted.").slot("cautions_done", None)
            self.slot("cautions", list(cautions[:i + 1])).slot("requested_slot", "cautions_done")
            self.action("action_listen")
        return self

    def safety_check(self, cautions: Sequence[str]) -> "Visit":
        """Declare each caution, then "none of these", which ends the questionnaire."""
        declared = list(cautions)
        self.declare_cautions(declared)
        self.user("none of these", "inform").slot("cautions_done", "none of these").action("questionnaire_form")
        self.bot("(tailored answer and summary)").slot("cautions_done", True).slot("cautions", list(declared))
        self.slot("requested_slot", None)
        self.events.append(ActiveLoop(None, timestamp=self._now()))
        return self.action("action_listen")

    def stop_questions(self) -> "Visit":
        self.user("stop the questions", "stop_questionnaire").action("utter_questionnaire_stopped")
        self.bot("Okay, I've stopped the questions.").action("action_deactivate_loop")
        self.events.append(ActiveLoop(None, timestamp=self._now()))
        return self.slot("requested_slot", None).action("action_listen")

    def red_flag(self, intent: str, text: str) -> "Visit":
        self.user(text, intent).action(f"utter_{intent}").bot("(where to get help)")
        self.action("action_deactivate_loop")
        self.events.append(ActiveLoop(None, timestamp=self._now()))
        return self.slot("requested_slot", None).action("action_listen")

    def not_understood(self, text: str, guess: str = "inform") -> "Visit":
        """A message the NLU could not place: the fallback offers the list of concerns."""
        self.user(text, "nlu_fallback", ranking=[guess]).action("action_offer_concerns")
        return self.bot(self.kb.general["not_understood"]).action("action_listen")

    def confirmation(self, text: str, suggested: str) -> "Visit":
        """A message that leans to a concern: "It sounds like ..., is that right?"."""
        self.user(text, "describe_concern", ranking=["ask_question"]).action("action_concern_info")
        self.bot(self.kb.general["confirm_concern"].format(concern=self.kb.concerns[suggested].name.lower()))
        return self.slot("suggested_concerns", [suggested]).slot("confirming_concern", True).action("action_listen")

    def question_not_known(self, text: str, topic: str) -> "Visit":
        self.user(text, "ask_question", topic=topic).action("action_answer_faq")
        return self.bot(self.kb.general["question_not_known"]).action("action_listen")

    def out_of_scope(self, text: str) -> "Visit":
        self.user(text, "out_of_scope").action("utter_out_of_scope").bot("(outside what I cover)")
        return self.action("action_listen")

    def consultation(self, link: str) -> "Visit":
        """A click on a consultation button (intent open_consultation, entity link)."""
        return self.user(f"/open_consultation{json.dumps({'link': link})}", "open_consultation",
                         [{"entity": "link", "value": link}]).action("action_listen")

    def delete_my_data(self) -> "Visit":
        self.user("delete my data", "delete_my_data").action("action_delete_my_data")
        return self.bot(self.kb.general["deleted"])

    def user_texts(self) -> List[str]:
        return [e.text for e in self.events if isinstance(e, UserUttered) and e.text]


def save(store: PrivacySQLTrackerStore, sender: str, visit: Visit) -> None:
    """Store the visit as the Rasa server stores a conversation."""
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, visit.events)))
