"""The detail behind a short answer, sent when a visitor taps one of its buttons.

A concern's first answer and the end of the questionnaire come with buttons
(`/follow_up{"concern": ..., "detail": ...}`): how well it works, what to
expect, other options, who should take care, the sources, what to expect
from microneedling in general and the questions to ask a professional.
"""
from __future__ import annotations

from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.compose import (
    Button, concern_buttons, detail_buttons, detail_text, follow_up_payload, sources_list,
)
from actions.knowledge_base import DETAILS, Concern, KnowledgeBase
from actions.retrieval import PROCEDURE
from actions.tailoring import procedure_messages, questions_text
from actions.understanding import conversation_concerns

DETAIL_ENTITY = "detail"
TOPIC_ENTITY = "topic"
# Details of microneedling in general (not of one concern), offered at the end of the questionnaire.
GENERAL_DETAILS = ("procedure", "questions")
ALL_DETAILS = (*DETAILS, "sources", *GENERAL_DETAILS)


def general_buttons(kb: KnowledgeBase, concerns: List[Concern], shown: str = "") -> List[Button]:
    """Buttons after the questionnaire: what to expect, questions to ask, how well it works, sources."""
    titles = kb.layers["end_titles"]
    buttons = [{"title": titles[key], "payload": follow_up_payload(key)} for key in GENERAL_DETAILS if key != shown]
    buttons += [{"title": f"{kb.layers['detail_titles']['evidence']}: {c.name}",
                 "payload": follow_up_payload("evidence", concern=c.id)} for c in concerns]
    if shown != "sources":
        buttons.append({"title": titles["sources"], "payload": follow_up_payload("sources", topic=PROCEDURE)})
    return buttons


def answer_requested_detail(dispatcher: CollectingDispatcher, kb: KnowledgeBase, tracker: Tracker, detail: str) -> None:
    """Send the detail a button asked for, about its concern or topic (or the conversation's concern)."""
    topic = next(tracker.get_latest_entity_values(TOPIC_ENTITY), None)
    concern = requested_concern(kb, tracker)
    concerns = [kb.concerns[c] for c in conversation_concerns(tracker, kb)]
    if detail == "sources" and topic == PROCEDURE:
        text = sources_list(kb, kb.procedure["sources"], kb.procedure["heading"].lower())
        dispatcher.utter_message(text=text, buttons=general_buttons(kb, concerns, "sources"))
    elif detail == "sources" and topic in kb.faq:
        faq = kb.faq[str(topic)]
        dispatcher.utter_message(text=sources_list(kb, faq.sources, f'"{faq.question}"'))
    elif detail in GENERAL_DETAILS:
        messages = procedure_messages(kb) if detail == "procedure" else [questions_text(kb)]
        for text in messages[:-1]:
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(text=messages[-1], buttons=general_buttons(kb, concerns, detail))
    elif concern is not None and detail in (*DETAILS, "sources"):
        dispatcher.utter_message(text=detail_text(kb, concern, detail), buttons=detail_buttons(kb, concern, detail))
    else:
        dispatcher.utter_message(text=kb.general["which_concern"], buttons=concern_buttons(kb))


def requested_concern(kb: KnowledgeBase, tracker: Tracker) -> Optional[Concern]:
    """The concern the button names, else the one the conversation is about."""
    named = [str(c) for c in tracker.get_latest_entity_values("concern") if str(c) in kb.concerns]
    ids = named or conversation_concerns(tracker, kb)
    return kb.concerns[ids[0]] if ids else None
