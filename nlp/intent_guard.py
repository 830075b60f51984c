"""Rasa NLU component: deterministic corrections of the classified intent.

Placed last in the pipeline, after DIET and the FallbackClassifier:

1. Red flags must never be missed. When the spaCy patterns from
   `actions/knowledge/red_flags.yml` found a red flag, the intent becomes the
   intent of the most urgent red flag they found, whatever the classifier or
   the fallback said (the patterns name the symptom; DIET may confuse two
   kinds of red flag, for example swelling from infection and from allergy).
   A match that can tell of an accident ("cut myself") is set aside when the
   message says how the accident happened ("...shaving"); the classifier's
   own red-flag intent is never overridden.
2. A message that names a known concern but was classified only as a generic
   answer (`inform`) or not understood (`nlu_fallback`) is a description of
   that concern (`describe_concern`). So is one classified as out of scope
   in which the whole-message concern classifier was sure of a concern.
3. A message that names a caution (pregnancy, isotretinoin, active acne...)
   but was classified only as generic, or as a request for a diagnosis ("is
   microneedling a bad idea for me? I'm diabetic"), is a question about it
   (`ask_caution`): the caution's answer must not be lost.
4. A caution question that also names a concern ("I'm on isotretinoin, can
   it help my acne scars?") is a description of the concern: its answer
   addresses the caution first, and the questionnaire offer follows.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.knowledge_base import RedFlag, load_knowledge_base
from nlp.concern_classifier import EXTRACTOR as WHOLE_MESSAGE_EXTRACTOR
from nlp.patterns import CONCERN_LABEL, RED_FLAG_LABEL

DESCRIBE_CONCERN = "describe_concern"
ASK_CAUTION = "ask_caution"
CAUTION_LABEL = "caution"
GENERIC_INTENTS = {"inform", "nlu_fallback"}
ASK_DIAGNOSIS = "ask_diagnosis"
OUT_OF_SCOPE = "out_of_scope"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentGuard(GraphComponent):
    """Deterministic intent corrections (see module docstring)."""

    def __init__(self, red_flags: Sequence[RedFlag]) -> None:
        """The red-flag kinds, most urgent first."""
        self._intent_of = {flag.kind: flag.intent for flag in red_flags}
        self._flags = {flag.kind: flag for flag in red_flags}
        self._urgency = list(self._intent_of.values())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentGuard":
        return cls(load_knowledge_base().red_flags)

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
        text = str(message.get(TEXT) or "")
        flagged = [self._intent_of[e["value"]] for e in entities
                   if e["entity"] == RED_FLAG_LABEL and e["value"] in self._intent_of
                   and not self._accident(e, text)]
        if flagged:
            return min(flagged, key=self._urgency.index)
        concerns = [e for e in entities if e["entity"] == CONCERN_LABEL]
        cautions = [e for e in entities if e["entity"] == CAUTION_LABEL]
        if current == ASK_DIAGNOSIS and cautions:
            return DESCRIBE_CONCERN if concerns else ASK_CAUTION
        if (current in GENERIC_INTENTS or current == ASK_CAUTION) and concerns:
            return DESCRIBE_CONCERN
        if current == OUT_OF_SCOPE and any(e.get("extractor") == WHOLE_MESSAGE_EXTRACTOR for e in concerns):
            return DESCRIBE_CONCERN
        if current in GENERIC_INTENTS and cautions:
            return ASK_CAUTION
        return None

    def _accident(self, entity: Dict[str, Any], text: str) -> bool:
        """True when a red-flag match tells of an accident the message describes."""
        flag = self._flags[entity["value"]]
        if not flag.accident_cues:
            return False
        span = set(re.findall(r"[a-z]+", text[entity.get("start", 0): entity.get("end", 0)].lower()))
        lowered = f" {' '.join(re.findall(r'[a-z]+', text.lower()))} "
        return bool(span & set(flag.accident_words)) and any(f" {cue} " in lowered for cue in flag.accident_cues)
