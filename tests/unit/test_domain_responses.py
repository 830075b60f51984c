"""The bot's fixed replies (replies.yml, the domain's responses): short, and the safety replies say what to do.

Their reading level is tested with every other text in test_reading_level.py.
"""
from __future__ import annotations

from typing import Dict

import pytest

from assistant.knowledge_base import load_knowledge_base

MAX_CHARS = 600
EMERGENCY_NUMBERS = ("999", "911", "112")


def _responses() -> Dict[str, str]:
    return load_knowledge_base().replies


RESPONSES = _responses()


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_reply_fits_one_phone_screen(name):
    assert len(RESPONSES[name]) <= MAX_CHARS, name


@pytest.mark.parametrize("name", ["utter_emergency", "utter_numbing_emergency", "utter_urgent_care",
                                  "utter_crisis_support"])
def test_emergency_replies_give_every_emergency_number(name):
    assert all(number in RESPONSES[name] for number in EMERGENCY_NUMBERS), name


def test_the_crisis_reply_gives_the_crisis_lines():
    assert "988" in RESPONSES["utter_crisis_support"] and "116 123" in RESPONSES["utter_crisis_support"]


def test_the_numbing_cream_reply_says_why_it_is_an_emergency():
    text = RESPONSES["utter_numbing_emergency"]
    assert "Call emergency services now" in text and "numbing cream" in text.lower() and "heart" in text


def test_the_mole_reply_gives_one_time_frame_and_says_not_to_needle_it():
    text = RESPONSES["utter_mole_advice"]
    assert "within two weeks" in text and "today" not in text
    assert "skin cancer" in text and "Don't have microneedling" in text


def test_cold_sores_and_lumps_go_to_the_practitioner_or_a_doctor():
    assert "practitioner or a doctor today" in RESPONSES["utter_cold_sore_advice"]
    assert "eye" in RESPONSES["utter_cold_sore_advice"]
    assert "practitioner or a doctor soon" in RESPONSES["utter_lumps_advice"]
    assert "not an emergency" in RESPONSES["utter_lumps_advice"]
