"""The privacy notice that starts every conversation tells what the clinic may read, and what deletion does."""
from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import ActionSessionStart
from tests.unit.trackers import tracker_for


def notice() -> str:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSessionStart().run(dispatcher, tracker_for(), {}))
    return dispatcher.messages[0]["text"]


def test_the_notice_says_the_clinic_may_read_what_was_not_understood():
    assert "The clinic may read messages I did not understand, to help me get better." in notice()


def test_the_notice_says_deleting_also_removes_them_from_later_copies():
    text = notice()
    assert 'Say "delete my data" at any time to erase it now.' in text
    assert "Then it is also left out of any copy the clinic makes later." in text
    assert "30 days" in text and "not a diagnosis" in text
