"""How each thing the clinic wants to know appears in a conversation's events.

The names are the contract's (assistant/contract.py): the questionnaire form
and its slots, the confirmation step (slots `suggested_concerns` and
`confirming_concern`), the FAQ answer that knows no answer (text
`question_not_known` of assistant/knowledge/general.yml), red-flag intents
and the consultation buttons (a user event of intent `open_consultation` with
entity `link`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, List, Optional, Set

from assistant import contract as c
from clinic_view.events import Conversation, Event

FORM = c.FORM
OFFER_PAYLOAD = f"/{c.START_QUESTIONNAIRE}"
LAST_QUESTION = c.FORM_SLOTS[-1]
NOT_GIVEN = c.NOT_GIVEN
RED_FLAG_PREFIX = c.RED_FLAG_PREFIX
CONSULTATION_INTENT = c.OPEN_CONSULTATION
CONSULTATION_ENTITY = c.LINK
FALLBACK_INTENT = c.NLU_FALLBACK
FALLBACK_ACTIONS = {c.FALLBACK_ACTION}
OFFER_CONCERNS = c.OFFER_CONCERNS_ACTION
CONFIRMING_SLOT = c.CONFIRMING_SLOT
SUGGESTED_SLOT = c.SUGGESTED_SLOT
TOPIC_RANKING = c.QUESTION_RANKING
OUT_OF_SCOPE = c.OUT_OF_SCOPE

# What happened to a visitor's message, in the order a message is classified.
CONFIRMED = "confirmed"
NOT_UNDERSTOOD = "not_understood"
NOT_KNOWN = "question_not_known"
OUT_OF_SCOPE_KIND = "out_of_scope"


@dataclass
class Turn:
    """A visitor's message and what the assistant did until the next one."""

    message: Event
    after: List[Event] = field(default_factory=list)

    @property
    def intent(self) -> Optional[str]:
        return ((self.message.get("parse_data") or {}).get("intent") or {}).get("name")

    @property
    def typed(self) -> bool:
        """True for a message the visitor typed (a button sends a "/" payload)."""
        return not str(self.message.get("text") or "").startswith("/")

    def guessed_intent(self) -> Optional[str]:
        """The intent the assistant leaned to, passing over the fallback."""
        ranking = (self.message.get("parse_data") or {}).get("intent_ranking") or []
        names = [r.get("name") for r in ranking if isinstance(r, dict)]
        return next((n for n in names if n and n != FALLBACK_INTENT), None)

    def suggested_concerns(self) -> List[str]:
        """The concerns the confirmation offered for this message, likeliest first."""
        offered = [e.get("value") for e in self.after if e.get("event") == "slot" and e.get("name") == SUGGESTED_SLOT]
        return [str(c) for c in offered[-1]] if offered and isinstance(offered[-1], list) else []

    def guessed_topic(self) -> Optional[str]:
        """The frequent-question topic the assistant ranked first for this message."""
        ranking = (self.message.get("parse_data") or {}).get(TOPIC_RANKING) or []
        return str(ranking[0].get("topic")) if ranking and isinstance(ranking[0], dict) else None

    def actions(self) -> Set[str]:
        return {str(e.get("name")) for e in self.after if e.get("event") == "action"}

    def slot_set(self, slot: str, value: Any) -> bool:
        return any(e.get("event") == "slot" and e.get("name") == slot and e.get("value") == value
                   for e in self.after)

    def said(self, text: str) -> bool:
        return any(e.get("event") == "bot" and e.get("text") == text for e in self.after)


def turns(conversation: Conversation) -> Iterator[Turn]:
    """The conversation's turns, one per visitor message."""
    turn: Optional[Turn] = None
    for event in conversation.events:
        if event.get("event") == "user":
            if turn is not None:
                yield turn
            turn = Turn(event)
        elif turn is not None:
            turn.after.append(event)
    if turn is not None:
        yield turn


def misunderstanding(turn: Turn, question_not_known: str) -> Optional[str]:
    """Whether the assistant had to confirm, did not understand, knew no answer, or declined the message."""
    if turn.slot_set(CONFIRMING_SLOT, True):
        return CONFIRMED
    actions = turn.actions()
    if actions & FALLBACK_ACTIONS or (turn.intent == FALLBACK_INTENT and OFFER_CONCERNS in actions):
        return NOT_UNDERSTOOD
    if turn.said(question_not_known):
        return NOT_KNOWN
    if turn.intent == OUT_OF_SCOPE:
        return OUT_OF_SCOPE_KIND
    return None


def slot_values(conversation: Conversation, slot: str) -> List[Any]:
    """Every value the slot was set to, in order (None included)."""
    return [e.get("value") for e in conversation.events if e.get("event") == "slot" and e.get("name") == slot]


def listed(values: List[Any]) -> Set[str]:
    """Every id in a list slot's values."""
    return {str(v) for value in values if isinstance(value, list) for v in value}


def offered_questionnaire(conversation: Conversation) -> bool:
    """The assistant offered the questions (a button that starts them)."""
    return any(e.get("event") == "bot" and any(
        isinstance(b, dict) and b.get("payload") == OFFER_PAYLOAD
        for b in ((e.get("data") or {}).get("buttons") or []))
        for e in conversation.events)


def started_questionnaire(conversation: Conversation) -> bool:
    return any(e.get("event") == "active_loop" and e.get("name") == FORM for e in conversation.events)


def finished_questionnaire(conversation: Conversation) -> bool:
    """The last question (the safety check) was answered, which ends the form.

    Its validation sets True ("none of these", after any cautions) or
    "not_given" (skipped); the raw text or caution a visitor gives first is
    set too, and then cleared while the check goes on.
    """
    return any(v is True or v == NOT_GIVEN for v in slot_values(conversation, LAST_QUESTION))


def stopped_at(conversation: Conversation) -> Optional[str]:
    """The question a visitor who started but did not finish was last asked."""
    if not started_questionnaire(conversation) or finished_questionnaire(conversation):
        return None
    asked = [v for v in slot_values(conversation, "requested_slot") if v]
    return str(asked[-1]) if asked else None


def red_flags(conversation: Conversation) -> Set[str]:
    """The red-flag intents of the visitor's messages."""
    return {t.intent for t in turns(conversation) if t.intent and t.intent.startswith(RED_FLAG_PREFIX)}


def consultation_links(conversation: Conversation) -> List[str]:
    """The consultation buttons clicked (booking, call, email), one entry per click."""
    links = []
    for turn in turns(conversation):
        if turn.intent == CONSULTATION_INTENT:
            entities = (turn.message.get("parse_data") or {}).get("entities") or []
            links += [str(e.get("value")) for e in entities if e.get("entity") == CONSULTATION_ENTITY] or ["other"]
    return links
