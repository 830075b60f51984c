"""Rasa NLU component: deterministic corrections of the classified intent.

Placed last in the pipeline, after DIET and the FallbackClassifier:

1. Red flags must never be missed. When the spaCy patterns from
   `actions/knowledge/red_flags.yml` found a red flag, the intent becomes the
   intent of the most urgent red flag they found, whatever the classifier or
   the fallback said (the patterns name the symptom; DIET may confuse two
   kinds of red flag, for example swelling from infection and from allergy).
2. A message that names a known concern but was classified only as a generic
   answer (`inform`) or not understood (`nlu_fallback`) is a description of
   that concern (`describe_concern`).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge_base import load_knowledge_base
from nlp.patterns import CONCERN_LABEL, RED_FLAG_LABEL

DESCRIBE_CONCERN = "describe_concern"
GENERIC_INTENTS = {"inform", "nlu_fallback"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentGuard(GraphComponent):
    """Deterministic intent corrections (see module docstring)."""

    def __init__(self, red_flag_intents: Dict[str, str]) -> None:
        """`red_flag_intents` maps each red-flag kind to its intent, most urgent first."""
        self._intent_of = red_flag_intents
        self._urgency = list(red_flag_intents.values())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentGuard":
        return cls({flag.kind: flag.intent for flag in load_knowledge_base().red_flags})

    def process(self, messages: List[Message]) -> List[Message]:
        """Correct the intent of each message where a rule applies."""
        for message in messages:
            current = (message.get(INTENT) or {}).get("name")
            corrected = self.corrected_intent(message, current)
            if corrected and corrected != current:
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != corrected]
                override = {"name": corrected, "confidence": 1.0}
                message.set(INTENT, override, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [override] + ranking, add_to_output=True)
        return messages

    def corrected_intent(self, message: Message, current: Optional[str]) -> Optional[str]:
        """The intent the message should have, or None to keep the classifier's."""
        entities = message.get(ENTITIES) or []
        flagged = [self._intent_of[e["value"]] for e in entities
                   if e["entity"] == RED_FLAG_LABEL and e["value"] in self._intent_of]
        if flagged:
            return min(flagged, key=self._urgency.index)
        if current in GENERIC_INTENTS and any(e["entity"] == CONCERN_LABEL for e in entities):
            return DESCRIBE_CONCERN
        return None
