"""End to end over the REST channel, with the real Rasa server and action server."""
from __future__ import annotations

import pytest

from tests.servers import texts

pytestmark = pytest.mark.e2e

REALISTIC_MESSAGES = {
    "acne_scars": "I've had little holes left from pimples on my cheeks since I was 16",
    "scars": "there's a scar from my knee surgery that still looks angry",
    "stretch_marks": "tiger stripes after my twins, can microneedling do anything?",
    "hyperpigmentation": "the dark marks my breakouts left behind just won't fade",
    "wrinkles": "the fine lines round my eyes are getting deeper",
    "loose_skin": "after losing 30 kg my skin is hanging and saggy on my arms",
    "texture_tone": "my skin looks dull and my pores are huge",
}


@pytest.mark.parametrize("concern_id", sorted(REALISTIC_MESSAGES))
def test_each_concern_is_recognised_and_answered(rest, sender, kb, concern_id):
    replies = rest.send(sender, REALISTIC_MESSAGES[concern_id])
    assert rest.slot(sender, "concern") == [concern_id]
    notice, info, offer = replies[0]["text"], replies[1]["text"], replies[-1]
    assert notice.startswith("Before we start") and "delete my data" in notice
    concern = kb.get(concern_id)
    assert concern.name in info and concern.can in info
    assert "qualified professional" in info.splitlines()[-1]
    assert "qualified professional" in offer["text"] and offer["buttons"][0]["payload"] == "/start_questionnaire"


def test_several_concerns_in_one_message(rest, sender):
    replies = rest.send(sender, "I hate my acne scars, my stretch marks and the sagging on my neck")
    assert rest.slot(sender, "concern") == ["acne_scars", "stretch_marks", "loose_skin"]
    infos = [r["text"] for r in replies if "What microneedling can do" in r.get("text", "")]
    assert len(infos) == 3 and all("qualified professional" in t.splitlines()[-1] for t in infos)


def test_greeting_carries_the_disclaimer(rest, sender):
    answer = texts(rest.send(sender, "hello"))
    assert "general information" in answer and "can't diagnose" in answer


def test_out_of_scope_guesses_no_concern(rest, sender):
    answer = texts(rest.send(sender, "what's the weather today?"))
    assert "outside what I can help with" in answer
    assert rest.slot(sender, "concern") is None


def test_nonsense_gets_the_concerns_as_buttons(rest, sender, kb):
    replies = rest.send(sender, "qwzx blorp fnargh")
    buttons = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert len(buttons) == len(kb.ids)
    follow_up = rest.send(sender, buttons[0])
    assert rest.slot(sender, "concern") == [kb.ids[0]]
    assert "qualified professional" in texts(follow_up)


@pytest.mark.parametrize(
    "message, expected",
    [("are you a bot?", "automated assistant"), ("what can you do?", "In your own words".lower()),
     ("thanks!", "You're welcome"), ("bye", "Take care")],
)
def test_small_talk(rest, sender, message, expected):
    assert expected.lower() in texts(rest.send(sender, message)).lower()


def test_start_over_clears_the_concern(rest, sender):
    rest.send(sender, "I have stretch marks")
    answer = texts(rest.send(sender, "let's start over"))
    assert "start over" in answer
    assert rest.slot(sender, "concern") is None
