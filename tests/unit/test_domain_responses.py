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


@pytest.mark.parametrize("name", ["utter_red_flag_allergy", "utter_red_flag_numbing", "utter_red_flag_infection",
                                  "utter_red_flag_self_harm", "utter_red_flag_self_harm_plan"])
def test_emergency_replies_give_every_emergency_number(name):
    assert all(number in RESPONSES[name] for number in EMERGENCY_NUMBERS), name


def test_the_crisis_reply_gives_the_crisis_lines():
    for name in ("utter_red_flag_self_harm", "utter_red_flag_self_harm_plan"):
        assert "988" in RESPONSES[name] and "116 123" in RESPONSES[name]


def test_the_numbing_cream_reply_says_why_it_is_an_emergency():
    text = RESPONSES["utter_red_flag_numbing"]
    assert "or your local emergency number, now" in text and "numbing cream" in text.lower() and "heart" in text
    assert "Wipe the cream off" in text


def test_the_mole_reply_gives_one_time_frame_and_says_not_to_needle_it():
    text = RESPONSES["utter_red_flag_mole"]
    assert "within two weeks" in text and "today" not in text
    assert "skin cancer" in text and "Don't have microneedling" in text


def test_cold_sores_go_to_the_clinic_or_a_doctor_today_and_lumps_within_two_weeks():
    assert "clinic that treated you, or a doctor, today" in RESPONSES["utter_red_flag_cold_sore"]
    assert "within two weeks" in RESPONSES["utter_red_flag_lumps"] and "999" not in RESPONSES["utter_red_flag_lumps"]
