"""Requests said anywhere in a sentence are found; questions about them and look-alikes are not."""
from __future__ import annotations

import pytest

from assistant.requests import may_request, requested


@pytest.mark.parametrize("text, intent", [
    ("ok thanks. actually I don't want you keeping anything I typed, please delete my data", "delete_my_data"),
    ("Thanks for that. Could you wipe this conversation now?", "delete_my_data"),
    ("forget everything I said earlier please", "delete_my_data"),
    ("I don't want any of this stored anywhere", "delete_my_data"),
    ("right, no more questions, I've had enough", "stop_questionnaire"),
    ("sorry can we start over from the beginning", "restart_conversation"),
    ("great, can you show me my summary again", "show_summary"),
    ("how do I book a consultation with you", "open_consultation"),
    ("fine, let's do the quick questions", "start_questionnaire"),
])
def test_a_request_inside_a_longer_message_is_found(kb, text, intent):
    assert requested(text, kb.requests) == intent


@pytest.mark.parametrize("text", [
    "do you delete my data after a while?",
    "how do I delete my data?",
    "when can I start again with my retinol?",
    "can it remove the dark marks on my cheeks?",
    "I have a few questions about the price",
    "should I stop my retinol before the appointment?",
    "/delete_my_data",
])
def test_questions_about_a_request_and_look_alikes_are_no_request(kb, text):
    assert requested(text, kb.requests) is None


def test_keeping_nothing_said_in_other_words_is_a_deletion(kb):
    assert requested("thanks, but I'd prefer none of this is kept on your servers", kb.requests) == "delete_my_data"


@pytest.mark.parametrize("text", [
    "hmm. is this chat being saved somewhere? bit uncomfortable about that",
    "are my answers stored anywhere? I feel uneasy about my privacy",
])
def test_a_message_that_may_ask_for_deletion_is_answered_then_asked(kb, text):
    from assistant.decisions import decide
    from assistant.state import State

    assert requested(text, kb.requests) is None and may_request(text, kb.requests) == "delete_my_data"
    reply = decide("action_answer_faq", {"text": text, "intent": {"name": "ask_question"}, "entities": []},
                   State(), kb, None)
    text_shown, buttons = reply.messages[-1]
    assert text_shown == kb.general["confirm_delete"] and buttons[0]["payload"] == "/delete_my_data"
