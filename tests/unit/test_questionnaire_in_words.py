"""The questionnaire takes answers as people give them, and never changes the concern without asking."""
from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaire import ValidateQuestionnaireForm
from tests.unit.form_trackers import form_tracker

FORM = ValidateQuestionnaireForm()


def extract(slot, text, requested=None, intent="describe_concern", before=None):
    tracker = form_tracker(requested or slot, text, {}, before=before, intent=intent)
    return getattr(FORM, f"extract_{slot}")(CollectingDispatcher(), tracker, {})


@pytest.mark.parametrize("slot, text", [
    ("body_area", "mostly on my tummy and a bit on the hips"),
    ("duration", "they showed up when I was pregnant with my first, so years now"),
    ("skin_reaction", "I go dark quite quickly after a spot"),
    ("treatments", "cocoa butter and a stretch mark cream"),
    ("cautions_done", "none of those, that's all"),
])
def test_an_answer_in_the_visitors_words_is_taken_whatever_its_intent(slot, text):
    assert extract(slot, text) == {slot: text}


def test_a_duration_told_with_the_area_answers_both():
    assert extract("duration", "both cheeks, for about six years", requested="body_area") == {
        "duration": "both cheeks, for about six years"}


@pytest.mark.parametrize("text, intent", [
    ("I've had these since I was 12 and I've saved up pills to take tonight", "red_flag_self_harm_plan"),
    ("since last year. actually please delete my data", "delete_my_data"),
    ("does it hurt on the tummy?", "ask_question"),
])
def test_danger_requests_and_questions_are_never_taken_as_answers(text, intent):
    assert extract("duration", text, intent=intent) == {}
    assert extract("body_area", text, intent=intent) == {}


def test_another_concern_named_mid_questionnaire_is_offered_not_switched():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker("body_area", "belly, and my face has gone blotchy brown too",
                           {"concern": ["hyperpigmentation"]}, before={"concern": ["stretch_marks"]})
    result = FORM.validate_concern(["hyperpigmentation"], dispatcher, tracker, {})
    assert result == {"concern": ["stretch_marks"], "switch_concern": ["hyperpigmentation"]}
    [message] = dispatcher.messages
    text = message["text"].lower()
    assert "switch" in text and "stretch marks" in text and "dark spots" in text
    assert [b["payload"] for b in message["buttons"]] == ['/inform{"concern": ["hyperpigmentation"]}', "/deny"]


def test_the_switch_is_made_when_the_visitor_says_yes():
    before = {"concern": ["stretch_marks"], "switch_concern": ["hyperpigmentation"]}
    tracker = form_tracker("duration", "yes please", {}, before=before, intent="affirm")
    assert FORM.extract_concern(CollectingDispatcher(), tracker, {}) == {"concern": ["hyperpigmentation"]}
    tracker = form_tracker("duration", "yes please", {"concern": ["hyperpigmentation"]}, before=before, intent="affirm")
    result = FORM.validate_concern(["hyperpigmentation"], CollectingDispatcher(), tracker, {})
    assert result["concern"] == ["hyperpigmentation"] and result["switch_concern"] is None


def test_a_no_keeps_the_concern_and_closes_the_offer():
    before = {"concern": ["stretch_marks"], "switch_concern": ["hyperpigmentation"]}
    tracker = form_tracker("duration", "no keep it on the stretch marks", {}, before=before, intent="deny")
    assert FORM.extract_concern(CollectingDispatcher(), tracker, {}) == {"switch_concern": None}
