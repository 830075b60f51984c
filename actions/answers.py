"""Actions that answer with general information about the visitor's concerns."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions.compose import caution_text, concern_buttons, confirmation, detail_buttons, first_answer
from actions.knowledge_base import KnowledgeBase, knowledge_base
from actions.next_step import send_next_step
from actions.tracking import latest_intent
from actions.understanding import (
    CONCERN_SLOT,
    CONFIRM_MINIMUM,
    LEANING_MINIMUM,
    CONFIRMING_SLOT,
    SUGGESTED_SLOT,
    concern_candidates,
    mentioned_cautions,
    mentioned_concerns,
)


class ActionConcernInfo(Action):
    """Answer the latest message's cautions and concerns from the knowledge base.

    A caution named with a concern ("I have acne scars and take isotretinoin")
    is answered first, with the same text as the caution alone. A message that
    named no concern gets a confirmation of the likeliest ones, or the list;
    a "yes" to the confirmation answers the suggested concern.
    """

    def name(self) -> Text:
        return "action_concern_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        suggested = [c for c in tracker.get_slot(SUGGESTED_SLOT) or [] if kb.get(c)]
        clear = clear_suggestion() if suggested else []
        cautions = mentioned_cautions(tracker, kb)
        if cautions:
            dispatcher.utter_message(text=caution_text(kb, cautions))
        concerns = mentioned_concerns(tracker, kb)
        if concerns:
            answer_concerns(dispatcher, kb, concerns)
            return clear
        if suggested and latest_intent(tracker) == "affirm":
            answer_concerns(dispatcher, kb, suggested[:1])
            return [SlotSet(CONCERN_SLOT, suggested[:1])] + clear
        if cautions:
            return clear
        return offer_concerns(dispatcher, kb, tracker, minimum=LEANING_MINIMUM) or clear


class ActionOfferConcerns(Action):
    """When the message was not understood (or a suggestion was declined), confirm or list the concerns."""

    def name(self) -> Text:
        return "action_offer_concerns"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        if tracker.get_slot(SUGGESTED_SLOT) and latest_intent(tracker) == "deny":
            dispatcher.utter_message(text=kb.general["which_concern"], buttons=concern_buttons(kb))
            return clear_suggestion()
        return offer_concerns(dispatcher, kb, tracker, not_understood=True)


class ActionDefaultFallback(Action):
    """When no rule fits the conversation, offer the concerns (replaces Rasa's default).

    Like Rasa's own, it reverts the user message so that the conversation
    goes on from where it was; the message stays in the stored history.
    """

    def name(self) -> Text:
        return "action_default_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        prompt = kb.general["not_understood"]
        dispatcher.utter_message(text=prompt, buttons=concern_buttons(kb))
        return [UserUtteranceReverted()]


def answer_concerns(dispatcher: CollectingDispatcher, kb: KnowledgeBase, ids: List[str]) -> None:
    """A short first answer on each concern, with buttons for the detail and the questionnaire, then the next step."""
    if len(ids) > 1:
        dispatcher.utter_message(text=kb.general["several_concerns"])
    for concern_id in ids:
        concern = kb.concerns[concern_id]
        dispatcher.utter_message(text=first_answer(kb, concern), buttons=detail_buttons(kb, concern))
    send_next_step(dispatcher)


def offer_concerns(
    dispatcher: CollectingDispatcher, kb: KnowledgeBase, tracker: Tracker, not_understood: bool = False,
    minimum: float = CONFIRM_MINIMUM, only_confirm: bool = False,
) -> List[EventType]:
    """Confirm the likeliest concerns of the latest message, or send every concern as a button.

    `minimum`: how sure the best guess must be to be offered (less for a
    message understood as describing a concern); `only_confirm`: send nothing
    when there is no guess to confirm.
    """
    candidates = concern_candidates(tracker.latest_message, kb, minimum)
    if candidates:
        text, buttons = confirmation(kb, candidates)
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet(SUGGESTED_SLOT, candidates), SlotSet(CONFIRMING_SLOT, True)]
    if only_confirm:
        return []
    prompt = kb.general["not_understood"] if not_understood else kb.general["which_concern"]
    dispatcher.utter_message(text=prompt, buttons=concern_buttons(kb))
    return clear_suggestion() if tracker.get_slot(SUGGESTED_SLOT) else []


def clear_suggestion() -> List[EventType]:
    """Events that close a confirmation question."""
    return [SlotSet(SUGGESTED_SLOT, None), SlotSet(CONFIRMING_SLOT, None)]
