"""Build real rasa_sdk Trackers for action tests."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker


def tracker_for(
    text: str = "",
    intent: str = "describe_concern",
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    sender: str = "visitor",
    concern_ranking: Optional[List[Tuple[str, float]]] = None,
    question_topic: Optional[str] = None,
) -> Tracker:
    """A tracker whose latest user message has this intent, these entities and concern ranking."""
    latest: Dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": entities or [],
    }
    if concern_ranking is not None:
        latest["concern_ranking"] = [{"concern": c, "confidence": p} for c, p in concern_ranking]
    if question_topic is not None:
        latest["question_ranking"] = [{"topic": question_topic, "confidence": 0.9}]
    events = [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(sender, slots or {}, latest, events, False, None, None, "action_listen")


def concern_entity(value: str, extractor: str = "SpacyEntityExtractor") -> Dict[str, Any]:
    return {"entity": "concern", "value": value, "extractor": extractor}
