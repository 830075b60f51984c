"""What the NLU found in the latest message: concerns, likely concerns, cautions."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence

from rasa_sdk import Tracker

from actions.knowledge_base import KnowledgeBase, Option
from actions.matching import match_options, normalise

CONCERN_SLOT = "concern"
# The concerns offered for confirmation (set by the answer actions).
SUGGESTED_SLOT = "suggested_concerns"
CONFIRMING_SLOT = "confirming_concern"
CAUTION_ENTITY = "caution"
AREA_ENTITY = "body_area"
# Written by nlp.concern_classifier.ConcernClassifier into the parse result.
RANKING_KEY = "concern_ranking"
# The best guess of a message that was not understood must reach this
# confidence to be offered for confirmation; below it the visitor gets every
# concern to choose from. A message understood as describing a concern needs
# only to lean to one (gibberish leans to none).
CONFIRM_MINIMUM = 0.1
LEANING_MINIMUM = 0.05
MAX_CANDIDATES = 3
# Words around a caution that put it in the past ("from my pregnancy", "the
# dents my breakouts left").
PAST_WINDOW = 3
PAST_BEFORE = frozenset({"from", "after", "since", "old", "previous", "past", "used", "had", "teenage", "former",
                         "following", "last"})
PAST_AFTER = frozenset({"left", "ago", "cleared", "healed", "gone", "ended", "years", "over"})


def mentioned_concerns(tracker: Tracker, kb: KnowledgeBase) -> List[str]:
    """Known concern ids named in the latest message, in order, without repeats."""
    ids: List[str] = []
    for value in tracker.get_latest_entity_values(CONCERN_SLOT):
        if isinstance(value, str) and kb.get(value) and value not in ids:
            ids.append(value)
    return ids


def concern_candidates(parse_data: dict, kb: KnowledgeBase, minimum: float = CONFIRM_MINIMUM) -> List[str]:
    """The likeliest concerns of a message that named none, best first.

    Empty when the message does not lean to any concern clearly enough
    (the best guess is under `minimum`).
    """
    ranking = [
        r for r in parse_data.get(RANKING_KEY) or []
        if isinstance(r, dict) and kb.get(str(r.get("concern")))
    ]
    if not ranking or float(ranking[0].get("confidence") or 0) < minimum:
        return []
    return [str(r["concern"]) for r in ranking[:MAX_CANDIDATES]]


def conversation_concerns(tracker: Tracker, kb: KnowledgeBase) -> List[str]:
    """The known concern ids of the conversation so far (the `concern` slot)."""
    return [c for c in tracker.get_slot(CONCERN_SLOT) or [] if kb.get(c)]


def named_options(parse_data: Dict[str, Any], kb: KnowledgeBase, group: str, entity: str) -> List[str]:
    """Ids of a group's options a parsed message names, as entities or in its words, without repeats."""
    ids = [str(e.get("value")) for e in parse_data.get("entities") or [] if e.get("entity") == entity]
    ids += match_options(kb.options[group], str(parse_data.get("text") or ""))
    return list(dict.fromkeys(ids))


def mentioned_areas(parse_data: Dict[str, Any], kb: KnowledgeBase) -> List[str]:
    """The body areas a parsed message names."""
    return named_options(parse_data, kb, "body_area", AREA_ENTITY)


def caution_options(parse_data: Dict[str, Any], kb: KnowledgeBase) -> List[Option]:
    """The caution options a parsed message names (entities or words), with a note.

    A caution that matters only while it lasts counts only when some mention
    of it is not in the past ("I'm pregnant", not "marks from my pregnancy").
    """
    text = str(parse_data.get("text") or "")
    options = (kb.option("cautions", i) for i in named_options(parse_data, kb, "cautions", CAUTION_ENTITY))
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


def mentioned_cautions(tracker: Tracker, kb: KnowledgeBase) -> List[Option]:
    """The caution options the latest message names, with a note."""
    return caution_options(tracker.latest_message, kb)
