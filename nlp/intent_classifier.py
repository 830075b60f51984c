"""Rasa NLU component: the intent of a whole message, from the shared features.

One multinomial logistic regression (scikit-learn, balanced class weights)
over the word and character n-grams of `nlp.whole_message.WholeMessageFeaturizer`,
the features the concern and topic classifiers read too. It replaces DIET:
the entities come from the knowledge-base patterns (`SpacyEntityExtractor`
and `ConcernEntityResolver`) and the concerns a message describes without
naming them from `ConcernClassifier`, so no component needs TensorFlow and
training takes seconds instead of minutes. It sets `intent` and
`intent_ranking` as Rasa's classifiers do; the FallbackClassifier and the
intent guard read them after it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression

from nlp.whole_message import FEATURES, example_features

MODEL_FILE = "intent_model.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class WholeMessageIntentClassifier(GraphComponent):
    """The likeliest intents of a message (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"regularisation": 16.0, "ranking_length": 10, "max_iter": 3000}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[LogisticRegression] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._set_model(model)

    def _set_model(self, model: Optional[LogisticRegression]) -> None:
        """Keep the regression, and its weights one row per feature in row order (see `confidences`)."""
        self._model = model
        if model is not None:
            self._feature_weights = np.ascontiguousarray(model.coef_.T)

    def confidences(self, features: Any) -> np.ndarray:
        """The regression's `predict_proba`, without the copy of its whole weight matrix that
        scikit-learn's product with the transposed `coef_` makes SciPy do for every message."""
        assert self._model is not None
        return softmax(np.asarray(features @ self._feature_weights) + self._model.intercept_, axis=1)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "WholeMessageIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "WholeMessageIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the regression on every intent example with a text."""
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        if len({m.get(INTENT) for m in examples}) > 1:
            # newton-cg: the same optimum as the default lbfgs in 20 steps instead of 120 (half the time).
            model = LogisticRegression(C=self._config["regularisation"], class_weight="balanced",
                                       max_iter=self._config["max_iter"], solver="newton-cg")
            self._set_model(model.fit(example_features(examples), [m.get(INTENT) for m in examples]))
            with self._storage.write_to(self._resource) as directory:
                joblib.dump(self._model, directory / MODEL_FILE)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        """Set the intent and the ranking of each featurised message (no intent, confidence 0, for the rest)."""
        featurised = [m for m in messages if m.get(FEATURES) is not None] if self._model is not None else []
        for message in messages:
            if message.get(FEATURES) is None or self._model is None:
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if self._model is None or not featurised:
            return messages
        labels = [str(label) for label in self._model.classes_]
        for message, row in zip(featurised, self.confidences(example_features(featurised))):
            ranked = sorted(zip(labels, map(float, row)), key=lambda item: -item[1])
            ranking = [{"name": name, "confidence": p} for name, p in ranked[: self._config["ranking_length"]]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
