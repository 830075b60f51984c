"""What the concern and question-topic classifiers share: the model and its storage.

Both read a whole message with the same scikit-learn model (word 1-2-grams and
character 2-5-grams, TF-IDF, one logistic regression per label) trained during
`rasa train`, and store it in the Rasa model archive.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MultiLabelBinarizer

# Where Rasa keeps an example's own metadata (`metadata:` under `- text:`).
EXAMPLE_METADATA = "example"
MODEL_FILE = "whole_message_model.joblib"


def build_model(c: float = 16.0) -> Pipeline:
    """The untrained classifier: word and character n-grams, one regression per label."""
    features = FeatureUnion([
        ("words", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])
    classifier = OneVsRestClassifier(LogisticRegression(C=c, class_weight="balanced", max_iter=2000))
    return Pipeline([("features", features), ("classifier", classifier)])


class WholeMessageModel:
    """A fitted multi-label classifier and the labels it knows."""

    def __init__(self, pipeline: Pipeline, labels: Sequence[str]) -> None:
        self.pipeline = pipeline
        self.labels = list(labels)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[Sequence[str]], c: float = 16.0) -> "WholeMessageModel":
        """Train on texts and their labels (an empty list for a negative)."""
        binarizer = MultiLabelBinarizer()
        targets = binarizer.fit_transform(labels)
        pipeline = build_model(c).fit(list(texts), targets)
        return cls(pipeline, list(binarizer.classes_))

    def confidences(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one confidence (0 to 1) per label."""
        return np.asarray(self.pipeline.predict_proba(list(texts)))

    def scores(self, text: str) -> Dict[str, float]:
        """Each label's confidence for one text."""
        return dict(zip(self.labels, map(float, self.confidences([text])[0])))


class WholeMessageComponent(GraphComponent):
    """A Rasa component that trains, stores and loads a `WholeMessageModel`."""

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[WholeMessageModel] = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "WholeMessageComponent":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "WholeMessageComponent":
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        """Score each non-empty message and let the component annotate it."""
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if text.strip():
                scores = self._model.scores(text)
                self._annotate(message, text, scores, sorted(scores.items(), key=lambda item: -item[1]))
        return messages

    def _annotate(
        self, message: Message, text: str, scores: Dict[str, float], ranked: List[Tuple[str, float]]
    ) -> None:
        """Add what the component derives from a message's label confidences (`ranked`: best first)."""
        raise NotImplementedError

    def _fit_and_store(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> None:
        self._model = WholeMessageModel.fit(texts, labels, c=self._config["regularisation"])
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
