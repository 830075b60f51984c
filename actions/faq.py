"""Answer visitors' questions: a known FAQ topic, a passage of the knowledge base, or what it can talk about."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import answer_concerns, offer_concerns
from actions.compose import Button, caution_text, closing_recommendation, explain_terms, lower_name, sources_button
from actions.knowledge_base import Concern, Faq, KnowledgeBase, knowledge_base
from actions.details import DETAIL_ENTITY, answer_requested_detail
from actions.next_step import CLINIC_TOPICS, answer_clinic_question
from actions.retrieval import retriever
from actions.understanding import conversation_concerns, mentioned_areas, mentioned_cautions, mentioned_concerns

# Written by nlp.topic_classifier.QuestionTopicClassifier into the parse result.
TOPIC_RANKING = "question_ranking"
# The best topic's confidence must reach this for its answer to be given.
TOPIC_MINIMUM = 0.35
LAST_TOPIC_SLOT = "last_topic"
AREAS_TOPIC = "what_areas"


def question_topic(parse_data: Dict[str, Any], kb: KnowledgeBase) -> Optional[Faq]:
    """The FAQ a parsed question asks, when the topic classifier is sure enough."""
    ranking = [r for r in parse_data.get(TOPIC_RANKING) or [] if isinstance(r, dict)]
    if not ranking or float(ranking[0].get("confidence") or 0) < TOPIC_MINIMUM:
        return None
    return kb.faq.get(str(ranking[0].get("topic")))


Message = Tuple[str, List[Button]]


def faq_messages(kb: KnowledgeBase, faq: Faq, concerns: List[Concern], named: bool) -> List[Message]:
    """The FAQ's answer (one idea per message), what is particular to each concern, and who to see.

    A concern named in the message always gets a line; the conversation's
    concern only where the knowledge base says something particular. The
    last message carries the recommendation and a button for the sources.
    """
    texts = [explain_terms(kb, f"{faq.question} {faq.answer}")]
    texts += [explain_terms(kb, faq.more)] if faq.more else []
    notes = []
    for concern in concerns:
        note = concern.questions.get(faq.key)
        if note or named:
            notes.append(note or kb.general["faq_no_concern_detail"].format(concern=lower_name(concern)))
    last = [explain_terms(kb, " ".join(notes))] if notes else [texts.pop()]
    messages: List[Message] = [(text, []) for text in texts]
    closing = "\n".join(last + [closing_recommendation(kb, concerns)])
    return messages + [(closing, [sources_button(kb, topic=faq.key)])]


def send(dispatcher: CollectingDispatcher, messages: List[Message]) -> None:
    """Send each (text, buttons) message."""
    for text, buttons in messages:
        dispatcher.utter_message(text=text, buttons=buttons)


class ActionAnswerFaq(Action):
    """Answer the question of the latest message, in the context of the conversation's concern.

    A known topic gets its knowledge-base answer (and, for the concern named
    in the message or discussed before, what is particular to it). Another
    question about microneedling or skin gets the most relevant passage of
    the knowledge base, said to be general information; anything else gets
    what the assistant can talk about. A caution named with the question
    ("I'm on isotretinoin, does it hurt?") is answered first, as it would be
    alone. A question that leans to a concern without naming it ("my jawline
    is kind of melting?") also gets the confirmation of that concern.
    """

    def name(self) -> Text:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        cautions = mentioned_cautions(tracker, kb)
        if cautions:
            dispatcher.utter_message(text=caution_text(kb, cautions))
        named = mentioned_concerns(tracker, kb)
        concerns = [kb.concerns[c] for c in named or conversation_concerns(tracker, kb)]
        faq = question_topic(tracker.latest_message, kb)
        text = tracker.latest_message.get("text") or ""
        if faq is not None and faq.key in CLINIC_TOPICS and answer_clinic_question(dispatcher, faq.key, text):
            return [SlotSet(LAST_TOPIC_SLOT, faq.key)]
        if faq is not None:
            send(dispatcher, faq_messages(kb, faq, concerns, named=bool(named)))
            suggestion = [] if concerns else offer_concerns(dispatcher, kb, tracker, only_confirm=True)
            return [SlotSet(LAST_TOPIC_SLOT, faq.key)] + suggestion
        passage = retriever().best(tracker.latest_message.get("text") or "")
        if passage is not None:
            text = explain_terms(kb, f"{passage.title}: {passage.text}")
            lines = [kb.general["retrieved_intro"], text, closing_recommendation(kb, concerns)]
            buttons = [sources_button(kb, **dict(passage.about))] if passage.about else []
            dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
            return []
        if not cautions:
            dispatcher.utter_message(text=kb.general["question_not_known"])
        return []


class ActionFollowUp(Action):
    """A follow-up that leans on the conversation: "is it the same for stretch marks?", "and my neck?".

    A detail asked for by a button ("how well it works", "sources") gets
    that detail. A concern named in it gets the last question's answer for that concern
    (or its information, when no question was asked yet); a place on the body
    gets the answer on which areas can be treated, for the conversation's
    concern, unless the message clearly asks another question ("how do I
    wash my face after?"); anything else is treated as a new question.
    """

    def name(self) -> Text:
        return "action_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        kb = knowledge_base()
        detail = next(tracker.get_latest_entity_values(DETAIL_ENTITY), None)
        if detail is not None:
            answer_requested_detail(dispatcher, kb, tracker, str(detail))
            return []
        named = mentioned_concerns(tracker, kb)
        last = kb.faq.get(str(tracker.get_slot(LAST_TOPIC_SLOT) or ""))
        if named and last is not None:
            send(dispatcher, faq_messages(kb, last, [kb.concerns[c] for c in named], named=True))
            return []
        if named:
            answer_concerns(dispatcher, kb, named)
            return []
        asked = question_topic(tracker.latest_message, kb)
        if mentioned_areas(tracker.latest_message, kb) and (asked is None or asked.key == AREAS_TOPIC):
            context = [kb.concerns[c] for c in conversation_concerns(tracker, kb)]
            areas = kb.faq[AREAS_TOPIC]
            send(dispatcher, faq_messages(kb, areas, context, named=False))
            return [SlotSet(LAST_TOPIC_SLOT, AREAS_TOPIC)]
        return await ActionAnswerFaq().run(dispatcher, tracker, domain)

