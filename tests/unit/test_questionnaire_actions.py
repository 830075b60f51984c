"""Questions, the tailored answer, the summary, FAQ and caution answers."""
from __future__ import annotations

import asyncio
import json

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.faq import ActionAnswerFaq
from assistant.knowledge_base import load_knowledge_base
from actions.questionnaire import ActionShowSummary
from actions.tracking import dispatch
from assistant.clinic import clinic
from assistant.contract import CLINIC_TOPICS
from assistant.decisions import Reply
from assistant.questionnaire import concluding_messages, question
from actions.cautions import ActionCautionInfo
from assistant.compose import follow_up_payload
from tests.shown import all_text, unexplained
from tests.unit.form_trackers import entity
from tests.unit.trackers import concern_entity, tracker_for

COMPLETE = {
    "concern": ["stretch_marks"], "body_area": "abdomen", "duration": "about 10 years",
    "skin_reaction": "easily", "treatments": ["creams", "microneedling"],
    "cautions": ["pregnancy", "isotretinoin"], "cautions_done": True,
}


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.mark.parametrize("slot, group, entity_name", [
    ("body_area", "body_area", "body_area"), ("duration", "duration", "duration"),
    ("skin_reaction", "skin_reaction", "skin_reaction"), ("treatments", "treatments", "treatment"),
])
def test_each_question_offers_its_options_as_buttons(kb, slot, group, entity_name):
    text, buttons = question(kb, slot)
    assert text == kb.questions[group]["text"]
    payloads = [json.loads(b["payload"][len("/inform"):]) for b in buttons]
    assert payloads == [{entity_name: o.id} for o in kb.options[group]]


def test_skin_reaction_question_is_respectful_and_allows_not_saying(kb):
    _, buttons = question(kb, "skin_reaction")
    assert "Prefer not to say" in [b["title"] for b in buttons]


def test_concern_question_offers_the_seven_concerns(kb):
    _, buttons = question(kb, "concern")
    assert [b["payload"] for b in buttons] == [f'/inform{{"concern": "{cid}"}}' for cid in kb.ids]


def test_safety_screen_hides_what_was_already_declared(kb):
    assert question(kb, "cautions_done")[0] == kb.questions["cautions"]["text"]
    text, buttons = question(kb, "cautions_done", ["pregnancy"])
    assert text == kb.questions["cautions_more"]["text"]
    titles = [b["title"] for b in buttons]
    assert "Pregnant or breastfeeding" not in titles and "None of these" in titles


# Ids are stored in slots and counted by the clinic's report: they never change.
STORED_CAUTION_IDS = ["pregnancy", "isotretinoin", "blood_thinners", "active_skin_condition", "keloids",
                      "slow_healing", "changing_mole", "none"]
SCREEN_ITEMS = {
    "metal_or_numbing_allergy": "allergy", "skin_cancer": "skin cancer", "autoimmune_skin": "Koebner",
    "recent_skin_treatment": "sunburn", "weak_immunity": "immune", "radiotherapy": "Radiotherapy",
    "under_18": "parent or guardian", "cold_sore_history": "medicine to take before", "implants": "pacemaker",
    "recent_fillers": "how long to wait", "heart_or_epilepsy": "numbing cream", "low_platelets": "PRP",
}


def test_the_safety_screen_fits_a_phone_and_ends_with_none_of_these(kb):
    _, buttons = question(kb, "cautions_done")
    ids = [json.loads(b["payload"][len("/inform"):])["caution"] for b in buttons]
    assert set(STORED_CAUTION_IDS) | set(SCREEN_ITEMS) == set(ids) and ids[-1] == "none"
    assert all(len(b["title"]) <= 30 for b in buttons), [b["title"] for b in buttons]


@pytest.mark.parametrize("caution_id, words", SCREEN_ITEMS.items())
def test_each_new_safety_item_is_explained_in_the_tailored_answer(kb, caution_id, words):
    notes = tailored(kb, dict(COMPLETE, cautions=[caution_id]))
    note = kb.option("cautions", caution_id).note
    assert f"- {note}" in notes.splitlines() and words in note
    assert f"You told me about: {kb.option('cautions', caution_id).title}." in notes


