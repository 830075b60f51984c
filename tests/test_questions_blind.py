"""Everyday questions and false alarms on the blind sets (tests/blind/questions_blind.yml, everyday_blind.yml).

Both sets were written independently of the training data and committed
before it changed; they are never edited to make a case pass. Which answers
count as on topic is in tests/blind/questions_blind_keys.yml, written before
the first measurement. The report with every miss and alarm is written to
test-artifacts/questions-blind-report.*.
"""
from __future__ import annotations

import json
import sys

import pytest

from evaluation.questions import evaluate
from harness.servers import ROOT

MIN_ANSWERED_ON_TOPIC = 0.90


@pytest.fixture(scope="module")
def blind(trained_model, artifacts):
    sys.path.insert(0, str(ROOT))  # the custom NLU components live in this repository
    result = evaluate(trained_model, artifacts)
    print(json.dumps({k: v for k, v in result.items() if k not in ("alarms", "off_topic")}, indent=2))
    return result


def test_ordinary_questions_are_answered_on_topic(blind):
    assert blind["answered_on_topic"] >= MIN_ANSWERED_ON_TOPIC, blind["off_topic"]


def test_no_ordinary_message_raises_an_alarm(blind):
    assert blind["false_alarms"] == 0, blind["alarms"]


def test_the_self_harm_reply_is_kept_for_self_harm(blind):
    assert blind["self_harm_replies"] == 0, blind["alarms"]
