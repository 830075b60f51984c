"""Answers in layers: the detail behind a short answer, sources as a list, terms explained."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.compose import explain_terms, follow_up_payload
from actions.faq import ActionFollowUp
from assistant.knowledge_base import DETAILS
from channels.checks import is_button_payload
from tests.shown import unexplained
from tests.unit.trackers import concern_entity, tracker_for


def run(tracker):
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionFollowUp().run(dispatcher, tracker, {}))
    return dispatcher.messages


def tapped(detail, slots=None, **about):
    """The tracker after a visitor tapped a detail button."""
    entities = [{"entity": "detail", "value": detail}]
    entities += [concern_entity(about["concern"])] if "concern" in about else []
    entities += [{"entity": "topic", "value": about["topic"]}] if "topic" in about else []
    return tracker_for(text=follow_up_payload(detail, **about), intent="follow_up", entities=entities,
                       slots=slots or {})


@pytest.mark.parametrize("detail", DETAILS)
@pytest.mark.parametrize("concern_id", ["acne_scars", "stretch_marks", "hyperpigmentation", "wrinkles"])
def test_each_detail_is_one_short_message_with_buttons_for_the_others(kb, concern_id, detail):
    concern = kb.concerns[concern_id]
    messages = run(tapped(detail, concern=concern_id))
    assert len(messages) == 1
    text = unexplained(kb, messages[0]["text"])
    assert concern.details[detail] in text and len(concern.details[detail]) <= 600
    assert text.splitlines()[-1] == kb.recommendation(concern)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert follow_up_payload(detail, concern=concern_id) not in payloads
    assert follow_up_payload("sources", concern=concern_id) in payloads and "/start_questionnaire" in payloads


def test_a_detail_button_without_a_concern_uses_the_conversations_concern(kb):
    messages = run(tapped("expectations", slots={"concern": ["scars"]}))
    assert kb.concerns["scars"].details["expectations"] in unexplained(kb, messages[0]["text"])
    nothing = run(tapped("expectations"))
    assert nothing[0]["text"] == kb.general["which_concern"] and len(nothing[0]["buttons"]) == len(kb.ids)


def test_sources_are_a_short_list_of_titles_with_their_links(kb):
    concern = kb.concerns["acne_scars"]
    lines = run(tapped("sources", concern="acne_scars"))[0]["text"].splitlines()
    assert lines[0] == "Sources for acne scars:"
    assert lines[1:] == [f"- {s.title}: {s.url}" for s in concern.sources]


def test_an_faq_sources_button_lists_that_topics_sources(kb):
    faq = kb.faq["pain"]
    text = run(tapped("sources", topic="pain"))[0]["text"]
    assert faq.question in text.splitlines()[0]
    assert all(f"- {s.title}: {s.url}" in text for s in faq.sources)


def test_what_to_expect_in_general_comes_in_messages_of_one_screen(kb):
    messages = run(tapped("procedure", slots={"concern": ["wrinkles"]}))
    text = unexplained(kb, "\n".join(m["text"] for m in messages))
    assert all(point in text for point in kb.procedure["points"])
    assert all(len(m["text"]) <= 600 for m in messages)
    assert "qualified professional" in messages[-1]["text"]
    payloads = [b["payload"] for b in messages[-1]["buttons"]]
    assert follow_up_payload("procedure") not in payloads
    assert follow_up_payload("evidence", concern="wrinkles") in payloads


def test_questions_to_ask_are_listed(kb):
    text = run(tapped("questions"))[0]["text"]
    assert all(f"- {q}" in text for q in kb.procedure["questions_to_ask"])


def test_a_term_is_explained_where_it_first_appears_and_only_there(kb):
    term = next(t for t in kb.glossary if t.term == "subcision")
    text = explain_terms(kb, "Subcision can help. After subcision, rest.")
    assert text == f"Subcision ({term.explain}) can help. After subcision, rest."
    assert explain_terms(kb, text) == text
    assert explain_terms(kb, "No terms here.") == "No terms here."


def test_the_terms_a_clinician_flagged_are_in_the_glossary(kb):
    spellings = {s.lower() for t in kb.glossary for s in t.spellings}
    assert {"atrophic", "subcision", "tca cross", "ablative", "laxity", "meta-analysis", "granulomas"} <= spellings


@pytest.mark.parametrize("payload, accepted", [
    (follow_up_payload("evidence", concern="acne_scars"), True),
    (follow_up_payload("sources", topic="pain"), True),
    (follow_up_payload("procedure"), True),
    (follow_up_payload("secrets", concern="acne_scars"), False),
    (follow_up_payload("sources", topic="<script>"), False),
])
def test_only_real_detail_buttons_pass_the_channel_guard(kb, payload, accepted):
    assert is_button_payload(payload, kb) is accepted
