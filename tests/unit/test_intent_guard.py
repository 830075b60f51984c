"""The deterministic intent corrections: red flags always win; concerns are described.

Each message is read by the safety reader first, as in the pipeline, with a
stand-in classifier that gives every message the same small chance of danger,
so that what decides is the phrases, their set-asides and the intent.
"""
from __future__ import annotations

from typing import Dict

import pytest
from rasa.shared.nlu.training_data.message import Message

from nlp.intent_guard import IntentGuard
from nlp.safety_reader import SafetyReader


class SmallChanceOfDanger:
    """A classifier's confidences for any message: some danger, no kind sure."""

    def scores(self, text: str) -> Dict[str, float]:
        return {"none": 0.65, "pain": 0.3, "self_harm": 0.05}


class Guarded:
    """The safety reader, then the intent guard."""

    def __init__(self, kb) -> None:
        self.reader = SafetyReader(SafetyReader.get_default_config(), None, None, SmallChanceOfDanger())
        self.intents = IntentGuard(kb.red_flags)

    def process(self, messages):
        return self.intents.process(self.reader.process(messages))


@pytest.fixture(scope="module")
def guard(kb):
    return Guarded(kb)


def parsed(intent, *entities, text="..."):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.7},
                            "intent_ranking": [{"name": intent, "confidence": 0.7}],
                            "entities": [{"entity": e, "value": v} for e, v in entities]})
    return message


def intent_after(guard, message):
    guard.process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("intent", ["describe_concern", "nlu_fallback", "ask_question", "thank"])
def test_a_red_flag_pattern_overrides_any_other_intent(guard, intent):
    message = parsed(intent, ("red_flag", "infection"))
    assert intent_after(guard, message) == "red_flag_infection"
    assert message.get("intent")["confidence"] == 1.0
    assert message.get("intent_ranking")[0]["name"] == "red_flag_infection"


def test_the_patterns_name_the_kind_and_the_most_urgent_one_wins(guard):
    assert intent_after(guard, parsed("red_flag_infection", ("red_flag", "allergy"))) == "red_flag_allergy"
    # a phrase and the classifier naming two kinds: the more urgent (under-triage is the error that harms)
    assert intent_after(guard, parsed("red_flag_allergy", ("red_flag", "infection"))) == "red_flag_allergy"
    assert intent_after(guard, parsed("red_flag_mole", ("red_flag", "infection"))) == "red_flag_infection"
    assert intent_after(guard, parsed("greet", ("red_flag", "mole"), ("red_flag", "self_harm"))) == \
        "red_flag_self_harm"


def test_without_a_pattern_the_classifier_keeps_its_red_flag(guard):
    assert intent_after(guard, parsed("red_flag_pain")) == "red_flag_pain"


@pytest.mark.parametrize("intent", ["inform", "nlu_fallback", "ask_caution"])
def test_a_named_concern_with_a_generic_intent_or_a_caution_question_is_described(guard, intent):
    assert intent_after(guard, parsed(intent, ("concern", "acne_scars"))) == "describe_concern"


@pytest.mark.parametrize("intent, entities", [
    ("thank", [("concern", "acne_scars")]), ("inform", [("body_area", "face")]), ("greet", []),
])
def test_other_messages_are_left_alone(guard, intent, entities):
    assert intent_after(guard, parsed(intent, *entities)) == intent


def test_out_of_scope_with_a_concern_the_whole_message_classifier_is_sure_of_is_described(guard):
    message = parsed("out_of_scope", ("concern", "texture_tone"))
    message.get("entities")[0]["extractor"] = "ConcernClassifier"
    assert intent_after(guard, message) == "describe_concern"
    assert intent_after(guard, parsed("out_of_scope", ("concern", "texture_tone"))) == "out_of_scope"


@pytest.mark.parametrize("intent", ["inform", "nlu_fallback"])
def test_a_named_caution_with_a_generic_intent_is_a_caution_question(guard, intent):
    assert intent_after(guard, parsed(intent, ("caution", "active_skin_condition"))) == "ask_caution"


