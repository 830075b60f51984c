"""What the NLU found in a message (its parse result): concerns, likely concerns, cautions, areas, the question.

Pure readers of a parse result as Rasa gives it (`intent`, `entities`,
`concern_ranking`, `question_ranking`), shared by the actions and the
evaluation.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

from assistant import contract as c
from assistant.knowledge_base import Faq, KnowledgeBase, Option
from assistant.matching import match_options, normalise

Parse = Dict[str, Any]
# Words around a caution that put it in the past ("from my pregnancy", "the
# dents my breakouts left").
PAST_WINDOW = 3
PAST_BEFORE = frozenset({"from", "after", "since", "old", "previous", "past", "used", "had", "teenage", "former",
                         "following", "last"})
PAST_AFTER = frozenset({"left", "ago", "cleared", "healed", "gone", "ended", "years", "over"})
# How a question reads: a question mark, or a question word first.
QUESTION_FORM = re.compile(
    r"\?|^\W*(how|what|when|where|why|which|who|can|could|is|are|am|do|does|did|will|would|should|shall|any|"
    r"may|might|has|have)\b", re.IGNORECASE)
# A question the topic classifier knows with this confidence is asked as such (no alarm rests on it alone).
KNOWN_QUESTION = 0.6


def intent_of(parse: Parse) -> str:
    """The intent the message was classified as (fallback included), or ''."""
    return str((parse.get("intent") or {}).get("name") or "")


def text_of(parse: Parse) -> str:
    return str(parse.get("text") or "")


def entity_values(parse: Parse, entity: str) -> List[str]:
    """The values of one entity type in the message, in order."""
    return [str(e.get("value")) for e in parse.get("entities") or [] if e.get("entity") == entity]


def named_concerns(parse: Parse, kb: KnowledgeBase) -> List[str]:
    """Known concern ids named in the message, in order, without repeats."""
    return [v for v in dict.fromkeys(entity_values(parse, c.CONCERN)) if kb.get(v)]


def slot_concerns(parse: Parse, kb: KnowledgeBase) -> List[str]:
    """The concerns the message puts into the `concern` slot (its mapping skips out-of-scope messages)."""
    return [] if intent_of(parse) == c.OUT_OF_SCOPE else named_concerns(parse, kb)


def concern_candidates(parse: Parse, kb: KnowledgeBase, minimum: float = c.CONFIRM_MINIMUM) -> List[str]:
    """The likeliest concerns of a message that named none, best first.

    Empty when the message does not lean to any concern clearly enough
    (the best guess is under `minimum`).
    """
    ranking = [
        r for r in parse.get(c.CONCERN_RANKING) or []
        if isinstance(r, dict) and kb.get(str(r.get("concern")))
    ]
    if not ranking or float(ranking[0].get("confidence") or 0) < minimum:
        return []
    return [str(r["concern"]) for r in ranking[:c.MAX_CANDIDATES]]


def question_topic(parse: Parse, kb: KnowledgeBase) -> Optional[Faq]:
    """The FAQ a parsed question asks, when the topic classifier is sure enough."""
    ranking = [r for r in parse.get(c.QUESTION_RANKING) or [] if isinstance(r, dict)]
    if not ranking or float(ranking[0].get("confidence") or 0) < c.TOPIC_MINIMUM:
        return None
    return kb.faq.get(str(ranking[0].get("topic")))


def named_options(parse: Parse, kb: KnowledgeBase, group: str, entity: str) -> List[str]:
    """Ids of a group's options a parsed message names, as entities or in its words, without repeats."""
    ids = entity_values(parse, entity) + match_options(kb.options[group], text_of(parse))
    return list(dict.fromkeys(ids))


def mentioned_areas(parse: Parse, kb: KnowledgeBase) -> List[str]:
    """The body areas a parsed message names."""
    return named_options(parse, kb, "body_area", c.BODY_AREA)


def caution_options(parse: Parse, kb: KnowledgeBase) -> List[Option]:
    """The caution options a parsed message names (entities or words), with a note.

    A caution that matters only while it lasts counts only when some mention
    of it is not in the past ("I'm pregnant", not "marks from my pregnancy").
    """
    text = text_of(parse)
    options = (kb.option("cautions", i) for i in named_options(parse, kb, "cautions", c.CAUTION))
    return [o for o in options if o and o.note and (not o.current_only or mentioned_now(text, o.synonyms))]


def mentioned_now(text: str, phrases: Sequence[str]) -> bool:
    """True when one of the phrases occurs in the text without a sign of the past around it."""
    words = normalise(text).split()
    for phrase in phrases:
        target = normalise(phrase).split()
        for start in range(len(words) - len(target) + 1):
            if words[start:start + len(target)] != target:
                continue
            before = set(words[max(0, start - PAST_WINDOW):start])
            after = set(words[start + len(target):start + len(target) + PAST_WINDOW])
            if not (before & PAST_BEFORE or after & PAST_AFTER):
                return True
    return False


def is_question(text: str) -> bool:
    """True when the text reads as a question."""
    return bool(QUESTION_FORM.search(text))


def asks_known_question(parse: Parse, minimum: float = KNOWN_QUESTION) -> bool:
    """True when a message reads as a question the topic classifier knows with confidence."""
    ranking = [r for r in parse.get(c.QUESTION_RANKING) or [] if isinstance(r, dict)]
    confident = bool(ranking) and float(ranking[0].get("confidence") or 0) >= minimum
    return confident and is_question(text_of(parse))
