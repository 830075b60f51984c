"""Concern recognition on the blind set (tests/blind/concerns_blind.yml).

The set was written independently of the training data and committed before
it changed; it is never edited to make a case pass. Each message is parsed by
the trained model and scored as the assistant acts on it (see
evaluation/concerns.py). The report with every miss, a summary and the
confusion matrix picture are written to test-artifacts/.
"""
from __future__ import annotations

import json
import sys

import pytest

from evaluation.concerns import evaluate_blind
from harness.servers import ROOT

MIN_CONCERN_ACCURACY = 0.95
MIN_RIGHT_CONCERN_OFFERED = 0.99
# A red-flag reply takes precedence: an ambiguous "cut myself" gets the crisis
# reply even when a caution comes with it.
MIN_CAUTION_ADDRESSED = 0.9
MIN_QUESTION_ANSWERED = 0.6


@pytest.fixture(scope="module")
def blind(trained_model, artifacts):
    sys.path.insert(0, str(ROOT))  # the custom NLU components live in this repository
    result = evaluate_blind(trained_model, artifacts)
    print(json.dumps({k: v for k, v in result.items() if not k.endswith("misses")}, indent=2))
    return result


def test_the_right_concern_reaches_the_slot_for_blind_messages(blind):
    assert blind["concern_accuracy"] >= MIN_CONCERN_ACCURACY, blind["misses"]


def test_when_not_sure_the_right_concern_is_among_the_offered_buttons(blind):
    assert blind["right_concern_offered"] is None or blind["right_concern_offered"] >= MIN_RIGHT_CONCERN_OFFERED, \
        [m for m in blind["misses"] if not m["found"]]


def test_a_caution_with_a_concern_is_addressed_in_the_same_turn(blind):
    assert blind["caution_addressed"] >= MIN_CAUTION_ADDRESSED, blind["caution_misses"]


def test_a_question_about_a_concern_is_understood_as_that_question(blind):
    assert blind["question_answered"] >= MIN_QUESTION_ANSWERED, blind["question_misses"]


def test_the_confusion_matrix_picture_is_written(blind, artifacts):
    assert (artifacts / "concern-blind-confusion.png").stat().st_size > 10_000
