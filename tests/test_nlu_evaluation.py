"""Evaluate the trained NLU model on the held-out test set (tests/nlu_test.yml).

Equivalent to `rasa test nlu -u tests/nlu_test.yml`, but concern entities are
scored by their canonical id (what the `concern` slot receives), not by token
labels. Fails below 0.90 intent F1 or 0.90 concern F1; the report, with every
error, is written to test-artifacts/nlu-evaluation.json.
"""
from __future__ import annotations

import asyncio
import json
import sys
from typing import Dict, List, Set, Tuple

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

from harness.servers import ROOT

MIN_INTENT_F1 = 0.90
MIN_CONCERN_F1 = 0.90


def _concerns(entities) -> Set[str]:
    return {str(e["value"]) for e in entities or [] if e["entity"] == "concern"}


async def _parse_all(model_path, texts: List[str]) -> List[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    return [await agent.parse_message(text) for text in texts]


@pytest.fixture(scope="module")
def evaluation(trained_model, artifacts) -> Dict[str, object]:
    sys.path.insert(0, str(ROOT))  # the custom NLU component lives in this repository
    examples = load_data(str(ROOT / "tests" / "nlu_test.yml")).intent_examples
    parses = asyncio.run(_parse_all(trained_model, [e.get("text") for e in examples]))
    expected_intents = [e.get("intent") for e in examples]
    predicted_intents = [p["intent"]["name"] for p in parses]
    true_pos = false_pos = false_neg = 0
    errors: List[Tuple[str, str, str, List[str], List[str]]] = []
    for example, parse, intent in zip(examples, parses, predicted_intents):
        expected, found = _concerns(example.get("entities")), _concerns(parse["entities"])
        true_pos += len(expected & found)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
        if expected != found or intent != example.get("intent"):
            errors.append((example.get("text"), example.get("intent"), intent, sorted(expected), sorted(found)))
    precision = true_pos / max(true_pos + false_pos, 1)
    recall = true_pos / max(true_pos + false_neg, 1)
    report = {
        "examples": len(examples),
        "intent_f1": f1_score(expected_intents, predicted_intents, average="weighted", zero_division=0),
        "concern_precision": precision,
        "concern_recall": recall,
        "concern_f1": 2 * precision * recall / max(precision + recall, 1e-9),
        "errors": [
            {"text": t, "intent": i, "predicted_intent": p, "concerns": e, "predicted_concerns": f}
            for t, i, p, e, f in errors
        ],
    }
    (artifacts / "nlu-evaluation.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "errors"}, indent=2))
    return report


def test_intent_f1_on_held_out_messages(evaluation):
    assert evaluation["intent_f1"] >= MIN_INTENT_F1, evaluation["errors"]


def test_concern_f1_on_held_out_messages(evaluation):
    assert evaluation["concern_f1"] >= MIN_CONCERN_F1, evaluation["errors"]
