"""The safety classifier: a confidence per kind of red flag (and "none") for a whole message.

Word 1-2-grams over a marked text (words after a negation in the same clause
carry a `neg_` mark, so "no blisters" is not "blisters"; a question about a
risk and a past history add a mark of their own) and character 2-5-grams,
TF-IDF, one multinomial logistic regression. Trained on the safety corpus
(data/safety/: danger in everyday words, and look-alikes) and the NLU
training data (every example of another intent is a "none").
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Protocol, Sequence, Tuple

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from assistant.knowledge_base import KnowledgeBase

NONE = "none"
NEGATIONS = frozenset({"no", "not", "never", "without", "nor", "isnt", "arent", "dont", "doesnt", "didnt", "wasnt",
                       "werent", "cant", "cannot", "havent", "hasnt", "hadnt", "wont", "nothing", "neither"})
CLAUSE_BREAKS = frozenset({",", ".", ";", "!", "?", "but", "though", "although", "however", "yet"})
NEGATION_REACH = 4
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,.;!?]")
RISK_QUESTION = re.compile(
    r"\b(can|could|does|do|will|would|might|may|is it possible|what if|how likely|how common|is it common|chances?|"
    r"risks?)\b.{0,60}\b(cause|causes|give|get|lead|happen|trigger|result|make|risk|side effect)", re.IGNORECASE)
PAST = re.compile(r"\b(years? ago|as a (kid|child|teen)|when i was (a )?(kid|child|little|young|teen\w*)|used to|"
                  r"once had|in the past|long ago|last year|decades?)\b", re.IGNORECASE)


def marked(text: str) -> str:
    """The text as the word features see it: lower case, negated words marked, and marks for the message's form."""
    marks, reach = [], 0
    for token in TOKEN.findall(text.lower().replace("’", "'")):
        bare = token.replace("'", "")
        if token in CLAUSE_BREAKS:
            reach = 0
        elif bare in NEGATIONS or bare.endswith("nt") and bare[:-2] in ("is", "are", "do", "does", "did", "was",
                                                                     "were", "ca", "have", "has", "had", "wo"):
            reach = NEGATION_REACH
            marks.append(token)
            continue
        marks.append(f"neg_{token}" if reach else token)
        reach = max(reach - 1, 0)
    marks += ["zzriskquestion"] if RISK_QUESTION.search(text) else []
    marks += ["zzpast"] if PAST.search(text) else []
    return " ".join(marks)


def build(regularisation: float) -> Pipeline:
    """The untrained classifier."""
    features = FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=marked, ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])
    classifier = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=3000)
    return Pipeline([("features", features), ("classifier", classifier)])


class Scorer(Protocol):
    """Anything that gives each safety label a confidence for a text."""

    def scores(self, text: str) -> Dict[str, float]:
        """Each label's confidence for one text."""


class SafetyModel:
    """A fitted safety classifier and the labels it knows (the kinds and "none")."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.labels = [str(label) for label in pipeline.classes_]

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], regularisation: float = 8.0) -> "SafetyModel":
        return cls(build(regularisation).fit(list(texts), list(labels)))

    def confidences(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one confidence per label (they sum to 1)."""
        return np.asarray(self.pipeline.predict_proba(list(texts)))

    def scores(self, text: str) -> Dict[str, float]:
        """Each label's confidence for one text."""
        return dict(zip(self.labels, map(float, self.confidences([text])[0])))


Examples = Tuple[List[str], List[str]]


def corpus(directory: Path, kb: KnowledgeBase) -> Examples:
    """The safety corpus: each example's text and kind (a look-alike's is "none").

    An example told in the light of earlier messages (`context`) is learnt
    from its own words: the conversation's part is the triage's (triage.py).
    """
    levels = {flag.kind: flag.level for flag in kb.red_flags}
    texts: List[str] = []
    labels: List[str] = []
    for path in sorted(directory.glob("*.yml")):
        for example in yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]:
            kind = str(example.get("kind") or NONE)
            if kind != NONE and levels.get(kind) != example.get("level"):
                raise ValueError(f"{path.name}: {example['text']!r} has kind {kind} at level {example.get('level')}, "
                                 f"but red_flags.yml gives {kind} the level {levels.get(kind)}")
            texts.append(str(example["text"]))
            labels.append(kind)
    return texts, labels
