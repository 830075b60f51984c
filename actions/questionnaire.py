"""The questionnaire form: validating answers, asking the next question, and the end (texts in the core)."""
from __future__ import annotations

import json
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
from assistant.compose import lower_name
from assistant.answering import gives_answer
from assistant.matching import first_named, is_skip, looks_like_duration, match_options, normalise, \
    told_duration
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
            dispatch(dispatcher, Reply("changed").say(kb.questionnaire["changed"].format(
                label=label, value=answer_text(kb, slot, value))))
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
            dispatch(dispatcher, Reply("reask").say(retry["offer"], [
                {"title": retry["keep_going"], "payload": "/continue_questionnaire"},
                {"title": retry["stop"], "payload": "/stop_questionnaire"},
            ]))
        else:
            dispatch(dispatcher, Reply("reask").say(f"{retry['not_caught']} {retry['hint']}"))
        return {slot: None, INVALID_COUNT: count}

    def _choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, multiple: bool = False
    ) -> Dict[Text, Any]:
        kb = knowledge_base()
        group, entity = SLOT_GROUPS[slot]
        if self._requested(tracker, slot) and self._skipped(tracker, kb):
            return self._accept(dispatcher, tracker, kb, slot, [NOT_GIVEN] if multiple else NOT_GIVEN)
        ids = self._entity_ids(tracker, entity) if not self._requested(tracker, slot) else []
        given = " ".join(value) if isinstance(value, list) else str(value or "")
        ids = [i for i in ids if kb.option(group, i)] or match_options(kb.options[group], given)
        if self._requested(tracker, slot):  # the whole answer, not just the entity the slot took
            ids = match_options(kb.options[group], self._text(tracker)) or ids
        if not ids:
            return self._reject(dispatcher, tracker, kb, slot)
        if multiple and len(ids) > 1:  # "nothing professional, just a serum"
            ids = [i for i in ids if i != c.NONE_OF_THESE]
        return self._accept(dispatcher, tracker, kb, slot,
                            ids if multiple else first_named(kb.options[group], self._text(tracker), ids))

    # -- one validator per question ---------------------------------------
    def validate_concern(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        kb = knowledge_base()
        values = slot_value if isinstance(slot_value, list) else [slot_value]
        ids = [v for v in dict.fromkeys(values) if isinstance(v, str) and kb.get(v)]
        if not ids:
            return self._reject(dispatcher, tracker, kb, "concern")
        previous = None if self._requested(tracker, "concern") else self._previous(tracker, "concern")
        offered = list(tracker.get_slot(c.SWITCH_SLOT) or [])
        if previous and sorted(ids) != sorted(previous) and ids != offered:
            new = [i for i in ids if i not in previous] or ids
            return self._offer_switch(dispatcher, kb, previous, new)
        return {**self._accept(dispatcher, tracker, kb, "concern", ids), c.SWITCH_SLOT: None}

    @staticmethod
    def _offer_switch(dispatcher: CollectingDispatcher, kb: KnowledgeBase, current: List[str],
                      new: List[str]) -> Dict[Text, Any]:
        """Keep the concern, and ask whether to switch to the one just named."""
        texts = kb.questionnaire["switch"]
        names = {key: " and ".join(lower_name(kb.concerns[i]) for i in ids) for key, ids in
                 (("current", current), ("new", new))}
        switch = f"/{c.INFORM}" + json.dumps({c.CONCERN: new})
        buttons = [{"title": texts["switch_button"].format(**names), "payload": switch},
                   {"title": texts["keep_button"].format(**names), "payload": f"/{c.DENY}"}]
        dispatch(dispatcher, Reply(f"switch_concern:{new[0]}").say(texts["question"].format(**names), buttons))
        return {"concern": current, c.SWITCH_SLOT: new}

    # -- answers in the visitor's words ----------------------------------
    def extract_concern(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> Dict[Text, Any]:
        """A typed yes or no to the offer to switch concerns."""
        offered = list(tracker.get_slot(c.SWITCH_SLOT) or [])
        if not offered or "concern" in tracker.slots_to_validate():
            return {}
        if latest_intent(tracker) == c.AFFIRM:
            return {"concern": offered}
        return {c.SWITCH_SLOT: None}

    def _answer_in_words(self, tracker: Tracker, slot: str) -> Dict[Text, Any]:
        """The message as the answer to the question asked, when the core can read it as one."""
        if not self._requested(tracker, slot) or slot in tracker.slots_to_validate() \
                or tracker.get_slot(c.SWITCH_SLOT) and latest_intent(tracker) in (c.AFFIRM, c.DENY):
            return {}
        text = self._text(tracker)
        intent = latest_intent(tracker) or ""
        return {slot: text} if gives_answer(knowledge_base(), slot, text, intent, state_of(tracker)) else {}

    def extract_body_area(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        return self._answer_in_words(tracker, "body_area")

    def extract_duration(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        """Also a duration said outright with another answer ("cheeks, for about 6 years")."""
        text = self._text(tracker)
        asked = str(tracker.get_slot(c.REQUESTED_SLOT) or "")
        if tracker.get_slot("duration") is None and asked in ("body_area", "concern") and told_duration(text) \
                and gives_answer(knowledge_base(), asked, text, latest_intent(tracker) or "", state_of(tracker)):
            return {"duration": text}
        return self._answer_in_words(tracker, "duration")

    def extract_skin_reaction(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._answer_in_words(tracker, "skin_reaction")

    def extract_treatments(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[Text, Any]:
        return self._answer_in_words(tracker, "treatments")

    def extract_cautions_done(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return self._answer_in_words(tracker, "cautions_done")

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
        if told_duration(str(slot_value or "")) or looks_like_duration(str(slot_value or "")) \
                and not self._answered_elsewhere(tracker, "duration"):
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
        new = [i for i in ids if i not in declared] or ids
        dispatch(dispatcher, Reply(f"caution:{new[0]}").say(
            kb.questionnaire["noted"].format(cautions=answer_text(kb, "cautions", new))))
        return {"cautions_done": None, "cautions": merged, INVALID_COUNT: 0}


class ActionShowSummary(DecidedAction):
    """Show the summary again on request ("show my summary")."""

    action_name = "action_show_summary"
