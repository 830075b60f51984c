"""What the whole-message classifiers share: one featurisation, the label models and their storage.

Every message is read once by `WholeMessageFeaturizer` (TF-IDF on word
1-2-grams and character 2-5-grams, fitted during `rasa train` and stored in
the Rasa model archive); the intent, concern and question-topic classifiers
all score those same features, each with its own logistic regressions. So a
message is featurised once, not once per classifier, and the vocabularies
are held in memory once.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import joblib
import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import MultiLabelBinarizer

# Where Rasa keeps an example's own metadata (`metadata:` under `- text:`).
EXAMPLE_METADATA = "example"
MODEL_FILE = "whole_message_model.joblib"
FEATURIZER_FILE = "whole_message_features.joblib"
# The message key under which the featuriser leaves a message's features (never in the parse output).
FEATURES = "whole_message_features"
# The attribute of the training data under which the fitted featuriser is handed to the classifiers,
# which featurise texts of their own (the concern synonyms) with it.
FEATURIZER_ATTRIBUTE = "_whole_message_featurizer"


def build_features() -> FeatureUnion:
    """The untrained featurisation: word and character n-grams, TF-IDF."""
    return FeatureUnion([
        ("words", TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def featurised_texts(training_data: TrainingData) -> List[str]:
    """The texts the featuriser is fitted on: every intent example, then every entity synonym."""
    texts = [str(m.get(TEXT)) for m in training_data.intent_examples if m.get(TEXT)]
    return list(dict.fromkeys(texts + list(training_data.entity_synonyms)))


def _fit_one(features: Any, target: np.ndarray, c: float) -> Tuple[np.ndarray, float]:
    """One label's regression: its weights and intercept."""
    regression = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    regression.fit(features, target)
    return regression.coef_[0], float(regression.intercept_[0])


class LabelModel:
    """One logistic regression per label over the shared features (a multi-label classifier).

    The same as scikit-learn's one-vs-rest classifier of logistic regressions,
    with the fitted weights stacked in one matrix, so a message is scored with
    one product instead of one call per label. The matrix is kept one row per
    feature, in row order (C-contiguous): a sparse row times it reads only the
    rows of the message's features, where a transposed view would make SciPy
    copy the whole matrix for every message (a quarter of the Rasa server's
    time when it did, docs/measurements.md).
    """

    def __init__(self, labels: Sequence[str], weights: np.ndarray, intercepts: np.ndarray) -> None:
        """`weights`: one row per label, one column per feature (as scikit-learn's `coef_`)."""
        self.labels = list(labels)
        self.feature_weights = np.ascontiguousarray(np.asarray(weights).T)
        self.intercepts = intercepts

    @classmethod
    def fit(cls, features: Any, labels: Sequence[Sequence[str]], c: float = 16.0) -> "LabelModel":
        """Train on feature rows and their labels (an empty list for a negative)."""
        binarizer = MultiLabelBinarizer()
        targets = binarizer.fit_transform(labels)
        fitted = [_fit_one(features, targets[:, column], c) for column in range(targets.shape[1])]
        weights = np.vstack([weight for weight, _ in fitted])
        return cls(list(binarizer.classes_), weights, np.asarray([intercept for _, intercept in fitted]))

    def confidences(self, features: Any) -> np.ndarray:
        """One row per feature row, one confidence (0 to 1) per label."""
        return expit(np.asarray(features @ self.feature_weights) + self.intercepts)


class WholeMessageModel:
    """A featurisation and a label model, fitted together (for the cross-validation of evaluation/)."""

    def __init__(self, features: FeatureUnion, model: LabelModel) -> None:
        self.features = features
        self.model = model
        self.labels = model.labels

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[Sequence[str]], c: float = 16.0) -> "WholeMessageModel":
        features = build_features().fit(list(texts))
        return cls(features, LabelModel.fit(features.transform(list(texts)), labels, c))

    def confidences(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.confidences(self.features.transform(list(texts)))


def features_of(training_data: TrainingData, texts: Sequence[str]) -> Any:
    """Feature rows for texts of a classifier's own, with the featuriser fitted on this training data."""
    featurizer = getattr(training_data, FEATURIZER_ATTRIBUTE, None)
    if featurizer is None:
        raise ValueError("nlp.whole_message.WholeMessageFeaturizer must come before the whole-message classifiers "
                         "in config.yml")
    return featurizer.transform(list(texts))


def example_features(examples: Sequence[Message]) -> Any:
    """The featuriser's rows of training examples, stacked."""
    return scipy.sparse.vstack([m.get(FEATURES) for m in examples], format="csr")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class WholeMessageFeaturizer(GraphComponent):
    """Featurises each message once for the intent, concern and topic classifiers (see module docstring)."""

    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 features: Optional[FeatureUnion] = None) -> None:
        self._storage = model_storage
        self._resource = resource
        self._features = features

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "WholeMessageFeaturizer":
        return cls(model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "WholeMessageFeaturizer":
        try:
            with model_storage.read_from(resource) as directory:
                features = joblib.load(directory / FEATURIZER_FILE)
        except (ValueError, FileNotFoundError):
            features = None
        return cls(model_storage, resource, features)

    def train(self, training_data: TrainingData) -> Resource:
        texts = featurised_texts(training_data)
        if texts:
            self._features = build_features().fit(texts)
            with self._storage.write_to(self._resource) as directory:
                joblib.dump(self._features, directory / FEATURIZER_FILE)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurise every training example with text, and hand the featuriser on to the classifiers."""
        if self._features is not None:
            self.process([m for m in training_data.training_examples if m.get(TEXT)])
            setattr(training_data, FEATURIZER_ATTRIBUTE, self._features)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self._features is None:
            return messages
        featurised = [m for m in messages if (m.get(TEXT) or "").strip()]
        if featurised:
            rows = self._features.transform([str(m.get(TEXT)) for m in featurised]).tocsr()
            for index, message in enumerate(featurised):
                message.set(FEATURES, rows[index])
        return messages


class WholeMessageComponent(GraphComponent):
    """A Rasa component that trains, stores and loads a `LabelModel` over the shared features."""

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[LabelModel] = None,
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
        """Score each featurised message and let the component annotate it."""
        if self._model is None:
            return messages
        featurised = [m for m in messages if m.get(FEATURES) is not None and (m.get(TEXT) or "").strip()]
        if not featurised:
            return messages
        rows = self._model.confidences(example_features(featurised))
        for message, row in zip(featurised, rows):
            scores = dict(zip(self._model.labels, map(float, row)))
            self._annotate(message, str(message.get(TEXT)), scores,
                           sorted(scores.items(), key=lambda item: -item[1]))
        return messages

    def _annotate(
        self, message: Message, text: str, scores: Dict[str, float], ranked: List[Tuple[str, float]]
    ) -> None:
        """Add what the component derives from a message's label confidences (`ranked`: best first)."""
        raise NotImplementedError

    def _fit_and_store(self, features: Any, labels: Sequence[Sequence[str]]) -> None:
        self._model = LabelModel.fit(features, labels, c=self._config["regularisation"])
        with self._storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)
