"""Conversations in the widget, in Chromium: a follow-up, aftercare, a free answer mid-questionnaire,
and a deletion asked for mid-sentence."""
from __future__ import annotations

from typing import Iterator

import pytest

from assistant.compose import lower_name
from tests.e2e.test_widget import Visitor, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.e2e


@pytest.fixture
def visitor(browser, web_origin, rest) -> Iterator[Visitor]:  # noqa: F811
    visitor = Visitor(browser, web_origin, rest, {"width": 360, "height": 740})
    yield visitor.open()
    visitor.close()


def test_a_follow_up_and_aftercare_in_the_widget(visitor, kb):
    visitor.say("my c-section scar is thick and raised", expect="qualified professional")
    visitor.say("can microneedling flatten it?", expect=f"How well it works for {lower_name(kb.concerns['scars'])}")
    visitor.say("I had a session yesterday by the way", expect="qualified professional")
    visitor.say("it feels tight and a bit hot, is that normal?", expect="You had your treatment yesterday.")


def test_a_free_answer_and_a_deletion_mid_sentence_in_the_widget(visitor, rest, kb):
    visitor.say("stretch marks on my belly after my baby", expect="qualified professional")
    visitor.say("ok go on then, I'll do the questions", expect=kb.questions["body_area"]["text"])
    visitor.say("mostly the tummy and a bit on my hips", expect=kb.questions["duration"]["text"])
    sender = visitor.session_id()
    assert rest.slot(sender, "body_area") == "abdomen"
    visitor.say("actually, I'd rather you didn't keep any of this, please delete my data",
                expect=kb.general["deleted"][:40])
    assert not [e for e in rest.tracker(sender)["events"] if e["event"] == "user" and "belly" in str(e.get("text"))]
