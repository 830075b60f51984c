"""Measure concern recognition on a blind test set, and cross-validate the classifier.

    python -m evaluation.concerns --model models/skin-assistant.tar.gz
    python -m evaluation.concerns --cross-validation

The blind set (`tests/blind/concerns_blind.yml`) was written independently of
the training data. Each message is parsed by the trained model as a visitor's
first message, and scored as the assistant would act on it:

- recognised: the concern ids that reach the `concern` slot (concern entities,
  unless the message was classified as out of scope) equal the labels;
- offered: for a concern message that was not recognised outright, the
  confirmation buttons of the assistant's reply (the concerns it suggests,
  `evaluation.replies.first_reply`) include a right one; an answer of
  another kind counts as not offered;
- a caution in the message is addressed in the same turn, and a question
  about a concern is classified as that question.

The report (JSON, with every miss), a confusion matrix picture and a short
Markdown summary are written to the output folder.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from assistant import contract as c
from assistant.knowledge_base import KnowledgeBase, load_knowledge_base
from assistant.understanding import caution_options, intent_of, question_topic, slot_concerns
from evaluation.parsing import parse_all
from evaluation.replies import first_reply

ROOT = Path(__file__).resolve().parent.parent
BLIND_SET = ROOT / "tests" / "blind" / "concerns_blind.yml"
NONE = "none"
ANSWERING_INTENTS = ("describe_concern", "ask_caution", "ask_question")


@dataclass(frozen=True)
class Case:
    """One labelled blind message."""

    text: str
    concerns: Sequence[str]
    style: str = ""
    caution: Optional[str] = None
    question: Optional[str] = None


@dataclass
class Outcome:
    """What the assistant made of one case."""

    case: Case
    intent: str
    found: List[str]
    offered: List[str] = field(default_factory=list)
    cautions: List[str] = field(default_factory=list)
    topic: Optional[str] = None

    @property
    def recognised(self) -> bool:
        return set(self.found) == set(self.case.concerns)

    @property
    def caution_addressed(self) -> bool:
        return self.intent.startswith(ANSWERING_INTENTS) and self.case.caution in self.cautions

    @property
    def question_answered(self) -> bool:
        return self.intent == "ask_question" and self.topic == self.case.question


def load_cases(path: Path = BLIND_SET) -> List[Case]:
    """The labelled messages of a blind set file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(str(m["text"]), tuple(m.get("concerns") or []), str(m.get("style") or ""),
             m.get("caution"), m.get("question"))
        for m in data["messages"]
    ]


def outcome(case: Case, parse: Dict[str, Any], kb: KnowledgeBase) -> Outcome:
    """Score one parse result as the assistant would act on it."""
    intent = intent_of(parse)
    found = slot_concerns(parse, kb)
    offered = [] if found else list(first_reply(parse, kb).slots.get(c.SUGGESTED_SLOT) or [])
    # A caution split out of another also counts as the one the blind set names.
    cautions = [i for o in caution_options(parse, kb) for i in (o.id, o.split_from) if i]
    faq = question_topic(parse, kb)
    return Outcome(case, intent, found, offered, cautions, faq.key if faq else None)


