"""What the NLU found in the latest message: concerns, likely concerns, cautions."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker

from actions.knowledge_base import KnowledgeBase, Option
from actions.matching import match_options

CONCERN_SLOT = "concern"
# The concerns offered for confirmation (set by the answer actions).
SUGGESTED_SLOT = "suggested_concerns"
CONFIRMING_SLOT = "confirming_concern"
CAUTION_ENTITY = "caution"
# Written by nlp.concern_classifier.ConcernClassifier into the parse result.
RANKING_KEY = "concern_ranking"
# The best guess must reach this confidence to be offered for confirmation;
# below it the visitor gets every concern to choose from.
CONFIRM_MINIMUM = 0.1
MAX_CANDIDATES = 3


def mentioned_concerns(tracker: Tracker, kb: KnowledgeBase) -> List[str]:
    """Known concern ids named in the latest message, in order, without repeats."""
    ids: List[str] = []
    for value in tracker.get_latest_entity_values(CONCERN_SLOT):
        if isinstance(value, str) and kb.get(value) and value not in ids:
            ids.append(value)
    return ids


def concern_candidates(parse_data: dict, kb: KnowledgeBase) -> List[str]:
    """The likeliest concerns of a message that named none, best first.

    Empty when the message does not lean to any concern clearly enough
    (the best guess is under `CONFIRM_MINIMUM`).
    """
    ranking = [
        r for r in parse_data.get(RANKING_KEY) or []
        if isinstance(r, dict) and kb.get(str(r.get("concern")))
    ]
    if not ranking or float(ranking[0].get("confidence") or 0) < CONFIRM_MINIMUM:
        return []
    return [str(r["concern"]) for r in ranking[:MAX_CANDIDATES]]


def caution_options(parse_data: Dict[str, Any], kb: KnowledgeBase) -> List[Option]:
    """The caution options a parsed message names (entities or words), with a note."""
    ids = [str(e.get("value")) for e in parse_data.get("entities") or [] if e.get("entity") == CAUTION_ENTITY]
    ids += match_options(kb.options["cautions"], parse_data.get("text") or "")
    options = (kb.option("cautions", i) for i in dict.fromkeys(ids))
    return [o for o in options if o and o.note]


def mentioned_cautions(tracker: Tracker, kb: KnowledgeBase) -> List[Option]:
    """The caution options the latest message names, with a note."""
    return caution_options(tracker.latest_message, kb)