def test_immunity_and_radiotherapy_are_no_longer_part_of_slow_healing(kb):
    from assistant.matching import match_options

    assert match_options(kb.options["cautions"], "immunosuppressed") == ["weak_immunity"]
    assert match_options(kb.options["cautions"], "radiotherapy") == ["radiotherapy"]
    assert match_options(kb.options["cautions"], "psoriasis") == ["autoimmune_skin"]
    assert match_options(kb.options["cautions"], "eczema") == ["active_skin_condition"]


def answer_messages(kb, given):
    dispatcher = CollectingDispatcher()
    dispatch(dispatcher, Reply("questionnaire", concluding_messages(kb, given, clinic())))
    return dispatcher.messages


def tailored(kb, given) -> str:
    """The notes that follow from the answers: every message before the summary, as written."""
    texts = [unexplained(kb, m["text"]) for m in answer_messages(kb, given)]
    heading = kb.questionnaire["summary"]["heading"]
    return "\n".join(texts[:next(i for i, t in enumerate(texts) if t.startswith(heading))])


def test_the_answer_gives_the_tailored_notes_and_summary_first_and_the_rest_on_request(kb):
    messages = answer_messages(kb, COMPLETE)
    texts = [unexplained(kb, m["text"]) for m in messages]
    concern = kb.get("stretch_marks")
    summary_at = next(i for i, t in enumerate(texts) if t.startswith(kb.questionnaire["summary"]["heading"]))
    notes = "\n".join(texts[:summary_at])
    for caution in ("pregnancy", "isotretinoin"):
        assert kb.option("cautions", caution).note in notes
    assert kb.questionnaire["notes"]["darkens_easily"] in notes
    assert kb.questionnaire["notes"]["body_area"] in notes
    assert "doctor or prescriber" in notes
    assert notes.startswith(kb.questionnaire["notes"]["heading"]) and summary_at >= 1
    assert "not a diagnosis" in texts[summary_at]
    assert "- How long: about 10 years" in texts[summary_at]
    assert "- Safety check: Pregnant or breastfeeding; Isotretinoin (Accutane)" in texts[summary_at]
    assert len(messages) == summary_at + 3
    recommendation = messages[-2]
    assert "qualified professional" in recommendation["text"] and concern.professional in recommendation["text"]
    payloads = [b["payload"] for b in recommendation["buttons"]]
    assert payloads == [follow_up_payload("procedure"), follow_up_payload("questions"),
                        follow_up_payload("evidence", concern="stretch_marks"),
                        follow_up_payload("sources", topic="procedure"), "/delete_my_data"]
    assert all(len(t) <= 600 for i, t in enumerate(texts) if i != summary_at), "the summary may be longer"
    assert "qualified professional" in texts[-1] and messages[-1]["buttons"][0]["title"] == "Book a consultation"


def test_no_cautions_and_face_give_no_body_or_caution_notes(kb):
    answers = dict(COMPLETE, body_area="face", cautions=[], skin_reaction="rarely", treatments=["none"])
    notes = unexplained(kb, answer_messages(kb, answers)[0]["text"])
    assert f"- {kb.questionnaire['notes']['no_cautions']} Also tell the clinic about any medicines" in notes
    assert "allergies, such as to metal or numbing cream." in notes
    assert not any(o.note in notes for o in kb.options["cautions"] if o.note)
    assert kb.questionnaire["notes"]["body_area"] not in notes
    assert kb.questionnaire["notes"]["darkens_easily"] not in notes


def test_the_allergy_reminder_lists_what_was_declared_after_its_notes(kb):
    notes = tailored(kb, COMPLETE).splitlines()
    reminder = "- You told me about: Pregnant or breastfeeding; Isotretinoin (Accutane). Also tell the clinic"
    at = next(i for i, line in enumerate(notes) if line.startswith(reminder))
    assert "any allergies, such as to metal or numbing cream" in notes[at]
    assert notes[1:at] == [f"- {kb.option('cautions', c).note}" for c in ("pregnancy", "isotretinoin")]


