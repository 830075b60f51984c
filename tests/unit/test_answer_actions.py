"""Actions that answer about concerns, run with a real Tracker and CollectingDispatcher."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.concerns import ActionConcernInfo, ActionDefaultFallback, ActionOfferConcerns
from assistant.compose import follow_up_payload
from assistant.knowledge_base import DETAILS
from tests.unit.trackers import concern_entity, tracker_for


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.mark.parametrize("concern_id", ["acne_scars", "scars", "stretch_marks", "hyperpigmentation",
                                        "wrinkles", "loose_skin", "texture_tone"])
def test_each_concern_gets_a_short_first_answer_with_the_detail_on_buttons(kb, concern_id):
    concern = kb.get(concern_id)
    messages, events = run(ActionConcernInfo(), tracker_for(entities=[concern_entity(concern_id)]))
    assert events == []
    assert len(messages) == 2
    text = messages[0]["text"]
    *answer, last_line = text.splitlines()
    assert answer[0].startswith(f"{concern.name}: ")
    assert len("\n".join(answer)) <= 380  # 350 of content, with room for a glossary explanation
    assert "qualified professional" in last_line and concern.professional in last_line
    assert "http" not in text and concern.details["evidence"] not in text
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == [follow_up_payload(d, concern=concern_id) for d in (*DETAILS, "sources")] + [
        "/start_questionnaire"]
    next_step = messages[1]  # clinic.yml's example clinic: the consultation buttons
    assert "qualified professional" in next_step["text"]
    assert [b["title"] for b in next_step["buttons"]] == ["Book a consultation", "Call the clinic"]


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
    from harness.servers import ROOT

    domain_actions = set(yaml.safe_load((ROOT / "domain" / "dialogue.yml").read_text())["actions"])
    names = {ActionConcernInfo().name(), ActionOfferConcerns().name(), ActionDefaultFallback().name()}
    assert names <= domain_actions


def test_a_message_that_leans_to_a_concern_gets_a_confirmation_not_the_whole_list(kb):
    ranking = [("acne_scars", 0.42), ("scars", 0.2), ("texture_tone", 0.05)]
    messages, _ = run(ActionConcernInfo(), tracker_for(text="dents left by my teenage spots",
                                                       concern_ranking=ranking))
    assert len(messages) == 1
    assert messages[0]["text"].startswith("It sounds like acne scars, is that right?")
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Acne scars", kb.concerns["scars"].name, kb.concerns["texture_tone"].name, "Something else"]
    assert messages[0]["buttons"][0]["payload"] == '/describe_concern{"concern": "acne_scars"}'
    # "Something else" names no concern, so it brings the whole list
    assert messages[0]["buttons"][-1]["payload"] == "/describe_concern"


def test_yes_to_a_suggestion_answers_the_first_suggested_concern(kb):
    tracker = tracker_for(text="yes", intent="affirm", slots={"suggested_concerns": ["acne_scars", "scars"]})
    messages, events = run(ActionConcernInfo(), tracker)
    assert messages[0]["text"].startswith("Acne scars:") and len(messages) == 2
    assert [(e["name"], e["value"]) for e in events] == [("concern", ["acne_scars"]), ("suggested_concerns", None),
                                                          ("confirming_concern", None)]


def test_no_to_a_suggestion_lists_every_concern(kb):
    tracker = tracker_for(text="no", intent="deny", slots={"suggested_concerns": ["acne_scars"]})
    messages, events = run(ActionOfferConcerns(), tracker)
    assert messages[0]["text"] == kb.general["which_concern"]
    assert len(messages[0]["buttons"]) == len(kb.ids)
    assert [(e["name"], e["value"]) for e in events] == [("suggested_concerns", None), ("confirming_concern", None)]


def test_not_understood_but_leaning_confirms_the_likeliest_concerns(kb):
    tracker = tracker_for(text="silvery lines on my hips", intent="nlu_fallback",
                          concern_ranking=[("stretch_marks", 0.3), ("wrinkles", 0.12)])
    messages, events = run(ActionOfferConcerns(), tracker)
    assert [(e["name"], e["value"]) for e in events] == [("suggested_concerns", ["stretch_marks", "wrinkles"]),
                                                          ("confirming_concern", True)]
    assert messages[0]["text"].startswith("It sounds like stretch marks")
    assert [b["title"] for b in messages[0]["buttons"]] == ["Stretch marks", kb.concerns["wrinkles"].name,
                                                             "Something else"]


def test_a_weak_guess_or_an_unknown_id_is_not_offered(kb):
    for ranking in ([("stretch_marks", 0.05)], [("moon_dust", 0.9)]):
        messages, _ = run(ActionOfferConcerns(), tracker_for(text="hmm", intent="nlu_fallback",
                                                             concern_ranking=ranking))
        assert messages[0]["text"] == kb.general["not_understood"]
        assert len(messages[0]["buttons"]) == len(kb.ids)


CAUTION_WORDS = {
    "pregnancy": "I'm pregnant", "isotretinoin": "I take roaccutane", "blood_thinners": "I'm on warfarin",
    "keloids": "I get keloids", "slow_healing": "I'm diabetic", "active_skin_condition": "my eczema is flaring up",
    "cold_sore_history": "I get cold sores",
}


@pytest.mark.parametrize("caution_id, words", CAUTION_WORDS.items())
def test_a_caution_with_a_concern_is_answered_first_as_it_would_be_alone(kb, caution_id, words):
    from actions.cautions import ActionCautionInfo

    text = f"{words}, can I have microneedling for my acne scars?"
    alone, _ = run(ActionCautionInfo(), tracker_for(text=words, intent="ask_caution"))
    messages, _ = run(ActionConcernInfo(), tracker_for(text=text, entities=[concern_entity("acne_scars")]))
    assert messages[0]["text"] == alone[0]["text"]
    assert kb.option("cautions", caution_id).note in messages[0]["text"]
    assert messages[1]["text"].startswith("Acne scars:")
    assert "qualified professional" in messages[1]["text"].splitlines()[-1]
    assert messages[1]["buttons"][-1]["payload"] == "/start_questionnaire"


def test_a_caution_alone_is_not_followed_by_the_concern_list(kb):
    messages, _ = run(ActionConcernInfo(), tracker_for(text="can I do it while breaking out?"))
    assert len(messages) == 1
    assert kb.option("cautions", "active_skin_condition").note in messages[0]["text"]


@pytest.mark.parametrize("text, caution_id, expected", [
    ("the dark marks my breakouts left behind won't fade", "active_skin_condition", False),
    ("I have stretch marks from my pregnancy", "pregnancy", False),
    ("dents from old breakouts on my cheeks", "active_skin_condition", False),
    ("I'm pregnant and have stretch marks", "pregnancy", True),
    ("I'm breaking out at the moment and have acne scars", "active_skin_condition", True),
    ("I finished roaccutane two months ago, can my acne scars be treated?", "isotretinoin", True),
])
def test_a_caution_that_only_matters_now_is_not_raised_by_a_past_mention(kb, text, caution_id, expected):
    from assistant.understanding import caution_options

    found = [o.id for o in caution_options({"text": text, "entities": []}, kb)]
    assert (caution_id in found) is expected


def test_a_described_concern_gets_its_best_guesses_when_it_leans_to_one(kb):
    tracker = tracker_for(text="will it make my skin look brighter?", concern_ranking=[("texture_tone", 0.06)])
    messages, _ = run(ActionConcernInfo(), tracker)
    assert messages[0]["text"].startswith("It sounds like uneven skin tone and texture")
    gibberish = tracker_for(text="qwzx blorp", concern_ranking=[("texture_tone", 0.04)])
    assert run(ActionConcernInfo(), gibberish)[0][0]["text"] == kb.general["which_concern"]
