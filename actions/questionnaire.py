"""The questionnaire form: validating answers, asking the next question, and the end (texts in the core)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.decided import DecidedAction
from actions.tracking import dispatch, latest_intent, state_of
from assistant import contract as c
from assistant.clinic import clinic
from assistant.decisions import Reply, with_warning_signs
from assistant.knowledge_base import KnowledgeBase, knowledge_base
from assistant.matching import is_skip, looks_like_duration, match_options, normalise
from assistant.questionnaire import concluding_messages, question
from assistant.tailoring import answer_text

NOT_GIVEN = c.NOT_GIVEN
INVALID_COUNT = c.INVALID_COUNT_SLOT
RETRY_OFFER_AFTER = 2
FORM_SLOTS = c.FORM_SLOTS
SLOT_GROUPS = c.SLOT_GROUPS


class ValidateQuestionnaireForm(FormValidationAction):
    """One `validate_<slot>` per question: good answers, synonyms, skip, changes.

    It also conducts the questionnaire: it asks the next question or, after the
    last one, gives the tailored answer, in the same action call. So the form
    needs no `action_ask_<slot>` and no answer action, each of which would be
    one more call to the action server.
    """

    def name(self) -> Text:
        return "validate_questionnaire_form"

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        """Ask the first unanswered question; when none is left, answer (which ends the form)."""
        kb = knowledge_base()
        state = state_of(tracker)
        slot = next((s for s in FORM_SLOTS if tracker.get_slot(s) is None), None)
        if slot is None:
            messages = concluding_messages(kb, state.answers(), clinic(), state.sender_id, state.channel)
        else:
            messages = [question(kb, slot, tracker.get_slot(c.CAUTIONS_SLOT) or [])]
        warning_signs = with_warning_signs(Reply(""), state, kb).messages  # before the next question
        dispatch(dispatcher, Reply("questionnaire", warning_signs + messages))
        return SlotSet(REQUESTED_SLOT, slot)

    # -- helpers ---------------------------------------------------------
    @staticmethod
    def _text(tracker: Tracker) -> str:
        return tracker.latest_message.get("text") or ""

    @staticmethod
    def _entity_ids(tracker: Tracker, entity: str) -> List[str]:
        return [str(v) for v in tracker.get_latest_entity_values(entity)]

    @staticmethod
    def _requested(tracker: Tracker, slot: str) -> bool:
        return tracker.get_slot("requested_slot") == slot

    @staticmethod
    def _answered_elsewhere(tracker: Tracker, slot: str) -> bool:
        """True when this message changed another question's answer."""
        return any(s in FORM_SLOTS and s != slot for s in tracker.slots_to_validate())

    @staticmethod
    def _previous(tracker: Tracker, slot: str) -> Any:
        """The slot's value before the latest user message."""
        value = None
        last_user = max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=-1)
        for event in tracker.events[:last_user]:
            if event.get("event") == "slot" and event.get("name") == slot:
                value = event.get("value")
            elif event.get("event") in ("restart", "session_started"):
                value = None
        return value

    def _skipped(self, tracker: Tracker, kb: KnowledgeBase) -> bool:
        return latest_intent(tracker) == "skip" or is_skip(kb, self._text(tracker))

    def _accept(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase, slot: str, value: Any
    ) -> Dict[Text, Any]:
        """Store a valid answer; confirm it when it changed an earlier answer."""
        previous = None if self._requested(tracker, slot) else self._previous(tracker, slot)
        if previous not in (None, value) and slot != "cautions_done":
            label = kb.questionnaire["summary"]["labels"][slot]
            dispatcher.utter_message(text=kb.questionnaire["changed"].format(
                label=label, value=answer_text(kb, slot, value)))
        return {slot: value, INVALID_COUNT: 0}

    def _reject(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase, slot: str
    ) -> Dict[Text, Any]:
        """Re-ask helpfully; after repeated failures offer to continue or stop."""
        if not self._requested(tracker, slot):
            return {slot: self._previous(tracker, slot)}
        if self._answered_elsewhere(tracker, slot):
            return {slot: None}
        retry = kb.questionnaire["retry"]
        count = int(tracker.get_slot(INVALID_COUNT) or 0) + 1
        if count >= RETRY_OFFER_AFTER:
            dispatcher.utter_message(text=retry["offer"], buttons=[
                {"title": retry["keep_going"], "payload": "/continue_questionnaire"},
                {"title": retry["stop"], "payload": "/stop_questionnaire"},
            ])
        else:
            dispatcher.utter_message(text=f"{retry['not_caught']} {retry['hint']}")
        return {slot: None, INVALID_COUNT: count}

    def _choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, multiple: bool = False
    ) -> Dict[Text, Any]:
        kb = knowledge_base()
        group, entity = SLOT_GROUPS[slot]
        if self._requested(tracker, slot) and self._skipped(tracker, kb):
            return self._accept(dispatcher, tracker, kb, slot, [NOT_GIVEN] if multiple else NOT_GIVEN)
        ids = self._entity_ids(tracker, entity) if not self._requested(tracker, slot) else []
        ids = [i for i in ids if kb.option(group, i)] or match_options(
            kb.options[group], " ".join(value) if isinstance(value, list) else str(value or ""))
        if not ids:
            return self._reject(dispatcher, tracker, kb, slot)
        return self._accept(dispatcher, tracker, kb, slot, ids if multiple else ids[0])

    # -- one validator per question ---------------------------------------
    def validate_concern(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        kb = knowledge_base()
        values = slot_value if isinstance(slot_value, list) else [slot_value]
        ids = [v for v in dict.fromkeys(values) if isinstance(v, str) and kb.get(v)]
        if not ids:
            return self._reject(dispatcher, tracker, kb, "concern")
        return self._accept(dispatcher, tracker, kb, "concern", ids)

    def validate_body_area(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self._choice(slot_value, dispatcher, tracker, "body_area")

    def validate_duration(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        kb = knowledge_base()
        if self._skipped(tracker, kb):
            return self._accept(dispatcher, tracker, kb, "duration", NOT_GIVEN)
        ids = match_options(kb.options["duration"], str(slot_value or ""))
        if ids:
            return self._accept(dispatcher, tracker, kb, "duration", ids[0])
        if looks_like_duration(str(slot_value or "")) and not self._answered_elsewhere(tracker, "duration"):
            return self._accept(dispatcher, tracker, kb, "duration", normalise(str(slot_value))[:80])
        return self._reject(dispatcher, tracker, kb, "duration")

    def validate_skin_reaction(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self._choice(slot_value, dispatcher, tracker, "skin_reaction")

    def validate_treatments(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self._choice(slot_value, dispatcher, tracker, "treatments", multiple=True)

    def validate_cautions_done(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        kb = knowledge_base()
        declared: List[str] = list(tracker.get_slot("cautions") or [])
        if self._skipped(tracker, kb):
            return {"cautions_done": NOT_GIVEN, "cautions": declared or None, INVALID_COUNT: 0}
        ids = [i for i in self._entity_ids(tracker, "caution") if kb.option("cautions", i)]
        ids = list(dict.fromkeys(ids + match_options(kb.options["cautions"], self._text(tracker))))
        if not ids:
            return self._reject(dispatcher, tracker, kb, "cautions_done")
        merged = declared + [i for i in ids if i != "none" and i not in declared]
        if "none" in ids:
            return {"cautions_done": True, "cautions": merged, INVALID_COUNT: 0}
        titles = answer_text(kb, "cautions", [i for i in ids if i not in declared] or ids)
        dispatcher.utter_message(text=kb.questionnaire["noted"].format(cautions=titles))
        return {"cautions_done": None, "cautions": merged, INVALID_COUNT: 0}


class ActionShowSummary(DecidedAction):
    """Show the summary again on request ("show my summary")."""

    action_name = "action_show_summary"
