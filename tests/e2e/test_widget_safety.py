"""Danger in the widget, in Chromium: a red flag typed mid-questionnaire, and a warning sign after a treatment."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.e2e.test_widget import Visitor, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.e2e
URGENT = ".skw-bot.skw-urgent"


@pytest.fixture
def visitor(browser, web_origin, rest) -> Iterator[Visitor]:  # noqa: F811
    visitor = Visitor(browser, web_origin, rest, {"width": 1280, "height": 900})
    yield visitor.open()
    visitor.close()


def test_a_red_flag_typed_mid_questionnaire_is_answered_at_once_as_urgent_and_stops_the_questions(visitor, rest, kb):
    visitor.say("I have acne scars", expect="Acne scars:")
    visitor.say("start the questions", expect=kb.questions["body_area"]["text"])
    visitor.say("hang on, my lips are swelling up and I can't breathe", expect="local emergency number, now")
    assert visitor.page.locator(URGENT).count() >= 1
    tracker = rest.tracker(visitor.session_id())
    assert tracker["active_loop"] in ({}, None, {"name": None})
    assert tracker["latest_message"]["intent"]["name"] == "red_flag_allergy"


def test_a_warning_sign_after_a_treatment_conversation_gets_the_urgent_reply(visitor, rest, kb):
    visitor.say("I got microneedling done on saturday and my face is still red and kinda peeling, is that ok?",
                expect="qualified professional")
    visitor.say("and now there are little yellow crusty bits and it smells", expect="or a doctor, today")
    assert visitor.page.locator(URGENT).count() >= 1
    assert kb.replies["utter_red_flag_infection"] in visitor.bot_messages()[-1].replace("\n", " ")