def test_a_skipped_safety_check_is_not_reported_as_nothing_declared(kb):
    notes = tailored(kb, dict(COMPLETE, cautions=None, cautions_done="not_given"))
    assert "You skipped the safety check" in notes and "Also tell the clinic about any medicines" in notes
    assert kb.questionnaire["notes"]["no_cautions"] not in notes and "You told me about" not in notes


def test_summary_on_request_and_when_nothing_was_answered(kb):
    messages, _ = run(ActionShowSummary(), tracker_for(slots=COMPLETE))
    assert messages[0]["text"].startswith(kb.questionnaire["summary"]["heading"])
    assert "- Where: Abdomen" in messages[0]["text"]
    partial, _ = run(ActionShowSummary(), tracker_for(slots={"concern": ["wrinkles"], "duration": "not_given"}))
    assert "- Concern: Fine lines and wrinkles" in partial[0]["text"]
    assert "- How long: Not given" in partial[0]["text"] and "- Safety check: Not given" in partial[0]["text"]
    empty, _ = run(ActionShowSummary(), tracker_for(slots={}))
    assert empty[0]["text"] == kb.questionnaire["summary"]["empty"]
    assert empty[0]["buttons"][0]["payload"] == "/start_questionnaire"


@pytest.mark.parametrize("key", sorted(set(load_knowledge_base().faq) - set(CLINIC_TOPICS)))
def test_every_faq_is_answered_from_the_knowledge_base(kb, key):
    messages, events = run(ActionAnswerFaq(), tracker_for(intent="ask_question", question_topic=key))
    text = all_text(kb, messages)
    faq = kb.faq[key]
    assert faq.answer in text and (faq.more or "") in text
    assert text.splitlines()[-1] == kb.general["faq_recommendation"]
    assert "http" not in text
    assert messages[-1]["buttons"] == [{"title": "Sources", "payload": follow_up_payload("sources", topic=key)}]
    assert events == [{"event": "slot", "timestamp": None, "name": "last_topic", "value": key}]


def test_a_question_after_a_concern_answer_uses_that_concern(kb):
    tracker = tracker_for(text="how many sessions would I need?", intent="ask_question", question_topic="sessions",
                          slots={"concern": ["stretch_marks"]})
    text = all_text(kb, run(ActionAnswerFaq(), tracker)[0])
    assert kb.concerns["stretch_marks"].questions["sessions"] in text
    assert text.splitlines()[-1] == kb.recommendation(kb.concerns["stretch_marks"])
    # the conversation's concern adds a line only where there is something particular to say
    tracker = tracker_for(text="can I swim after?", intent="ask_question", question_topic="swimming_after",
                          slots={"concern": ["stretch_marks"]})
    assert "I have no figures" not in all_text(kb, run(ActionAnswerFaq(), tracker)[0])


def test_a_question_no_topic_covers_gets_the_closest_passage_as_general_information(kb):
    tracker = tracker_for(text="does the evidence for wrinkles come from big studies?", intent="ask_question",
                          question_topic="pain")
    tracker.latest_message["question_ranking"] = [{"topic": "pain", "confidence": 0.1}]
    text = run(ActionAnswerFaq(), tracker)[0][0]["text"]
    assert text.startswith(kb.general["retrieved_intro"])
    assert "Fine lines and wrinkles" in text
    assert "qualified professional" in text.splitlines()[-1]


def test_a_question_about_nothing_it_knows_says_what_it_can_talk_about(kb):
    tracker = tracker_for(text="what is the best pizza topping", intent="ask_question")
    messages, events = run(ActionAnswerFaq(), tracker)
    assert messages[0]["text"] == kb.general["question_not_known"] and events == []


def test_cost_faq_invents_no_numbers(kb):
    assert not any(ch.isdigit() for ch in kb.faq["cost"].answer)


