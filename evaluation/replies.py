"""What the assistant answers to a message: the rules' action for its intent, then that action's decision.

The rules are read from `data/rules/` (the rules that start a conversation
turn with an intent and need no condition), so the evaluation follows the
dialogue as trained; the reply is the decision of `assistant.decisions`, as
the action server gives it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from assistant import contract as c
from assistant.clinic import clinic
from assistant.decisions import Reply, reply_of
from assistant.knowledge_base import KnowledgeBase
from assistant.state import State
from assistant.understanding import Parse, intent_of

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "data" / "rules"


@lru_cache(maxsize=1)
def first_actions(rules: Path = RULES) -> Dict[str, str]:
    """Intent -> the action the rules run for it outside the questionnaire (no condition, no earlier step)."""
    routes: Dict[str, str] = {}
    for path in sorted(rules.glob("*.yml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules") or []:
            steps: List[Dict[str, Any]] = rule.get("steps") or []
            if rule.get("condition") or len(steps) < 2 or "action" not in steps[1]:
                continue
            first = steps[0]
            intents = [first["intent"]] if "intent" in first else [o["intent"] for o in first.get("or") or []]
            for intent in intents:
                routes.setdefault(intent, steps[1]["action"])
    return routes


def first_reply(parse: Parse, kb: KnowledgeBase, state: Optional[State] = None) -> Reply:
    """The reply to a message that opens a conversation (or comes after `state`)."""
    intent = intent_of(parse)
    action = first_actions().get(intent, c.FALLBACK_ACTION)
    return reply_of(action, parse, state or State(messages=((0.0, dict(parse)),)), kb, clinic())


# Replies that answer other sources' questions: the aftercare answer is the recovery answer for the day.
COVERS = {c.AFTERCARE: tuple(f"faq:{topic}" for topic in c.RECOVERY_TOPICS)}


def on_topic(source: str, accepted: Sequence[str]) -> bool:
    """True when a reply's source is accepted (a passage of a concern counts for the concern)."""
    return any(s == a or s.startswith(f"{a}:") for s in (source, *COVERS.get(source, ())) for a in accepted)
