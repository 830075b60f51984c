"""Rasa NLU component: a red-flag pattern always wins over the classifier.

Red flags (signs of infection or allergic reaction, severe pain, eye problems,
a changing mole, self-harm) must never be missed. DIET is trained on them, and
this component, placed last, backs it up deterministically: when the spaCy
patterns from `actions/knowledge/red_flags.yml` found a red flag, the intent
becomes that red flag's intent (the most urgent kind when there are several),
whatever the classifier or the fallback said.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge_base import RedFlag, load_knowledge_base
from nlp.patterns import RED_FLAG_LABEL


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RedFlagSafetyNet(GraphComponent):
    """Overrides the intent when a red-flag pattern matched (see module docstring)."""

    def __init__(self, red_flags: List[RedFlag]) -> None:
        self._by_kind = {flag.kind: flag for flag in red_flags}
        self._urgency = [flag.kind for flag in red_flags]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RedFlagSafetyNet":
        return cls(list(load_knowledge_base().red_flags))

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the red-flag intent on messages with a red-flag pattern."""
        for message in messages:
            intent = self.red_flag_intent(message)
            current = (message.get(INTENT) or {}).get("name")
            if intent and not (current or "").startswith("red_flag_"):
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
                override = {"name": intent, "confidence": 1.0}
                message.set(INTENT, override, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [override] + ranking, add_to_output=True)
        return messages

    def red_flag_intent(self, message: Message) -> Optional[str]:
        """The intent of the most urgent red flag found by the patterns, if any."""
        kinds = {e["value"] for e in message.get(ENTITIES) or [] if e["entity"] == RED_FLAG_LABEL}
        for kind in self._urgency:
            if kind in kinds:
                return self._by_kind[kind].intent
        return None
