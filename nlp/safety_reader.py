"""Rasa NLU component: the safety reader's reading of every message (see assistant/safety/).

Trained during `rasa train` on the safety corpus (`corpus`, default
data/safety/: danger in everyday words by kind, and look-alikes) and on the NLU
training data (a red-flag intent's examples are its kind, every other example
is "none"). Placed after the intent and topic classifiers, it adds `safety`
to every parse result: the classifier's confidence per kind, the kinds the
red-flag phrases name (with the set-asides of red_flags.yml), a red-flag
intent the intent classifier is sure of, whether it is sure of something
harmless, and a treatment the message tells of. The intent guard turns a sure
reading into a red-flag intent; the safety policy reads it with the
conversation; the actions add the warning signs of a possible one.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant import contract as c
from assistant.knowledge_base import KnowledgeBase, load_knowledge_base
from assistant.safety.model import NONE, SafetyModel, Scorer, corpus
from assistant.safety.phrases import PhraseReader, words
from assistant.safety.treatment import only_tells_treatment
from assistant.safety.triage import SELF_HARM_KINDS, Reading, treatment_days
from assistant.understanding import asks_known_question

MODEL_FILE = "safety_model.joblib"
DEFAULT_CORPUS = "data/safety"


def kind_of_intent(intent: Optional[str]) -> str:
    """The kind a training example's intent stands for ("none" for any other intent)."""
    return intent[len(c.RED_FLAG_PREFIX):] if intent and intent.startswith(c.RED_FLAG_PREFIX) else NONE


def training_examples(directory: Path, kb: KnowledgeBase, training_data: TrainingData) -> Tuple[List[str], List[str]]:
    """The corpus's examples, then the NLU data's (a text both have is learnt once, as the corpus labels it)."""
    texts, labels = corpus(directory, kb)
    seen = set(texts)
    for example in training_data.intent_examples:
        text = str(example.get(TEXT) or "")
        if text and text not in seen:
            seen.add(text)
            texts.append(text)
            labels.append(kind_of_intent(example.get(INTENT)))
    return texts, labels


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyReader(GraphComponent):
    """Adds the safety reading to each message (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"corpus": DEFAULT_CORPUS, "regularisation": 8.0}

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The corpus is read from its folder, not given by Rasa: its content is part of the fingerprint."""
        digest = hashlib.sha256()
        for path in sorted(Path(config.get("corpus", DEFAULT_CORPUS)).glob("*.yml")):
            digest.update(path.name.encode() + path.read_bytes())
        return digest.hexdigest()

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[Scorer] = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model: Optional[Scorer] = model
        self._kb = load_knowledge_base()
        self._phrases = PhraseReader(self._kb.red_flags)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyReader":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SafetyReader":
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the classifier on the safety corpus and the NLU training data."""
        texts, labels = training_examples(Path(self._config["corpus"]), self._kb, training_data)
        self._model = SafetyModel.fit(texts, labels, regularisation=self._config["regularisation"])
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Add the reading of each non-empty message."""
        if self._model is None:
            return messages
        now = datetime.now()
        for message in messages:
            text = str(message.get(TEXT) or "")
            if text.strip():
                message.set(c.SAFETY, self.reading(message, text, now).as_dict(), add_to_output=True)
        return messages

    def reading(self, message: Message, text: str, now: datetime) -> Reading:
        """The reading of one message (its intent as the intent classifier left it)."""
        assert self._model is not None
        phrases = self._phrases.read(text, message.get(ENTITIES) or [])
        explained = phrases.explained
        if self._accident(text) and c.SELF_HARM not in phrases.real:
            explained = (*explained, c.SELF_HARM)  # "I nicked myself shaving": told with how it happened
        intent = message.get(INTENT) or {}
        name, confidence = str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)
        kind = name[len(c.RED_FLAG_PREFIX):]
        # The intent classifier's red flag, unless it rested on a phrase the message explains or asks about.
        told = only_tells_treatment(text)  # "I had microneedling yesterday": the context of what comes next
        sure_red_flag = name.startswith(c.RED_FLAG_PREFIX) and kind not in (*explained, *phrases.asked) \
            and confidence >= (c.CLASSIFIED_SELF_HARM if kind == c.SELF_HARM else c.CLASSIFIED_RED_FLAG) \
            and not (told and kind not in SELF_HARM_KINDS)
        harmless = name in c.HARMLESS_INTENTS and confidence >= c.HARMLESS_CONFIDENCE or told
        understood = not name.startswith(c.RED_FLAG_PREFIX) and confidence >= c.UNDERSTOOD_CONFIDENCE
        parse = {TEXT: text, c.QUESTION_RANKING: message.get(c.QUESTION_RANKING)}
        return Reading(self._model.scores(text), phrases.real, phrases.asked, explained,
                       name if sure_red_flag else None, harmless, asks_known_question(parse), treatment_days(text, now),
                       understood)

    def _accident(self, text: str) -> bool:
        """True when the message tells how an accident happened (the self-harm kind's accident cues)."""
        lowered = f" {' '.join(words(text))} "
        return any(f" {cue} " in lowered for flag in self._kb.red_flags if flag.kind == c.SELF_HARM
                   for cue in flag.accident_cues)