def test_a_diagnosis_request_that_names_a_caution_gets_the_caution_answered(guard):
    assert intent_after(guard, parsed("ask_diagnosis", ("caution", "slow_healing"))) == "ask_caution"
    both = parsed("ask_diagnosis", ("caution", "slow_healing"), ("concern", "stretch_marks"))
    assert intent_after(guard, both) == "describe_concern"
    assert intent_after(guard, parsed("ask_diagnosis", ("concern", "hyperpigmentation"))) == "ask_diagnosis"


def spanned(intent, text, phrase, kind):
    start = text.index(phrase)
    message = parsed(intent, text=text)
    message.get("entities").append({"entity": "red_flag", "value": kind, "start": start, "end": start + len(phrase)})
    return message


@pytest.mark.parametrize("text", ["I cut myself shaving and it left a scar", "I burned myself cooking last year",
                                  "I cut myself by accident on glass as a kid, can the scar be improved?"])
def test_a_self_harm_phrase_about_a_described_accident_raises_no_alarm(guard, text):
    phrase = next(p for p in ("cut myself", "burned myself") if p in text)
    assert intent_after(guard, spanned("describe_concern", text, phrase, "self_harm")) == "describe_concern"


@pytest.mark.parametrize("text, phrase", [
    ("I cut myself when I feel low", "cut myself"), ("I used to cut myself and hate the scars", "cut myself"),
    ("I want to kill myself, I cut myself shaving my legs on purpose", "kill myself"),
])
def test_self_harm_without_an_accident_always_gets_the_crisis_reply(guard, text, phrase):
    assert intent_after(guard, spanned("describe_concern", text, phrase, "self_harm")) == "red_flag_self_harm"


def test_a_harmless_phrase_that_contains_a_red_flag_raises_no_alarm(guard):
    message = spanned("ask_question", "I have hay fever, is that a problem?", "fever", "infection")
    assert intent_after(guard, message) == "ask_question"
    assert intent_after(guard, spanned("describe_concern", "I have a fever since my treatment", "fever",
                                       "infection")) == "red_flag_infection"


def test_a_classifier_red_flag_resting_only_on_an_explained_phrase_gives_way(guard):
    message = spanned("red_flag_self_harm", "I cut myself shaving, can I still come in?", "cut myself", "self_harm")
    message.set("intent_ranking", [{"name": "red_flag_self_harm", "confidence": 0.6},
                                   {"name": "ask_question", "confidence": 0.3}])
    assert intent_after(guard, message) == "ask_question"
    # with no phrase behind it, the classifier's red flag stands
    assert intent_after(guard, parsed("red_flag_self_harm", text="I don't want to go on")) == "red_flag_self_harm"


@pytest.mark.parametrize("intent", ["nlu_fallback", "describe_concern", "help"])
def test_a_question_the_topic_classifier_is_sure_of_is_answered_as_one(guard, intent):
    message = parsed(intent, text="my face is red the day after, is that normal?")
    message.set("question_ranking", [{"topic": "normal_recovery", "confidence": 0.8}])
    assert intent_after(guard, message) == "ask_question"
    unsure = parsed(intent, text="is that normal?")
    unsure.set("question_ranking", [{"topic": "normal_recovery", "confidence": 0.3}])
    assert intent_after(guard, unsure) == intent
    statement = parsed(intent, text="my skin just has no life in it")
    statement.set("question_ranking", [{"topic": "normal_recovery", "confidence": 0.9}])
    assert intent_after(guard, statement) == intent
    named = parsed(intent, ("concern", "texture_tone"), text="do men get it too? my skin is rough")
    named.set("question_ranking", [{"topic": "men", "confidence": 0.7}])
    assert intent_after(guard, named) != "ask_question"
    named.set("question_ranking", [{"topic": "men", "confidence": 0.9}])
    assert intent_after(guard, named) == "ask_question"


@pytest.mark.parametrize("text, phrase, expected", [
    ("red streaks on my hips since I gained weight", "red streaks", "describe_concern"),
    ("I've been weeping over my acne scars", "weeping", "describe_concern"),
    ("red streaks spreading from where I had microneedling", "red streaks", "red_flag_infection"),
    ("the treated area is weeping and crusty", "weeping", "red_flag_infection"),
])
def test_an_everyday_word_raises_the_alarm_only_with_a_procedure_or_a_worsening(guard, text, phrase, expected):
    assert intent_after(guard, spanned("describe_concern", text, phrase, "infection")) == expected


