"""Trackers as the questionnaire form's validation action receives them."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker


def form_tracker(
    requested: Optional[str],
    text: str,
    extracted: Dict[str, Any],
    before: Optional[Dict[str, Any]] = None,
    intent: str = "inform",
    entities: Optional[List[Dict[str, Any]]] = None,
) -> Tracker:
    """Slots `before` were set earlier; `extracted` were just extracted from `text`."""
    before = dict(before or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0},
              "intent_ranking": [{"name": intent, "confidence": 1.0}], "entities": entities or []}
    events: List[Dict[str, Any]] = [{"event": "slot", "name": k, "value": v} for k, v in before.items()]
    events += [
        {"event": "user", "text": text, "parse_data": latest},
        {"event": "action", "name": "action_extract_slots"},
    ]
    events += [{"event": "slot", "name": k, "value": v} for k, v in extracted.items()]
    slots = {**before, **extracted, "requested_slot": requested}
    active_loop = {"name": "questionnaire_form"}
    return Tracker("visitor", slots, latest, events, False, None, active_loop, "questionnaire_form")


def entity(name: str, value: str) -> Dict[str, Any]:
    return {"entity": name, "value": value, "extractor": "SpacyEntityExtractor"}