def report(outcomes: Sequence[Outcome], kb: KnowledgeBase) -> Dict[str, Any]:
    """Accuracy overall, per concern and per style; confirmation coverage; every miss."""
    def rate(items: Sequence[Outcome], test: Any) -> Optional[float]:
        return round(sum(1 for o in items if test(o)) / len(items), 4) if items else None

    concern_cases = [o for o in outcomes if o.case.concerns]
    by_concern = {c: [o for o in concern_cases if c in o.case.concerns] for c in kb.ids}
    by_style: Dict[str, List[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_style[o.case.style or NONE].append(o)
    unrecognised = [o for o in concern_cases if not o.recognised and not o.found]
    with_caution = [o for o in outcomes if o.case.caution]
    with_question = [o for o in outcomes if o.case.question]
    return {
        "messages": len(outcomes),
        "concern_accuracy": rate(outcomes, lambda o: o.recognised),
        "concern_accuracy_concern_messages": rate(concern_cases, lambda o: o.recognised),
        "negatives_left_alone": rate([o for o in outcomes if not o.case.concerns], lambda o: o.recognised),
        "per_concern": {c: rate(items, lambda o: o.recognised) for c, items in by_concern.items()},
        "per_style": {s: rate(items, lambda o: o.recognised) for s, items in sorted(by_style.items())},
        "wrong_concern_set": sum(1 for o in concern_cases if o.found and not o.recognised),
        "not_recognised_outright": len(unrecognised),
        "right_concern_offered": rate(unrecognised, lambda o: bool(set(o.offered) & set(o.case.concerns))),
        "caution_addressed": rate(with_caution, lambda o: o.caution_addressed),
        "question_answered": rate(with_question, lambda o: o.question_answered),
        "misses": [
            {"text": o.case.text, "expected": list(o.case.concerns), "found": o.found, "offered": o.offered,
             "intent": o.intent, "style": o.case.style}
            for o in outcomes if not o.recognised
        ],
        "caution_misses": [
            {"text": o.case.text, "caution": o.case.caution, "found": o.cautions, "intent": o.intent}
            for o in with_caution if not o.caution_addressed
        ],
        "question_misses": [
            {"text": o.case.text, "question": o.case.question, "intent": o.intent, "topic": o.topic}
            for o in with_question if not o.question_answered
        ],
    }


def confusion(outcomes: Sequence[Outcome], labels: Sequence[str]) -> Dict[str, Counter]:
    """Rows: the expected concern of single-concern and negative messages; columns: what was recognised."""
    matrix: Dict[str, Counter] = {label: Counter() for label in labels}
    for o in outcomes:
        if len(o.case.concerns) > 1:
            continue
        expected = o.case.concerns[0] if o.case.concerns else NONE
        found = o.found[0] if len(o.found) == 1 else (NONE if not o.found else "several")
        matrix[expected][found] += 1
    return matrix


def plot_confusion(outcomes: Sequence[Outcome], kb: KnowledgeBase, path: Path, title: str) -> None:
    """Save the confusion matrix as a PNG picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [*kb.ids, NONE]
    columns = [*rows, "several"]
    matrix = confusion(outcomes, rows)
    values = [[matrix[r][c] for c in columns] for r in rows]
    figure, axes = plt.subplots(figsize=(9, 7.5))
    axes.imshow(values, cmap="Blues")
    axes.set_xticks(range(len(columns)), labels=columns, rotation=45, ha="right")
    axes.set_yticks(range(len(rows)), labels=rows)
    axes.set_xlabel("recognised")
    axes.set_ylabel("expected")
    axes.set_title(title)
    peak = max(max(row) for row in values) or 1
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value:
                axes.text(j, i, str(value), ha="center", va="center",
                          color="white" if value > peak / 2 else "black")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def markdown(result: Dict[str, Any]) -> str:
    """A short human-readable summary of a report, with the misses."""
    lines = [
        f"# Concern recognition on the blind set ({result['messages']} messages)", "",
        f"- concern accuracy (exact set, negatives included): {result['concern_accuracy']}",
        f"- on concern messages: {result['concern_accuracy_concern_messages']}; "
        f"negatives left alone: {result['negatives_left_alone']}",
        f"- not recognised outright: {result['not_recognised_outright']}, right concern offered for "
        f"{result['right_concern_offered']}; a wrong concern set: {result['wrong_concern_set']}",
        f"- caution addressed in the same turn: {result['caution_addressed']}; "
        f"question answered as asked: {result['question_answered']}", "",
        "| concern | accuracy |", "| --- | --- |",
        *[f"| {c} | {v} |" for c, v in result["per_concern"].items()], "",
        "## Misses", "",
        *[f"- {m['text']!r}: expected {m['expected']}, found {m['found']}, offered {m['offered']} ({m['intent']})"
          for m in result["misses"]],
        *[f"- caution {m['caution']} not addressed: {m['text']!r} (found {m['found']}, {m['intent']})"
          for m in result["caution_misses"]],
        *[f"- question {m['question']} not answered: {m['text']!r} ({m['intent']})"
          for m in result["question_misses"]],
    ]
    return "\n".join(lines) + "\n"


def evaluate_blind(model_path: Path, out: Path, blind_set: Path = BLIND_SET) -> Dict[str, Any]:
    """Parse the blind set, write the report, picture and summary to `out`, and return the report."""
    kb = load_knowledge_base()
    cases = load_cases(blind_set)
    parses = asyncio.run(parse_all(model_path, [c.text for c in cases]))
    outcomes = [outcome(c, p, kb) for c, p in zip(cases, parses)]
    result = report(outcomes, kb)
    out.mkdir(parents=True, exist_ok=True)
    (out / "concern-blind-report.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (out / "concern-blind-report.md").write_text(markdown(result), encoding="utf-8")
    plot_confusion(outcomes, kb, out / "concern-blind-confusion.png",
                   f"Concern recognition, blind set (accuracy {result['concern_accuracy']})")
    return result


def cross_validate(folds: int = 5) -> Dict[str, Any]:
    """k-fold cross-validation of concern recognition over the training data.

    In each fold the whole-message classifier is trained on the other folds;
    the held-out examples get the knowledge-base patterns' concerns (from the
    built spaCy pipeline, denials dropped) combined with the classifier's as
    the NLU component combines them. Accuracy (exact concern set) per concern
    and for negatives, and how often a right concern is among the top three.
    DIET's spans are not included (a full `rasa test nlu --cross-validation`
    run reports DIET).
    """
    import numpy as np
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.model_selection import KFold

    from nlp.concern_classifier import ConcernClassifier, combine, training_texts
    from nlp.whole_message import WholeMessageModel

    config = {**ConcernClassifier.get_default_config(), **_classifier_config()}
    texts, labels = training_texts(load_data(str(ROOT / "data" / "nlu")))
    spans = [pattern_concerns(text) for text in texts]
    hits: Dict[str, List[bool]] = defaultdict(list)
    in_top3: List[bool] = []
    for train, test in KFold(folds, shuffle=True, random_state=42).split(texts):
        model = WholeMessageModel.fit([texts[i] for i in train], [labels[i] for i in train],
                                      c=config["regularisation"])
        for row, i in zip(model.confidences([texts[i] for i in test]), test):
            scores = dict(zip(model.labels, map(float, row)))
            found = combine(spans[i], scores, config)
            for concern_id in labels[i] or [NONE]:
                hits[concern_id].append(set(found) == set(labels[i]))
            if labels[i] and not found:
                in_top3.append(bool({model.labels[j] for j in np.argsort(-row)[:3]} & set(labels[i])))
    per_concern = {c: round(sum(v) / len(v), 4) for c, v in sorted(hits.items())}
    every = [h for v in hits.values() for h in v]
    return {"folds": folds, "examples": len(texts), "accuracy": round(sum(every) / len(every), 4),
            "per_concern": per_concern, "not_recognised": len(in_top3),
            "right_concern_in_top_3": round(sum(in_top3) / max(len(in_top3), 1), 4)}


def pattern_concerns(text: str) -> List[str]:
    """The concern ids the knowledge-base patterns find in a text, denied ones left out."""
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from nlp.concern_resolver import negated

    doc = _pipeline()(text.lower())
    message = Message(data={TEXT: text})
    message.set(SPACY_DOCS[TEXT], doc)
    return list(dict.fromkeys(
        e.ent_id_ for e in doc.ents
        if e.label_ == "concern" and not negated(message, {"start": e.start_char})))


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import spacy

    return spacy.load(ROOT / "nlp" / "build" / "skin_pipeline")


def _classifier_config() -> Dict[str, Any]:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    component = next(c for c in config["pipeline"] if c["name"].endswith("ConcernClassifier"))
    return {k: v for k, v in component.items() if k != "name"}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "skin-assistant.tar.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts")
    parser.add_argument("--cross-validation", action="store_true", help="cross-validate the classifier instead")
    args = parser.parse_args(argv)
    if args.cross_validation:
        result = cross_validate()
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "concern-cross-validation.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=2))
        return 0
    result = evaluate_blind(args.model, args.out)
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
