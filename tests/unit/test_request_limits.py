"""What the channels accept as a sender id and as a REST webhook body."""
from __future__ import annotations

import pytest

from channels.request_limits import valid_sender
from channels.rest import BAD_BODY, BAD_MESSAGE, BAD_SENDER, refusal


@pytest.mark.parametrize("sender", [
    "c0a8f3e2-1b4d-4f6a-9e7b-3d2c1b0a9f8e", "v-lx3k9a0q8z1", "test-0123456789ab", "scale-0-abcdef", "run-test",
    "a", "x" * 64, "user:42.session_1",
])
def test_ids_the_widget_and_clients_use_are_valid(sender):
    assert valid_sender(sender)


@pytest.mark.parametrize("sender", [
    "", "x" * 65, ["x"], 42, None, {"id": "x"}, "a b", "../etc/passwd", "a\nb", "é", "<script>", "a/b", "a\u200db",
])
def test_other_senders_are_refused(sender):
    assert not valid_sender(sender)


@pytest.mark.parametrize("body, reason", [
    (["a", "list"], BAD_BODY), ("text", BAD_BODY), (None, BAD_BODY),
    ({"message": "hi"}, BAD_SENDER), ({"sender": ["x"], "message": "hi"}, BAD_SENDER),
    ({"sender": "x"}, BAD_MESSAGE), ({"sender": "x", "message": 42}, BAD_MESSAGE),
    ({"sender": "x", "message": {"text": "hi"}}, BAD_MESSAGE),
    ({"sender": "x", "message": "hi"}, None), ({"sender": "x", "message": "", "metadata": [1]}, None),
])
def test_webhook_bodies_are_refused_with_their_reason(body, reason):
    assert refusal(body) == reason
