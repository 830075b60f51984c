"""The channel guard: bad input, typed payloads, and the kind reply when a turn fails."""
from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.checks import MAX_MESSAGE_CHARS, checked, is_button_payload, prepare


@pytest.mark.parametrize("payload", [
    '/describe_concern{"concern": "acne_scars"}', '/inform{"body_area": "face"}', '/inform{"caution": "none"}',
    '/inform{"treatment": "laser"}', "/start_questionnaire", "/delete_my_data", "/stop_questionnaire",
])
def test_the_assistants_own_buttons_are_payloads(kb, payload):
    assert is_button_payload(payload, kb)


@pytest.mark.parametrize("typed", [
    '/inform{"concern": "<script>"}', '/inform{"cautions_done": true}', '/inform{"invalid_answers": 9}',
    '/session_start', '/restart', '/red_flag_allergy', '/nlu_fallback', '/inform{"x":1}', '/inform{not json}',
    '/inform{"body_area": ["face"]}',
])
def test_anything_else_typed_with_a_slash_is_not_a_payload(kb, typed):
    assert not is_button_payload(typed, kb)
    text, reply = prepare(typed, kb)
    assert reply is None and not text.startswith("/")


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", "\x00\x07", None, "/", "//"])
def test_empty_messages_get_a_kind_reply(kb, raw):
    assert prepare(raw, kb) == (None, kb.general["empty_message"])


def test_too_long_messages_get_a_kind_reply(kb):
    text, reply = prepare("a" * (MAX_MESSAGE_CHARS + 1), kb)
    assert text is None and "2,000 characters" in reply


def test_control_characters_are_removed_and_emoji_kept(kb):
    assert prepare("stretch\x00 marks\u202e 😀\r\n", kb) == ("stretch marks 😀", None)


def _run(handler, text):
    output = CollectingOutputChannel()
    asyncio.run(handler(UserMessage(text, output, "visitor")))
    return [m["text"] for m in output.messages]


def test_a_turn_without_any_reply_gets_the_trouble_message(kb):
    async def silent(message):
        return None

    async def broken(message):
        raise RuntimeError("action server down")

    for handler in (silent, broken):
        replies = _run(checked(handler), "I have stretch marks")
        assert replies == [kb.general["trouble"]] and "qualified professional" in replies[0]


def test_a_turn_with_replies_is_left_alone():
    async def answering(message):
        await message.output_channel.send_response(message.sender_id, {"text": f"echo {message.text}"})

    assert _run(checked(answering), "  hi\x00 ") == ["echo hi"]
