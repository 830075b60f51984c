"""Multi-turn conversations on the blind set (tests/blind/conversations/conversations_blind.yml).

99 conversations (454 turns) written from real forum threads by a helper who
had not read the training data, committed before the training data changed
and never edited to make a case pass. Each is played turn by turn over REST
against the real Rasa and action servers (evaluation/conversations.py); the
report with every turn not handled is written to
test-artifacts/conversations-blind.json.

The issue's bars (95% of turns, 90% of whole conversations) are NOT met. The
bars below hold what was achieved, rounded down, so that a change that loses
ground fails; docs/measurements.md gives the figures before and after and
what is still missed. The set has been used to find what to fix since its
first run (familiar ground now): a claim about new conversations needs a
fresh round.
"""
from __future__ import annotations

import json

import pytest

from evaluation.conversations import load_conversations, play_all, write_report

pytestmark = pytest.mark.e2e

MIN_TURNS_HANDLED = 0.78
MIN_CONVERSATIONS_HANDLED = 0.39
MAX_ALARMS_MISSED = 1
MAX_FALSE_ALARMS = 11
MAX_DELETIONS_MISSED = 0


@pytest.fixture(scope="module")
def figures(rest, kb, artifacts):
    played = play_all(rest, kb, load_conversations())
    result = write_report(played, artifacts)
    print(json.dumps(result, indent=1))
    return result


def test_turns_and_whole_conversations_are_handled(figures):
    assert figures["turns_handled"] >= MIN_TURNS_HANDLED, figures
    assert figures["conversations_handled"] >= MIN_CONVERSATIONS_HANDLED, figures


def test_danger_in_a_conversation_is_not_missed(figures):
    assert figures["alarms_missed"] <= MAX_ALARMS_MISSED, figures


def test_alarms_for_nothing_do_not_grow(figures):
    assert figures["false_alarms"] <= MAX_FALSE_ALARMS, figures


def test_a_deletion_asked_for_is_done(figures):
    assert figures["deletions_missed"] <= MAX_DELETIONS_MISSED, figures
