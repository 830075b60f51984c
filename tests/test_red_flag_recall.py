"""Red flags: every held-out red-flag message is caught; ordinary concerns rarely alarm.

Held-out red-flag messages are in tests/red_flags_test.yml; ordinary concern
messages come from the held-out NLU test set. Results are written to
test-artifacts/red-flag-evaluation.json.
"""
from __future__ import annotations

import asyncio
import json

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from harness.servers import ROOT
from tests.test_nlu_evaluation import _parse_all

MAX_FALSE_ALARM_RATE = 0.02
# The held-out messages were labelled before the kinds were split by level: hives without
# breathing trouble from a serious allergic reaction, sepsis from infection, a sudden loss of
# sight from other eye problems, a plan from other self-harm, signs of a collapse from
# numbing-cream toxicity. A message recognised as a kind split out of its label's is
# recognised; tests/test_safety_blind.py measures the levels on messages labelled by level.
FAMILIES = {
    "red_flag_allergy": {"red_flag_allergy", "red_flag_hives"},
    "red_flag_infection": {"red_flag_infection", "red_flag_sepsis"},
    "red_flag_eye": {"red_flag_eye", "red_flag_vision_loss"},
    "red_flag_self_harm": {"red_flag_self_harm", "red_flag_self_harm_plan"},
    "red_flag_numbing": {"red_flag_numbing", "red_flag_emergency_signs"},
}
# Ordinary messages that look alarming to a keyword list but are not red flags.
ORDINARY = [
    "I have red acne marks on my cheeks",
    "my acne scars are red and uneven",
    "red stretch marks on my hips",
    "will microneedling make my skin red for long?",
    "is it painful?",
    "can microneedling cause an infection?",
    "what are the side effects of the numbing cream?",
    "I get dark spots around my eyes",
    "my wrinkles around my eyes bother me",
    "I have a scar from an old cut on my knee",
    "I have moles, can I still have microneedling on other areas?",
    "does microneedling help with swelling under the eyes?",
]
# Questions and histories that name a red flag's words but tell of no red flag now:
# none of them may ever raise one (cautions and questions get their own answers).
LOOK_ALIKES = [
    "could microneedling give me an allergic reaction?",
    "I'm allergic to nickel, am I able to have it?",
    "years ago I had an allergic reaction to a face cream, does that matter?",
    "which numbing cream does the clinic use?",
    "does the numbing cream make your face go numb for long?",
    "I'm prone to cold sores, is microneedling still ok for me?",
    "a new pimple popped up on my chin",
    "can microneedling cause lumps or bumps?",
    "I'm a bit confused about the aftercare",
    "is microneedling a good fit for oily skin?",
    "how long does the tingling last after a session?",
    "I get hayfever and sometimes wheezy in spring, is that a problem?",
]


@pytest.fixture(scope="module")
def evaluation(trained_model, artifacts):
    import sys

    sys.path.insert(0, str(ROOT))
    flags = load_data(str(ROOT / "tests" / "red_flags_test.yml")).intent_examples
    ordinary = [e.get("text") for e in load_data(str(ROOT / "tests" / "nlu_test.yml")).intent_examples
                if e.get("intent") == "describe_concern"] + ORDINARY
    parses = asyncio.run(_parse_all(trained_model, [e.get("text") for e in flags] + ordinary + LOOK_ALIKES))
    flag_parses = parses[: len(flags)]
    ordinary_parses = parses[len(flags): len(flags) + len(ordinary)]
    look_alike_parses = parses[len(flags) + len(ordinary):]
    missed = [
        {"text": e.get("text"), "expected": e.get("intent"), "predicted": p["intent"]["name"]}
        for e, p in zip(flags, flag_parses)
        if p["intent"]["name"] not in FAMILIES.get(e.get("intent"), {e.get("intent")})
    ]
    alarms = [{"text": t, "predicted": p["intent"]["name"]} for t, p in zip(ordinary, ordinary_parses)
              if p["intent"]["name"].startswith("red_flag_")]
    look_alike_alarms = [{"text": t, "predicted": p["intent"]["name"]} for t, p in zip(LOOK_ALIKES, look_alike_parses)
                         if p["intent"]["name"].startswith("red_flag_")]
    report = {"red_flags": len(flags), "missed": missed, "ordinary": len(ordinary), "false_alarms": alarms,
              "look_alike_alarms": look_alike_alarms}
    (artifacts / "red-flag-evaluation.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def test_every_held_out_red_flag_is_recognised_as_its_kind(evaluation):
    assert evaluation["red_flags"] >= 45
    assert evaluation["missed"] == []


def test_ordinary_concern_messages_rarely_raise_a_false_alarm(evaluation):
    assert len(evaluation["false_alarms"]) <= MAX_FALSE_ALARM_RATE * evaluation["ordinary"], evaluation["false_alarms"]


def test_questions_and_histories_that_name_a_red_flag_raise_no_alarm(evaluation):
    assert evaluation["look_alike_alarms"] == []