@pytest.mark.parametrize("text, caution", [
    ("I'm pregnant, can I get microneedling?", "pregnancy"),
    ("I'm on accutane", "isotretinoin"),
    ("I take warfarin", "blood_thinners"),
    ("I get keloids", "keloids"),
    ("I have active acne", "active_skin_condition"),
    ("I had radiotherapy last year", "radiotherapy"),
    ("I'm 16, can I get microneedling?", "under_18"),
    ("I'm allergic to nickel", "metal_or_numbing_allergy"),
    ("I have vitiligo, is microneedling ok?", "autoimmune_skin"),
    ("I had a peel last week", "recent_skin_treatment"),
])
def test_a_caution_is_named_explained_and_never_answered_yes_or_no(kb, text, caution):
    tracker = tracker_for(text=text, intent="ask_caution", entities=[entity("caution", caution)])
    messages, _ = run(ActionCautionInfo(), tracker)
    reply = messages[0]["text"]
    assert kb.option("cautions", caution).note in reply
    assert "qualified professional" in reply and "prescriber" in reply
    assert "I can't say whether microneedling is right or safe for you" in reply
    for verdict in ("yes, you can", "it is safe", "you can't have", "go ahead"):
        assert verdict not in reply.lower()


def test_an_unrecognised_caution_still_gets_general_caution_text(kb):
    messages, _ = run(ActionCautionInfo(), tracker_for(text="I have a medical condition", intent="ask_caution"))
    assert messages[0]["text"].startswith(kb.general["caution_unknown"])


def test_a_question_about_a_concern_is_answered_for_that_concern(kb):
    tracker = tracker_for(text="how many sessions for acne scars?", intent="ask_question", question_topic="sessions",
                          entities=[concern_entity("acne_scars")])
    messages, _ = run(ActionAnswerFaq(), tracker)
    text = all_text(kb, messages)
    assert text.startswith(kb.faq["sessions"].question)
    assert kb.concerns["acne_scars"].questions["sessions"] in text
    assert text.splitlines()[-1] == kb.recommendation(kb.concerns["acne_scars"])


def test_a_question_without_concern_detail_says_the_general_answer_applies(kb):
    tracker = tracker_for(text="how much for my pores?", intent="ask_question", question_topic="cost",
                          entities=[concern_entity("texture_tone")])
    text = all_text(kb, run(ActionAnswerFaq(), tracker)[0])
    assert "cost" not in kb.concerns["texture_tone"].questions
    assert "uneven skin tone and texture" in text and kb.faq["cost"].answer in text


def test_a_caution_in_a_question_is_answered_before_it(kb):
    tracker = tracker_for(text="I'm on accutane, does it hurt?", intent="ask_question", question_topic="pain")
    messages, _ = run(ActionAnswerFaq(), tracker)
    assert kb.option("cautions", "isotretinoin").note in messages[0]["text"]
    assert messages[1]["text"].startswith(kb.faq["pain"].question)


def test_a_follow_up_naming_another_concern_answers_the_last_question_for_it(kb):
    from actions.faq import ActionFollowUp

    tracker = tracker_for(text="is it the same for stretch marks?", intent="follow_up",
                          entities=[concern_entity("stretch_marks")],
                          slots={"last_topic": "sessions", "concern": ["acne_scars"]})
    text = all_text(kb, run(ActionFollowUp(), tracker)[0])
    assert text.startswith(kb.faq["sessions"].question)
    assert kb.concerns["stretch_marks"].questions["sessions"] in text


def test_a_follow_up_naming_a_concern_before_any_question_gets_its_information(kb):
    from actions.faq import ActionFollowUp

    tracker = tracker_for(text="and for wrinkles?", intent="follow_up", entities=[concern_entity("wrinkles")])
    messages, _ = run(ActionFollowUp(), tracker)
    assert messages[0]["text"].startswith("Fine lines and wrinkles:")


def test_a_follow_up_about_a_place_answers_which_areas_for_the_conversations_concern(kb):
    from actions.faq import ActionFollowUp

    tracker = tracker_for(text="and under my eyes?", intent="follow_up", slots={"concern": ["wrinkles"]})
    messages, events = run(ActionFollowUp(), tracker)
    assert kb.faq["what_areas"].answer in all_text(kb, messages)
    assert messages[-1]["text"].splitlines()[-1] == kb.recommendation(kb.concerns["wrinkles"])
    assert events == [{"event": "slot", "timestamp": None, "name": "last_topic", "value": "what_areas"}]
