"""The safety reader's decisions (assistant/safety/): each level, each outcome, self-harm first, accidents, context."""
from __future__ import annotations

from datetime import datetime

import pytest

from assistant.safety.phrases import PhraseReader
from assistant.safety.treatment import treatment_in
from assistant.safety.triage import HARMLESS, POSSIBLE, SURE, Context, Reading, assess, assess_latest

MONDAY = datetime(2026, 11, 30, 10, 0)


def reading(**scores: float) -> Reading:
    return Reading({"none": max(0.0, 1.0 - sum(scores.values())), **scores})


@pytest.fixture(scope="module")
def flags(kb):
    return kb.red_flags


@pytest.mark.parametrize("kind, level", [
    ("allergy", "emergency"), ("numbing", "emergency"), ("emergency_signs", "emergency"), ("sepsis", "emergency"),
    ("vision_loss", "emergency"), ("hives", "urgent"), ("infection", "urgent"), ("pain", "urgent"),
    ("eye", "urgent"), ("cold_sore", "urgent"), ("burn", "urgent"), ("bleeding", "urgent"), ("lumps", "soon"),
    ("mole", "soon"),
])
def test_a_phrase_match_is_sure_at_its_kinds_level(flags, kind, level):
    found = assess(Reading({"none": 0.7, "pain": 0.3}, phrases=(kind,)), flags)
    assert (found.outcome, found.kind, found.level) == (SURE, kind, level)


def test_a_phrase_the_classifier_gives_no_chance_of_danger_is_no_alarm(flags):
    # "Why do burns blister?", "I'm bleeding money on concealer": the words, not the danger.
    assert assess(Reading({"none": 0.99, "burn": 0.01}, phrases=("burn",)), flags).outcome == HARMLESS
    assert assess(Reading({"none": 0.9, "burn": 0.1}, phrases=("allergy",)), flags).kind == "allergy"


def test_the_classifier_alone_is_sure_when_a_level_is_likely_enough(flags):
    found = assess(reading(infection=0.5, pain=0.3), flags)
    assert (found.outcome, found.kind, found.level) == (SURE, "infection", "urgent")


def test_unsure_between_levels_the_more_urgent_is_chosen(flags):
    # 0.35 sepsis + 0.3 infection: neither alone, but emergency-or-urgent together is likely, and
    # the emergency kinds alone are not: the likeliest of all, counted from the most urgent level.
    found = assess(reading(sepsis=0.62, infection=0.2), flags)
    assert found.level == "emergency"
    found = assess(reading(sepsis=0.36, infection=0.4), flags)
    assert found.outcome == SURE and found.kind == "infection" and found.level == "urgent"


def test_a_possible_danger_gets_the_warning_signs_and_a_harmless_message_nothing(flags):
    assert assess(reading(burn=0.4), flags).outcome == POSSIBLE
    assert assess(reading(burn=0.4), flags).kind == "burn"
    assert assess(reading(burn=0.1), flags).outcome == HARMLESS


def test_self_harm_always_wins(flags):
    found = assess(Reading({"none": 0.9, "self_harm": 0.1}, phrases=("allergy", "self_harm")), flags)
    assert found.kind == "self_harm"
    found = assess(reading(allergy=0.35, self_harm=0.6), flags)
    assert found.kind == "self_harm"


def test_self_harm_with_a_plan_is_an_emergency(flags):
    found = assess(reading(self_harm=0.3, self_harm_plan=0.45), flags)
    assert (found.kind, found.level) == ("self_harm_plan", "emergency")
    assert assess(reading(self_harm=0.6), flags).level == "urgent"


def test_a_little_self_harm_is_answered_with_the_crisis_lines_as_warning_signs(flags):
    found = assess(reading(self_harm=0.2), flags)
    assert (found.outcome, found.kind) == (POSSIBLE, "self_harm")


def test_an_accident_told_with_how_it_happened_is_no_self_harm(flags):
    accident = Reading({"none": 0.4, "self_harm": 0.6}, explained=("self_harm",))
    assert assess(accident, flags).outcome == HARMLESS


def test_the_intent_classifiers_red_flag_counts_unless_a_known_question_is_asked(flags):
    classified = Reading({"none": 0.5, "pain": 0.5}, classified="red_flag_pain")
    assert assess(classified, flags).kind == "pain"
    asked = Reading({"none": 0.5, "pain": 0.5}, classified="red_flag_pain", known_question=True)
    assert assess(asked, flags).outcome == POSSIBLE


def test_small_talk_the_intent_classifier_is_sure_of_raises_no_alarm_from_the_classifier_alone(flags):
    harmless = Reading({"none": 0.2, "self_harm": 0.0, "lumps": 0.8}, harmless=True)
    assert assess(harmless, flags).outcome == POSSIBLE


