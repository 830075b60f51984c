"""Measure answers to everyday questions and false alarms on blind sets.

    python -m evaluation.questions --model models/skin-assistant.tar.gz

- `tests/blind/questions_blind.yml` (ordinary questions before and after
  microneedling, follow-ups with the conversation's concern): a question is
  answered on topic when the source of the assistant's answer (the decision
  the actions take, `evaluation.replies.first_reply`) is one that
  `tests/blind/questions_blind_keys.yml` accepts for it. Retrieval is
  measured apart: how often the passage it would give is an accepted one.
- `tests/blind/everyday_blind.yml` (245 ordinary messages full of words such
  as peeling, burning, bleeding, cut, swelling): a false alarm is any
  red-flag reply; the questions count too.

The report (JSON, with every miss and every alarm) and a summary are written
to the output folder.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

from assistant.knowledge_base import KnowledgeBase, load_knowledge_base
from assistant.retrieval import retriever
from evaluation.parsing import parse_all
from evaluation.replies import first_reply, on_topic

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "blind"


@dataclass(frozen=True)
class Question:
    """One blind question and the answers accepted for it."""

    text: str
    kind: str
    accepted: Sequence[str]


def load_questions(blind: Path = BLIND) -> List[Question]:
    """The blind questions with their accepted answer sources."""
    messages = yaml.safe_load((blind / "questions_blind.yml").read_text(encoding="utf-8"))["messages"]
    keys = yaml.safe_load((blind / "questions_blind_keys.yml").read_text(encoding="utf-8"))["topics"]
    return [Question(str(m["text"]), str(m["kind"]), tuple(keys[m["topic"]])) for m in messages]


def load_everyday(blind: Path = BLIND) -> List[str]:
    """The blind everyday messages (none of them an emergency)."""
    return [str(m["text"]) for m in
            yaml.safe_load((blind / "everyday_blind.yml").read_text(encoding="utf-8"))["messages"]]


def reply_source(parse: Dict[str, Any], kb: KnowledgeBase) -> str:
    """Where the assistant's answer to a parsed first message comes from (`Reply.source`, see
    `assistant.decisions`); `alarm` for any red-flag reply."""
    return first_reply(parse, kb).source


def evaluate(model_path: Path, out: Path) -> Dict[str, Any]:
    """Parse both blind sets, write the report and summary to `out`, and return the report."""
    kb = load_knowledge_base()
    questions = load_questions()
    everyday = load_everyday()
    parses = asyncio.run(parse_all(model_path, [q.text for q in questions] + everyday))
    question_parses, everyday_parses = parses[: len(questions)], parses[len(questions):]
    sources = [reply_source(p, kb) for p in question_parses]
    retrieved = [retriever().best(q.text) for q in questions]
    alarms = [
        {"text": text, "intent": p["intent"]["name"]}
        for text, p in zip([q.text for q in questions] + everyday, question_parses + everyday_parses)
        if p["intent"]["name"].startswith("red_flag_")
    ]
    self_harm = [a for a in alarms if a["intent"] == "red_flag_self_harm"]
    hits = [on_topic(s, q.accepted) for s, q in zip(sources, questions)]
    result = {
        "questions": len(questions),
        "answered_on_topic": round(sum(hits) / len(questions), 4),
        "by_kind": {
            kind: round(sum(h for h, q in zip(hits, questions) if q.kind == kind)
                        / sum(1 for q in questions if q.kind == kind), 4)
            for kind in sorted({q.kind for q in questions})
        },
        "retrieval_right_passage": round(
            sum(r is not None and on_topic(r.key, q.accepted) for r, q in zip(retrieved, questions))
            / len(questions), 4),
        "retrieval_answered": round(sum(r is not None for r in retrieved) / len(questions), 4),
        "everyday_messages": len(everyday) + len(questions),
        "false_alarms": len(alarms),
        "self_harm_replies": len(self_harm),
        "alarms": alarms,
        "off_topic": [
            {"text": q.text, "kind": q.kind, "answered_from": s, "accepted": list(q.accepted)}
            for s, q in zip(sources, questions) if not on_topic(s, q.accepted)
        ],
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "questions-blind-report.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (out / "questions-blind-report.md").write_text(markdown(result), encoding="utf-8")
    return result


def markdown(result: Dict[str, Any]) -> str:
    """A short human-readable summary with the misses and alarms."""
    lines = [
        f"# Everyday questions and false alarms ({result['questions']} questions, "
        f"{result['everyday_messages']} ordinary messages)", "",
        f"- answered on topic: {result['answered_on_topic']} "
        + ", ".join(f"{k} {v}" for k, v in result["by_kind"].items()),
        f"- retrieval alone: right passage for {result['retrieval_right_passage']}, "
        f"a passage at all for {result['retrieval_answered']}",
        f"- false alarms: {result['false_alarms']} (self-harm replies: {result['self_harm_replies']})", "",
        "## Off topic", "",
        *[f"- {m['text']!r} ({m['kind']}): answered from {m['answered_from']}, accepted {m['accepted']}"
          for m in result["off_topic"]],
        "", "## Alarms", "",
        *[f"- {a['text']!r}: {a['intent']}" for a in result["alarms"]],
    ]
    return "\n".join(lines) + "\n"


def cross_validate(folds: int = 5, with_answers: bool = True, c: float = 16.0) -> Dict[str, Any]:
    """k-fold cross-validation of the question-topic classifier over the training data.

    In each fold the topic classifier is trained on the other folds (every
    example without a topic a negative; with `with_answers`, each topic's own
    question and answer sentences as positives, as the NLU component does);
    a held-out question is on topic when its best topic is its own with at
    least the confidence an answer needs (`TOPIC_MINIMUM`), and a held-out
    example without a topic is given one when any topic reaches it.
    """
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.model_selection import KFold

    from assistant.contract import TOPIC_MINIMUM
    from nlp.topic_classifier import answer_texts, example_topic
    from nlp.whole_message import LabelModel, build_features

    examples = [m for m in load_data(str(ROOT / "data" / "nlu")).intent_examples if m.get("text")]
    texts = [str(m.get("text")) for m in examples]
    topics = [example_topic(m) for m in examples]
    extra_texts, extra_labels = answer_texts(list(load_knowledge_base().faq.values())) if with_answers else ([], [])
    on_topic_hits: List[bool] = []
    false_topics = 0
    for train, test in KFold(folds, shuffle=True, random_state=42).split(texts):
        train_texts = [texts[i] for i in train] + extra_texts
        labels = [[topics[i]] if topics[i] else [] for i in train] + extra_labels
        features = build_features().fit(train_texts)
        model = LabelModel.fit(features.transform(train_texts), labels, c=c)
        rows = model.confidences(features.transform([texts[i] for i in test]))
        for i, row in zip(test, rows):
            best = int(row.argmax())
            sure = float(row[best]) >= TOPIC_MINIMUM
            if topics[i]:
                on_topic_hits.append(sure and model.labels[best] == topics[i])
            elif sure:
                false_topics += 1
    negatives = sum(1 for t in topics if not t)
    return {"folds": folds, "with_answers": with_answers, "regularisation": c, "questions": len(on_topic_hits),
            "on_topic": round(sum(on_topic_hits) / len(on_topic_hits), 4), "negatives": negatives,
            "negatives_given_a_topic": round(false_topics / negatives, 4)}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "skin-assistant.tar.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts")
    parser.add_argument("--cross-validation", action="store_true", help="cross-validate the topic classifier")
    parser.add_argument("--without-answers", action="store_true",
                        help="cross-validation without the topics' own answer texts")
    args = parser.parse_args(argv)
    if args.cross_validation:
        result = cross_validate(with_answers=not args.without_answers)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "topic-cross-validation.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=2))
        return 0
    print(markdown(evaluate(args.model, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
