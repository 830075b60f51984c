"""The deterministic intent corrections: red flags always win; concerns are described."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlp.intent_guard import IntentGuard


@pytest.fixture(scope="module")
def guard(kb):
    return IntentGuard({flag.kind: flag.intent for flag in kb.red_flags})


def parsed(intent, *entities):
    message = Message(data={"text": "...", "intent": {"name": intent, "confidence": 0.7},
                            "intent_ranking": [{"name": intent, "confidence": 0.7}],
                            "entities": [{"entity": e, "value": v} for e, v in entities]})
    return message


def intent_after(guard, message):
    guard.process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("intent", ["describe_concern", "nlu_fallback", "faq_side_effects", "thank"])
def test_a_red_flag_pattern_overrides_any_other_intent(guard, intent):
    message = parsed(intent, ("red_flag", "infection"))
    assert intent_after(guard, message) == "red_flag_infection"
    assert message.get("intent")["confidence"] == 1.0
    assert message.get("intent_ranking")[0]["name"] == "red_flag_infection"


def test_the_patterns_name_the_kind_and_the_most_urgent_one_wins(guard):
    assert intent_after(guard, parsed("red_flag_infection", ("red_flag", "allergy"))) == "red_flag_allergy"
    assert intent_after(guard, parsed("red_flag_allergy", ("red_flag", "infection"))) == "red_flag_infection"
    assert intent_after(guard, parsed("greet", ("red_flag", "mole"), ("red_flag", "self_harm"))) == \
        "red_flag_self_harm"


def test_without_a_pattern_the_classifier_keeps_its_red_flag(guard):
    assert intent_after(guard, parsed("red_flag_pain")) == "red_flag_pain"


@pytest.mark.parametrize("intent", ["inform", "nlu_fallback"])
def test_a_named_concern_with_a_generic_intent_is_described(guard, intent):
    assert intent_after(guard, parsed(intent, ("concern", "acne_scars"))) == "describe_concern"


@pytest.mark.parametrize("intent, entities", [
    ("faq_pain", [("concern", "acne_scars")]), ("inform", [("body_area", "face")]), ("greet", []),
])
def test_other_messages_are_left_alone(guard, intent, entities):
    assert intent_after(guard, parsed(intent, *entities)) == intent