def test_after_a_treatment_a_possible_sign_is_sure(flags):
    vague = reading(infection=0.4)
    assert assess(vague, flags).outcome == POSSIBLE
    assert assess(vague, flags, Context(treatment_days=2)).outcome == SURE
    assert assess(vague, flags, Context(treatment_days=40)).outcome == POSSIBLE


def test_a_sign_the_conversation_told_of_before_makes_the_next_one_sure(flags):
    assert assess(reading(pain=0.4), flags, Context(earlier=("pain",))).outcome == SURE


def test_the_conversation_is_read_from_its_messages(flags):
    told = Reading({"none": 1.0}, treatment_days=2)
    then = reading(infection=0.4)
    messages = [(0.0, {"safety": told.as_dict()}), (3600.0, {"safety": then.as_dict()})]
    found = assess_latest(messages, flags)
    assert found is not None and (found.outcome, found.kind) == (SURE, "infection")
    assert assess_latest(messages[1:], flags).outcome == POSSIBLE
    assert assess_latest([], flags) is None


@pytest.mark.parametrize("text, days", [
    ("I got microneedling done on saturday and my face is still red", 2),
    ("temp of 38.7, two days after the dermapen", 2),
    ("had my first session yesterday", 1),
    ("did a derma roller session 3 days ago", 3),
    ("day 4 after microneedling and it's flaking", 3),
    ("I had it done last week", 7),
    ("I had microneedling on my cheeks", None),
])
def test_a_treatment_and_how_long_ago(text, days):
    found = treatment_in(text, MONDAY)
    assert found is not None and found.days_ago == days


@pytest.mark.parametrize("text", ["my appointment is on thursday", "should I have microneedling before my wedding?",
                                  "I have acne scars on my cheeks"])
def test_no_treatment_had(text):
    assert treatment_in(text, MONDAY) is None


def _entity(text, phrase, kind):
    start = text.index(phrase)
    return {"entity": "red_flag", "value": kind, "start": start, "end": start + len(phrase)}


def test_phrases_are_set_aside_when_the_message_explains_or_only_asks(kb):
    phrases = PhraseReader(kb.red_flags)
    text = "I cut myself shaving this morning"
    assert phrases.read(text, [_entity(text, "cut myself", "self_harm")]).explained == ("self_harm",)
    text = "could microneedling give me an allergic reaction?"
    assert phrases.read(text, [_entity(text, "allergic reaction", "allergy")]).asked == ("allergy",)
    text = "I get hay fever in spring"
    assert phrases.read(text, [_entity(text, "fever", "infection")]).real == ()


@pytest.mark.parametrize("text, phrase, kind, becomes", [
    ("a cold sore on my eyelid after the treatment", "cold sore", "cold_sore", "eye"),
    ("used my RF gadget on the highest setting and now small blisters", "small blisters", "cold_sore", "burn"),
    ("pus from the needle marks and my heart is racing", "pus", "infection", "sepsis"),
])
def test_a_match_moves_to_the_kind_its_cues_name(kb, text, phrase, kind, becomes):
    assert PhraseReader(kb.red_flags).read(text, [_entity(text, phrase, kind)]).real == (becomes,)


def test_every_kind_has_a_level_a_reply_and_warning_signs(kb):
    for flag in kb.red_flags:
        assert flag.level in ("emergency", "urgent", "soon") and flag.intent == f"red_flag_{flag.kind}"
        assert flag.reply and flag.watch_for and kb.replies[flag.response] == flag.reply
        assert len(flag.reply) <= 600, flag.kind


def test_emergency_replies_give_the_uk_us_and_eu_numbers_and_the_local_one(kb):
    for flag in kb.red_flags:
        if flag.level == "emergency":
            assert all(n in flag.reply for n in ("999", "911", "112")), flag.kind
            assert "local emergency number" in flag.reply, flag.kind
        elif flag.level == "urgent" and flag.kind != "self_harm":  # the crisis reply has lines open at any time
            assert "today" in flag.reply and "local emergency number" in flag.reply, flag.kind


def test_the_urgency_errors_a_clinician_found_are_fixed(kb):
    flags = {flag.kind: flag for flag in kb.red_flags}
    assert flags["eye"].level == "urgent" and flags["vision_loss"].level == "emergency"
    assert flags["hives"].level == "urgent" and "hives" not in flags["allergy"].phrases
    assert "keeps bleeding" in flags["bleeding"].phrases and "keeps bleeding" not in flags["mole"].phrases
    assert "burn" in flags["cold_sore"].escalate
    assert "Wipe the cream off" in flags["numbing"].reply
    assert "116 123" in flags["self_harm"].reply and "988" in flags["self_harm_plan"].reply
    for kind in ("emergency_signs", "sepsis", "vision_loss", "burn", "bleeding", "self_harm_plan"):
        assert kind in flags