def test_a_follow_up_must_read_like_one(guard):
    assert intent_after(guard, parsed("follow_up", ("concern", "stretch_marks"),
                                      text="is it the same for stretch marks?")) == "follow_up"
    assert intent_after(guard, parsed("follow_up", text="and under my eyes?")) == "follow_up"
    assert intent_after(guard, parsed("follow_up", ("concern", "loose_skin"),
                                      text="is microneedling any good for sagging skin on the neck")) == \
        "describe_concern"


def test_a_classifier_alarm_without_a_phrase_gives_way_only_to_a_confident_question(guard):
    question = parsed("red_flag_mole", text="does having moles mean I'm not a good candidate?")
    question.set("question_ranking", [{"topic": "moles_freckles_in_area", "confidence": 0.8}])
    assert intent_after(guard, question) == "ask_question"
    sure = parsed("red_flag_allergy", text="my lips are puffy since the numbing cream")
    sure.get("intent")["confidence"] = 0.9
    sure.set("question_ranking", [{"topic": "numbing_cream", "confidence": 0.9}])
    assert intent_after(guard, sure) == "red_flag_allergy"


def test_an_unsure_classifier_alarm_without_a_phrase_gives_way_except_for_self_harm(guard):
    unsure = parsed("red_flag_infection", text="slightly puffy cheeks today, it's day 1 so that's expected")
    unsure.get("intent")["confidence"] = 0.5
    unsure.set("question_ranking", [{"topic": "normal_recovery", "confidence": 0.5}])
    assert intent_after(guard, unsure) == "ask_question"
    crisis = parsed("red_flag_self_harm", text="I don't see the point any more")
    crisis.get("intent")["confidence"] = 0.5
    assert intent_after(guard, crisis) == "red_flag_self_harm"


def test_a_question_whether_it_helps_that_leans_to_a_concern_is_a_concern_question(guard):
    message = parsed("ask_question", text="will microneedling help my skin look brighter?")
    message.set("question_ranking", [{"topic": "next_day_look", "confidence": 0.4}])
    message.set("concern_ranking", [{"concern": "texture_tone", "confidence": 0.08}])
    assert intent_after(guard, message) == "describe_concern"
    known = parsed("ask_question", text="will it help to use ice after?")
    known.set("question_ranking", [{"topic": "downtime_aftercare", "confidence": 0.8}])
    known.set("concern_ranking", [{"concern": "texture_tone", "confidence": 0.08}])
    assert intent_after(guard, known) == "ask_question"


def test_a_question_naming_a_concern_that_no_topic_fits_is_about_the_concern(guard):
    message = parsed("ask_question", ("concern", "stretch_marks"),
                     text="tiger stripes after my twins, can microneedling do anything?")
    message.set("question_ranking", [{"topic": "exercise_after", "confidence": 0.03}])
    assert intent_after(guard, message) == "describe_concern"
    known = parsed("ask_question", ("concern", "acne_scars"), text="how many sessions for acne scars?")
    known.set("question_ranking", [{"topic": "sessions", "confidence": 0.9}])
    assert intent_after(guard, known) == "ask_question"


@pytest.mark.parametrize("text, phrase, kind", [
    ("could microneedling give me an allergic reaction?", "allergic reaction", "allergy"),
    ("years ago I had an allergic reaction to a face cream", "allergic reaction", "allergy"),
    ("can numbing cream make you dizzy?", "dizzy", "numbing"),
    ("I'm prone to cold sores, is it still ok?", "cold sores", "cold_sore"),
])
def test_a_red_flag_phrase_in_a_risk_question_or_a_history_leaves_the_decision_to_the_classifier(
        guard, text, phrase, kind):
    assert intent_after(guard, spanned("ask_question", text, phrase, kind)) == "ask_question"
    unsure = spanned(f"red_flag_{kind}", text, phrase, kind)
    unsure.get("intent")["confidence"] = 0.5
    unsure.get("intent_ranking").append({"name": "ask_question", "confidence": 0.4})
    assert intent_after(guard, unsure) == "ask_question"


