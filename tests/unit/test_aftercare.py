"""Aftercare in the core: the day of the treatment from the conversation, and what is expected that day."""
from __future__ import annotations

import time

from assistant.aftercare import aftercare_messages, asks_aftercare, expected_on
from assistant.safety.triage import Reading
from assistant.state import State

DAY = 86400.0


def said(text, treatment_days=None, topic=None, confidence=0.9):
    parse = {"text": text, "intent": {"name": "ask_question"}, "entities": [],
             "safety": Reading({"none": 1.0}, treatment_days=treatment_days).as_dict()}
    if topic:
        parse["question_ranking"] = [{"topic": topic, "confidence": confidence}]
    return parse


def conversation(*messages):
    now = time.time()
    return State(messages=tuple((now - age, parse) for age, parse in messages))


def test_the_day_counts_from_when_the_treatment_was_told(kb):
    state = conversation((DAY, said("I had microneedling yesterday", treatment_days=1)),
                         (0, said("it's gone flaky and itchy, is that ok?")))
    assert asks_aftercare(state.messages[-1][1], state, kb) == 2
    first, closing, _ = aftercare_messages(kb, 2, None)
    assert first[0].startswith("You had your treatment 2 days ago.") and expected_on(kb, 2) in first[0]
    assert "redness that spreads" in closing[0] and "qualified professional" in closing[0]


def test_telling_of_the_treatment_alone_gets_what_to_expect(kb):
    state = conversation((0, said("I had microneedling on my face two days ago", treatment_days=2)))
    assert asks_aftercare(state.messages[-1][1], state, kb) == 2


def test_no_aftercare_without_a_recent_treatment_or_for_another_question(kb):
    assert asks_aftercare(said("it's a bit red"), conversation((0, said("it's a bit red"))), kb) is None
    old = conversation((0, said("I had microneedling ages ago and it is red", treatment_days=40)))
    assert asks_aftercare(old.messages[-1][1], old, kb) is None
    makeup = said("when can I wear make-up again? it's still red", topic="makeup_after")
    state = conversation((DAY, said("I had it done yesterday", treatment_days=1)), (0, makeup))
    assert asks_aftercare(makeup, state, kb) is None


def test_each_stage_holds_until_its_day(kb):
    assert expected_on(kb, 0) == expected_on(kb, 1) != expected_on(kb, 2)
    assert expected_on(kb, 30) == kb.aftercare["stages"][-1][1]
    assert expected_on(kb, -1) == kb.aftercare["unknown"]
