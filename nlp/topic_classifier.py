"""Rasa NLU component: which frequent question a message asks.

All frequent questions share one intent, `ask_question`; which one it is
(`pain`, `compare_lasers`, `normal_recovery`...) is the topic, given in the
training data as `metadata: {topic: <key of assistant/knowledge/faq*.yml>}`.
This component learns the topics from those examples, with every other
example as a negative (logistic regressions over the same word and character
n-grams as the concern classifier, from `nlp.whole_message.WholeMessageFeaturizer`),
and adds `question_ranking` to every parse result: the likeliest topics with
their confidence, best first. A confidence is high only for a message that
asks that question, so the intent guard can also recognise a question the
intent classifier missed. The action that answers decides what is sure
enough; a new topic needs examples and a knowledge-base entry, no domain
change.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.contract import QUESTION_RANKING as RANKING_KEY
from assistant.contract import TOPIC
import hashlib

import scipy.sparse

from assistant.knowledge_base import Faq, load_knowledge_base
from nlp.whole_message import EXAMPLE_METADATA, WholeMessageComponent, example_features, features_of

def answer_texts(faqs: Sequence[Faq]) -> Tuple[List[str], List[List[str]]]:
    """Each topic's own words as positives of it: its question, and its answer as one text."""
    texts: List[str] = []
    labels: List[List[str]] = []
    for faq in faqs:
        for text in [faq.question, f"{faq.answer} {faq.more or ''}".strip()]:
            texts.append(text)
            labels.append([faq.key])
    return texts, labels


def example_topic(message: Message) -> Optional[str]:
    """The topic a training example is labelled with, if any."""
    metadata = (message.get(METADATA) or {}).get(EXAMPLE_METADATA) or {}
    topic = metadata.get(TOPIC) if isinstance(metadata, dict) else None
    return str(topic) if topic else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuestionTopicClassifier(WholeMessageComponent):
    """The likeliest frequent-question topics of a message (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"ranking_size": 3, "regularisation": 16.0, "answer_texts": False}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The knowledge base's questions and answers, when they are training data (Rasa's cache cannot see them)."""
        if not config.get("answer_texts"):
            return None
        texts, _ = answer_texts(list(load_knowledge_base().faq.values()))
        return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the classifier: the examples labelled with a topic, every other one a negative, and (with
        `answer_texts`) each topic's own question and answer sentences as positives of it."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        topics = [[topic] if topic else [] for topic in map(example_topic, examples)]
        if len({t[0] for t in topics if t}) <= 1:
            return self._resource
        features = example_features(examples)
        if self._config.get("answer_texts"):
            texts, labels = answer_texts(list(load_knowledge_base().faq.values()))
            features = scipy.sparse.vstack([features, features_of(training_data, texts)], format="csr")
            topics += labels
        self._fit_and_store(features, topics)
        return self._resource

    def _annotate(
        self, message: Message, text: str, scores: Dict[str, float], ranked: List[Tuple[str, float]]
    ) -> None:
        """Add the topic ranking."""
        ranking = [{TOPIC: t, "confidence": round(p, 4)} for t, p in ranked[: self._config["ranking_size"]]]
        message.set(RANKING_KEY, ranking, add_to_output=True)