@pytest.mark.parametrize("text, phrase, kind", [
    ("I think I'm having an allergic reaction to the serum", "allergic reaction", "allergy"),
    ("I feel dizzy after the numbing cream", "dizzy", "numbing"),
    ("a cold sore came up two days after my microneedling", "cold sore", "cold_sore"),
    ("I still have hard lumps six weeks after the treatment", "hard lumps", "lumps"),
    ("my dark spot keeps getting bigger", "getting bigger", "mole"),
    ("the spot on my temple is getting darker", "getting darker", "mole"),
])
def test_a_red_flag_happening_now_stands(guard, text, phrase, kind):
    assert intent_after(guard, spanned("ask_question", text, phrase, kind)) == f"red_flag_{kind}"


@pytest.mark.parametrize("text, phrase, kind", [
    ("my heart is racing before my appointment", "heart is racing", "numbing"),
    ("I've had bumps under my skin on my forehead for years", "bumps under", "lumps"),
    ("my pores are getting bigger with age", "getting bigger", "mole"),
    ("my sun spots have been getting darker over the years", "getting darker", "mole"),
])
def test_an_everyday_word_without_its_context_raises_no_alarm(guard, text, phrase, kind):
    assert intent_after(guard, spanned("describe_concern", text, phrase, kind)) == "describe_concern"


def test_is_this_normal_asks_about_recovery_when_the_topic_classifier_says_so(guard):
    normal = parsed("ask_diagnosis", text="my skin is peeling, is this normal?")
    normal.set("question_ranking", [{"topic": "normal_recovery", "confidence": 0.9}])
    assert intent_after(guard, normal) == "ask_question"
    spot = parsed("ask_diagnosis", text="what is this spot on my face?")
    spot.set("question_ranking", [{"topic": "normal_recovery", "confidence": 0.9}])
    assert intent_after(guard, spot) == "ask_diagnosis"
    unsure = parsed("ask_diagnosis", text="is this normal?")
    unsure.set("question_ranking", [{"topic": "normal_recovery", "confidence": 0.2}])
    assert intent_after(guard, unsure) == "ask_diagnosis"


def test_a_cold_sore_near_the_eye_takes_the_eye_route(guard):
    text = "a cold sore has come up on my eyelid after the treatment"
    assert intent_after(guard, spanned("describe_concern", text, "cold sore", "cold_sore")) == "red_flag_eye"
    lips = "a cold sore has come up on my lip after the treatment"
    assert intent_after(guard, spanned("describe_concern", lips, "cold sore", "cold_sore")) == "red_flag_cold_sore"


@pytest.mark.parametrize("intent", ["affirm", "deny"])
def test_a_long_message_read_as_yes_or_no_that_leans_to_a_concern_describes_it(guard, intent):
    text = "I wasn't overweight, I just grew really fast and now the white lines on my hips won't go"
    message = parsed(intent, text=text)
    message.set("concern_ranking", [{"concern": "stretch_marks", "confidence": 0.3}])
    assert intent_after(guard, message) == "describe_concern"
    short = parsed(intent, text="no thanks, not right now")
    short.set("concern_ranking", [{"concern": "stretch_marks", "confidence": 0.3}])
    assert intent_after(guard, short) == intent
    unrelated = parsed(intent, text=text)
    assert intent_after(guard, unrelated) == intent


def test_the_intent_that_replaces_an_unfounded_alarm_gets_the_same_rules(guard):
    text = "they used to be red and now they're white lines on my hips since I grew fast as a teenager"
    message = Message(data={"text": text, "intent": {"name": "red_flag_mole", "confidence": 0.5},
                            "intent_ranking": [{"name": "red_flag_mole", "confidence": 0.5},
                                               {"name": "deny", "confidence": 0.3}],
                            "entities": [], "concern_ranking": [{"concern": "stretch_marks", "confidence": 0.9}]})
    assert intent_after(guard, message) == "describe_concern"
