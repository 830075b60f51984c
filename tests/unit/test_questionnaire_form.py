"""The questionnaire's validation: one test group per `validate_<slot>`."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.questionnaire import ValidateQuestionnaireForm
from assistant.contract import FORM_SLOTS
from assistant.questionnaire import question
from tests.unit.form_trackers import entity, form_tracker

FORM = ValidateQuestionnaireForm()
ROOT = Path(__file__).resolve().parents[2]


def validate(slot, value, text=None, before=None, intent="inform", entities=None, requested=None):
    dispatcher = CollectingDispatcher()
    tracker = form_tracker(requested or slot, text if text is not None else str(value), {slot: value},
                           before=before, intent=intent, entities=entities)
    result = getattr(FORM, f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, [m.get("text") for m in dispatcher.messages], dispatcher.messages


# -- concern ----------------------------------------------------------------
def test_concern_keeps_known_ids_without_repeats():
    result, _, _ = validate("concern", ["stretch_marks", "stretch_marks", "acne_scars"])
    assert result["concern"] == ["stretch_marks", "acne_scars"]


def test_concern_rejects_unknown_values_with_a_helpful_reask():
    result, texts, _ = validate("concern", ["<b>bold</b>"])
    assert result["concern"] is None and result["invalid_answers"] == 1
    assert "didn't catch that" in texts[0]


# -- body_area ---------------------------------------------------------------
@pytest.mark.parametrize("answer, expected", [
    ("face", "face"), ("on my cheeks", "face"), ("my tummy", "abdomen"), ("Thighs or hips", "thighs"),
    ("legs", "thighs"), ("somewhere else", "other"), ("bakc", "back"),
])
def test_body_area_understands_buttons_synonyms_and_typos(answer, expected):
    result, texts, _ = validate("body_area", answer)
    assert result == {"body_area": expected, "invalid_answers": 0} and texts == []


def test_body_area_can_be_skipped():
    result, _, _ = validate("body_area", "I don't know", intent="skip")
    assert result["body_area"] == "not_given"


def test_body_area_nonsense_is_reasked():
    result, texts, _ = validate("body_area", "purple monkey dishwasher")
    assert result["body_area"] is None and texts


def test_changing_the_area_later_is_confirmed():
    result, texts, _ = validate("body_area", "neck", text="actually it's on my neck", before={"body_area": "face"},
                                entities=[entity("body_area", "neck")], requested="duration")
    assert result["body_area"] == "neck"
    assert texts == ["Got it, I've updated your answer: Where is now Neck."]


def test_an_invalid_change_keeps_the_earlier_answer_silently():
    result, texts, _ = validate("body_area", "zorb", text="my zorb", before={"body_area": "face"},
                                requested="duration")
    assert result == {"body_area": "face"} and texts == []


# -- duration ----------------------------------------------------------------
@pytest.mark.parametrize("answer, expected", [
    ("1_to_5_years", "1_to_5_years"), ("a few weeks", "under_3_months"), ("since I was a teenager", "over_5_years"),
    ("about 10 years", "about 10 years"), ("since my second pregnancy", "since my second pregnancy"),
])
def test_duration_takes_options_and_free_text(answer, expected):
    result, _, _ = validate("duration", answer)
    assert result["duration"] == expected


@pytest.mark.parametrize("answer", ["blue", "asdf qwer", "<script>alert(1)</script>", "42"])
def test_duration_without_a_time_is_reasked(answer):
    result, texts, _ = validate("duration", answer)
    assert result["duration"] is None and "didn't catch that" in texts[0]


def test_duration_skip():
    assert validate("duration", "skip", intent="skip")[0]["duration"] == "not_given"


def test_duration_is_not_taken_from_a_message_that_changed_another_answer():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker("duration", "actually it's on my neck",
                           {"body_area": "neck", "duration": "actually it's on my neck"}, before={"body_area": "face"})
    result = FORM.validate_duration("actually it's on my neck", dispatcher, tracker, {})
    assert result == {"duration": None} and dispatcher.messages == []


# -- skin_reaction --------------------------------------------------------------
@pytest.mark.parametrize("answer, expected", [
    ("easily", "easily"), ("it often leaves dark marks", "easily"), ("rarely", "rarely"), ("never", "rarely"),
    ("sometimes", "sometimes"), ("I'd rather not say", "prefer_not_to_say"),
])
def test_skin_reaction_answers(answer, expected):
    assert validate("skin_reaction", answer)[0]["skin_reaction"] == expected


def test_skin_reaction_nonsense_then_offer_to_continue_or_stop():
    result, texts, messages = validate("skin_reaction", "banana", before={"invalid_answers": 1})
    assert result["invalid_answers"] == 2
    assert "keep going or stop" in texts[0]
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/continue_questionnaire", "/stop_questionnaire"]


# -- treatments ----------------------------------------------------------------
@pytest.mark.parametrize("answer, expected", [
    (["creams"], ["creams"]), (["retinol and a chemical peel"], ["creams", "peels"]),
    (["nothing yet"], ["none"]), (["I had a dermaroller and IPL"], ["laser", "microneedling"]),
])
def test_treatments_answers(answer, expected):
    assert validate("treatments", answer, text=answer[0])[0]["treatments"] == expected


def test_treatments_skip_and_nonsense():
    assert validate("treatments", ["pass"], text="pass", intent="skip")[0]["treatments"] == ["not_given"]
    assert validate("treatments", ["zzz"], text="zzz")[0]["treatments"] is None


# -- cautions_done ----------------------------------------------------------------
def test_a_declared_caution_is_noted_and_the_question_repeats():
    result, texts, _ = validate("cautions_done", "pregnancy", text="I'm pregnant",
                                entities=[entity("caution", "pregnancy")])
    assert result == {"cautions_done": None, "cautions": ["pregnancy"], "invalid_answers": 0}
    assert texts == ["Noted: Pregnant or breastfeeding."]


def test_several_cautions_in_free_text_then_none_finishes():
    result, _, _ = validate("cautions_done", "I take warfarin and get cold sores",
                            before={"cautions": ["pregnancy"]})
    assert result["cautions"] == ["pregnancy", "blood_thinners", "cold_sore_history"]  # in button order
    result, texts, _ = validate("cautions_done", '/inform{"caution": "none"}',
                                before={"cautions": result["cautions"]}, entities=[entity("caution", "none")])
    assert result["cautions_done"] is True and result["cautions"] == ["pregnancy", "blood_thinners",
                                                                      "cold_sore_history"]
    assert texts == []


@pytest.mark.parametrize("answer, expected", [
    ("I'm allergic to nickel", ["metal_or_numbing_allergy"]),
    ("allergic to numbing cream and I have psoriasis", ["metal_or_numbing_allergy", "autoimmune_skin"]),
    ("vitiligo", ["autoimmune_skin"]),
    ("I'm 16", ["under_18"]),
    ("I got sunburnt at the weekend", ["recent_skin_treatment"]),
    ("I'm on immunosuppressants", ["weak_immunity"]),
    ("radiotherapy there two years ago", ["radiotherapy"]),
    ("I had a melanoma removed from that arm", ["skin_cancer"]),
    ("diabetic", ["slow_healing"]),
])
def test_the_new_safety_items_are_understood_in_free_text(answer, expected):
    result, texts, _ = validate("cautions_done", answer)
    assert result["cautions"] == expected and result["cautions_done"] is None
    assert texts[0].startswith("Noted: ")


def test_a_new_safety_button_is_noted_by_its_title():
    result, texts, _ = validate("cautions_done", "weak_immunity", text='/inform{"caution": "weak_immunity"}',
                                entities=[entity("caution", "weak_immunity")], before={"cautions": ["pregnancy"]})
    assert result["cautions"] == ["pregnancy", "weak_immunity"]
    assert texts == ["Noted: Weak immune system."]


def test_none_of_these_finishes_with_no_caution():
    result, _, _ = validate("cautions_done", "none of these")
    assert result == {"cautions_done": True, "cautions": [], "invalid_answers": 0}


def test_cautions_skip_and_nonsense():
    assert validate("cautions_done", "skip", intent="skip")[0]["cautions_done"] == "not_given"
    assert validate("cautions_done", "qwerty")[0]["cautions_done"] is None


# -- asking the next question (in the same action call) -------------------------
DOMAIN = yaml.safe_load((ROOT / "domain" / "dialogue.yml").read_text(encoding="utf-8"))


def run_form(tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(FORM.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def requested_slot(events):
    return [e["value"] for e in events if e.get("name") == "requested_slot"][-1]


def test_the_form_asks_its_questions_in_the_domain_order():
    assert list(FORM_SLOTS) == DOMAIN["forms"]["questionnaire_form"]["required_slots"]


def test_a_valid_answer_is_followed_by_the_next_question_with_buttons(kb):
    messages, events = run_form(form_tracker("body_area", "on my cheeks", {"body_area": "on my cheeks"},
                                             before={"concern": ["acne_scars"]}))
    assert {"event": "slot", "timestamp": None, "name": "body_area", "value": "face"} in events
    assert requested_slot(events) == "duration"
    assert [m["text"] for m in messages] == [kb.questions["duration"]["text"]]
    assert messages[0]["buttons"] == question(kb, "duration")[1]


def test_an_invalid_answer_is_reasked_after_a_hint(kb):
    messages, events = run_form(form_tracker("body_area", "purple monkey dishwasher",
                                             {"body_area": "purple monkey dishwasher"},
                                             before={"concern": ["acne_scars"]}))
    assert requested_slot(events) == "body_area"
    assert "didn't catch that" in messages[0]["text"]
    assert messages[-1]["text"] == kb.questions["body_area"]["text"] and messages[-1]["buttons"]


def test_the_last_answer_ends_the_form_with_the_tailored_answer(kb):
    before = {"concern": ["wrinkles"], "body_area": "face", "duration": "years", "skin_reaction": "rarely",
              "treatments": ["none"]}
    messages, events = run_form(form_tracker("cautions_done", "none of these", {"cautions_done": "none of these"},
                                             before=before))
    assert requested_slot(events) is None
    texts = [m["text"] for m in messages]
    assert texts[0].startswith(kb.questionnaire["notes"]["heading"]) and "- Where: Face" in texts[1]
    assert texts[2].startswith("You can download this summary as a PDF")
    assert "qualified professional" in texts[3] and messages[3]["buttons"][-1]["payload"] == "/delete_my_data"
    assert "qualified professional" in texts[-1] and messages[-1]["buttons"][0]["title"] == "Book a consultation"
    assert not set(texts) & {q["text"] for q in kb.questions.values()}
