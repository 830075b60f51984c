"""Rasa NLU component: which concerns a whole message is about.

The entity_ruler patterns find a concern only where the message
names it in a span ("acne scars", "lines from pregnancy"). Visitors often
describe it instead ("my skin has no glow any more", "my jawline has
dropped"). This component reads the whole message: a multi-label
classifier (one logistic regression per concern, on the character and word
n-grams of `nlp.whole_message.WholeMessageFeaturizer`, trained with
scikit-learn during `rasa train`) gives a confidence
per concern. Placed after `ConcernEntityResolver`, it

- always adds `concern_ranking` to the parse result: the likeliest concerns
  with their confidence, best first (the assistant's confirmation step
  offers them when it is not sure);
- in a message where a concern is expected (not a questionnaire answer, a
  red flag or small talk; an intent of those kinds that the intent classifier gave little
  confidence does not count), combines the concerns that pattern
  spans named with its own: a concern it is sure of becomes a `concern`
  entity with its canonical id (`accept_threshold`, or `add_threshold` when
  a span already named another), and a span's concern that it all but
  rules out while sure of another is dropped (`veto_threshold`,
  `override_threshold`).

Training labels come from the training data: a message's `concern` entities,
or `metadata: {concern: ...}` on an example that describes a concern
without naming it; the concern synonyms are positives of their own.
Examples without either are negatives.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Text, Tuple

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.contract import CONCERN as CONCERN_LABEL
from assistant.contract import CONCERN_RANKING as RANKING_KEY
from assistant.contract import WHOLE_MESSAGE_EXTRACTOR as EXTRACTOR
from nlp.whole_message import EXAMPLE_METADATA, WholeMessageComponent, example_features, features_of
# Intents after which a concern is never added from the whole message:
# questionnaire answers ("since my pregnancy" is a duration, not a concern),
# yes/no, small talk and red flags (which have their own replies).
DEFAULT_SKIP_INTENTS = [
    "inform", "affirm", "deny", "skip", "greet", "goodbye", "thank", "bot_challenge",
    "restart_conversation", "stop_questionnaire", "continue_questionnaire", "show_summary",
    "delete_my_data", "start_questionnaire",
]
SKIP_INTENT_PREFIXES = ("red_flag_",)


def example_concerns(message: Message) -> List[str]:
    """The concern ids a training example is labelled with (entities or metadata)."""
    labels = [str(e["value"]) for e in message.get(ENTITIES) or [] if e.get("entity") == CONCERN_LABEL]
    metadata = (message.get(METADATA) or {}).get(EXAMPLE_METADATA) or {}
    value = metadata.get(CONCERN_LABEL) if isinstance(metadata, dict) else None
    if isinstance(value, str):
        labels.append(value)
    elif isinstance(value, list):
        labels += [str(v) for v in value]
    return list(dict.fromkeys(labels))


def training_texts(training_data: TrainingData) -> Tuple[List[str], List[List[str]]]:
    """Every intent example with its concern labels, and every concern synonym.

    The synonyms (generated from the knowledge base) are short positive
    examples of their concern.
    """
    examples = [m for m in training_data.intent_examples if m.get(TEXT)]
    texts = [str(m.get(TEXT)) for m in examples]
    labels = [example_concerns(m) for m in examples]
    known = {c for row in labels for c in row}
    for synonym, concern_id in training_data.entity_synonyms.items():
        if concern_id in known:
            texts.append(synonym)
            labels.append([concern_id])
    return texts, labels


def combine(spans: Sequence[str], scores: Dict[str, float], config: Dict[Text, Any]) -> List[str]:
    """The concerns of a message, from the concerns its spans named and the classifier's confidences.

    A span's concern stays unless the classifier is sure of another
    (`override_threshold`) and gives the span's almost nothing
    (`veto_threshold`): a broad pattern such as "marks ... pimples" in
    "sunken marks from old pimples". A concern the classifier is sure of is
    added (`accept_threshold`, or the higher `add_threshold` when a span
    named another): messages often name one concern and describe a second.
    """
    kept = list(dict.fromkeys(spans))
    if max(scores.values(), default=0.0) >= config["override_threshold"]:
        kept = [c for c in kept if scores.get(c, 1.0) >= config["veto_threshold"]]
    threshold = config["add_threshold"] if kept else config["accept_threshold"]
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return kept + [c for c, p in ranked if p >= threshold and c not in kept]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class ConcernClassifier(WholeMessageComponent):
    """Whole-message concern confidences (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "accept_threshold": 0.5,
            "add_threshold": 0.8,
            "override_threshold": 0.7,
            "veto_threshold": 0.2,
            "ranking_size": 3,
            "ranking_minimum": 0.02,
            "regularisation": 16.0,
            "skip_intents": DEFAULT_SKIP_INTENTS,
            "skip_intent_confidence": 0.6,
        }

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the classifier on every intent example of the training data (and the concern synonyms)."""
        texts, labels = training_texts(training_data)
        if any(labels):
            examples = [m for m in training_data.intent_examples if m.get(TEXT)]
            synonyms = texts[len(examples):]
            features = example_features(examples)
            if synonyms:
                features = scipy.sparse.vstack([features, features_of(training_data, synonyms)], format="csr")
            self._fit_and_store(features, labels)
        return self._resource

    def _annotate(
        self, message: Message, text: str, scores: Dict[str, float], ranked: List[Tuple[str, float]]
    ) -> None:
        """Add the concern ranking and, where sure enough, concern entities."""
        shown = [(c, p) for c, p in ranked[: self._config["ranking_size"]] if p >= self._config["ranking_minimum"]]
        message.set(RANKING_KEY, [{"concern": c, "confidence": round(p, 4)} for c, p in shown], add_to_output=True)
        if self._concern_expected(message):
            message.set(ENTITIES, self._combined(message, text, scores), add_to_output=True)

    def _combined(self, message: Message, text: str, scores: Dict[str, float]) -> List[Dict[Text, Any]]:
        """The message's entities with the span concerns and the classifier's combined (see `combine`)."""
        entities = list(message.get(ENTITIES) or [])
        spans = [str(e["value"]) for e in entities if e.get("entity") == CONCERN_LABEL]
        keep = combine(spans, scores, self._config)
        entities = [e for e in entities if e.get("entity") != CONCERN_LABEL or str(e["value"]) in keep]
        return entities + [self._entity(text, c, scores[c]) for c in keep if c not in spans]

    def _concern_expected(self, message: Message) -> bool:
        """True when the intent is one a concern belongs to (see module docstring)."""
        intent = message.get(INTENT) or {}
        name = intent.get("name") or ""
        if name.startswith(SKIP_INTENT_PREFIXES):
            return False
        unsure = (intent.get("confidence") or 0.0) < self._config["skip_intent_confidence"]
        return name not in self._config["skip_intents"] or unsure

    @staticmethod
    def _entity(text: str, concern_id: str, confidence: float) -> Dict[Text, Any]:
        return {
            "entity": CONCERN_LABEL,
            "value": concern_id,
            "start": 0,
            "end": len(text),
            "confidence_entity": round(confidence, 4),
            "extractor": EXTRACTOR,
        }
