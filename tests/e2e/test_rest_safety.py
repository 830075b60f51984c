"""Danger over REST against the real servers: the right level at once, in and out of the questionnaire, in context."""
from __future__ import annotations

import pytest

from harness.servers import texts

pytestmark = pytest.mark.e2e
NOW = "or your local emergency number, now"
TODAY = "clinic that treated you, or a doctor, today"


@pytest.mark.parametrize("message, reply", [
    ("my chest hurts and my lips have gone a bit blue", "utter_red_flag_emergency_signs"),
    ("used my at home RF gadget on the highest setting and now there are big blisters and the skin is going white",
     "utter_red_flag_burn"),
    ("I've come out in hives on my neck after the serum, breathing is fine", "utter_red_flag_hives"),
    ("my eye is red and sore after they did the skin under my eyes", "utter_red_flag_eye"),
    ("it's been 3 days and my cheek is still bleeding, it won't stop even when I press it", "utter_red_flag_bleeding"),
])
def test_each_level_gets_its_reply(rest, sender, kb, message, reply):
    answer = texts(rest.send(sender, message))
    assert kb.replies[reply] in answer


def test_hives_and_eye_problems_are_urgent_not_an_emergency(kb):
    for reply in ("utter_red_flag_hives", "utter_red_flag_eye"):
        assert not kb.replies[reply].startswith("Call 999") and TODAY in kb.replies[reply]


def test_a_warning_sign_after_a_treatment_gets_the_urgent_reply_and_the_questions_stop(rest, sender, kb):
    rest.send(sender, "I had microneedling on my cheeks on saturday")
    rest.send(sender, "start the questions")
    answer = texts(rest.send(sender, "now there's yellow crusty stuff on it and it feels hot"))
    assert kb.replies["utter_red_flag_infection"] in answer
    assert not any(q["text"] in answer for q in kb.questions.values())
    assert rest.tracker(sender)["active_loop"] in ({}, None, {"name": None})


@pytest.mark.parametrize("message, reply", [
    ("I'm going to overdose tonight, nobody will care", "utter_red_flag_self_harm_plan"),
    ("I've saved up my pills, I can't keep living looking like this", "utter_red_flag_self_harm_plan"),
    ("my acne scars make me want to disappear forever, like not wake up", "utter_red_flag_self_harm"),
])
def test_self_harm_said_indirectly_gets_crisis_support(rest, sender, kb, message, reply):
    assert kb.replies[reply] in texts(rest.send(sender, message))


@pytest.mark.parametrize("message", [
    "I burnt my hand on the oven yesterday, can I still come for microneedling on friday?",
    "is it normal to be a bit pink and tight the day after?",
    "I'm dying to try microneedling for my acne scars",
])
def test_look_alikes_get_no_alarm(rest, sender, kb, message):
    answer = texts(rest.send(sender, message))
    assert not any(flag.reply in answer for flag in kb.red_flags)
