"""Actions that answer about concerns, run with a real Tracker and CollectingDispatcher."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionConcernInfo, ActionDefaultFallback, ActionOfferConcerns
from tests.unit.trackers import concern_entity, tracker_for


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.mark.parametrize("concern_id", ["acne_scars", "scars", "stretch_marks", "hyperpigmentation",
                                        "wrinkles", "loose_skin", "texture_tone"])
def test_each_concern_gets_its_information_and_the_professional_recommendation(kb, concern_id):
    concern = kb.get(concern_id)
    messages, events = run(ActionConcernInfo(), tracker_for(entities=[concern_entity(concern_id)]))
    assert events == []
    assert len(messages) == 2
    text = messages[0]["text"]
    assert text.startswith(f"{concern.name}: {concern.summary}")
    assert concern.can in text and concern.cannot in text and concern.evidence in text
    assert concern.sources[0].name in text
    last_line = text.splitlines()[-1]
    assert "qualified professional" in last_line and concern.professional in last_line
    offer = messages[1]
    assert offer["text"] == kb.general["offer_questionnaire"] and "qualified professional" in offer["text"]
    assert [b["payload"] for b in offer["buttons"]] == ["/start_questionnaire", "/deny"]


def test_several_concerns_get_an_introduction_and_one_answer_each(kb):
    tracker = tracker_for(entities=[concern_entity("stretch_marks"), concern_entity("acne_scars"),
                                    concern_entity("stretch_marks", "DIETClassifier")])
    messages, _ = run(ActionConcernInfo(), tracker)
    assert messages[0]["text"] == kb.general["several_concerns"]
    assert [m["text"].split(":")[0] for m in messages[1:3]] == ["Stretch marks", "Acne scars"]
    assert all("qualified professional" in m["text"].splitlines()[-1] for m in messages[1:])
    assert len(messages) == 4


def test_no_concern_offers_every_concern_as_a_button(kb):
    messages, _ = run(ActionConcernInfo(), tracker_for(text="I have a skin concern"))
    assert len(messages) == 1
    assert messages[0]["text"] == kb.general["which_concern"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == [f'/describe_concern{{"concern": "{cid}"}}' for cid in kb.ids]
    assert [b["title"] for b in messages[0]["buttons"]] == [c.name for c in kb.concerns.values()]


def test_an_unknown_concern_value_is_ignored(kb):
    tracker = tracker_for(entities=[concern_entity("<script>alert(1)</script>"), concern_entity("")])
    messages, _ = run(ActionConcernInfo(), tracker)
    assert messages[0]["text"] == kb.general["which_concern"]


@pytest.mark.parametrize("action", [ActionOfferConcerns(), ActionDefaultFallback()])
def test_not_understood_offers_the_concerns(kb, action):
    messages, events = run(action, tracker_for(text="asdfgh", intent="nlu_fallback"))
    assert messages[0]["text"] == kb.general["not_understood"]
    assert len(messages[0]["buttons"]) == len(kb.ids)
    # the default fallback goes back to where the conversation was, so it cannot loop
    expected = [{"event": "rewind", "timestamp": None}] if isinstance(action, ActionDefaultFallback) else []
    assert events == expected


def test_action_names_match_the_domain():
    import yaml
    from tests.servers import ROOT

    domain_actions = set(yaml.safe_load((ROOT / "domain.yml").read_text())["actions"])
    names = {ActionConcernInfo().name(), ActionOfferConcerns().name(), ActionDefaultFallback().name()}
    assert names <= domain_actions
