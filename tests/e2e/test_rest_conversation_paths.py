"""Conversations, not single messages, over REST with the real servers (issue: follow-ups, aftercare,
free answers in the questionnaire, requests mid-sentence, frustration)."""
from __future__ import annotations

import pytest

from assistant.compose import lower_name
from harness.servers import texts

pytestmark = pytest.mark.e2e


def sources(rest, sender):
    """The reply sources of the latest turn (each message's metadata)."""
    events = rest.tracker(sender)["events"]
    last = max(i for i, e in enumerate(events) if e["event"] == "user")
    return [(e.get("metadata") or {}).get("reply_source") for e in events[last + 1:] if e["event"] == "bot"]


def test_a_follow_up_with_those_is_answered_about_the_concern_discussed(rest, sender, kb):
    rest.send(sender, "the lines on my forehead are getting deeper")
    assert rest.slot(sender, "concern") == ["wrinkles"]
    reply = texts(rest.send(sender, "can microneedling help with those?"))
    assert f"How well it works for {lower_name(kb.concerns['wrinkles'])}" in reply and "qualified professional" in reply
    assert "I'm not sure" not in reply


def test_a_question_that_fits_nothing_offers_what_can_be_said_about_the_concern(rest, sender, kb):
    rest.send(sender, "my c-section scar is thick and raised")
    replies = rest.send(sender, "zxqv blorp")
    assert f"I can tell you more about {lower_name(kb.concerns['scars'])}" in texts(replies)
    titles = [b["title"] for r in replies for b in r.get("buttons") or []]
    assert kb.layers["detail_titles"]["evidence"] in titles


def test_aftercare_gets_what_is_expected_for_that_day_with_the_warning_signs(rest, sender, kb):
    rest.send(sender, "I had microneedling on my face two days ago")
    reply = texts(rest.send(sender, "it's really itchy and a bit flaky, is that ok?"))
    assert "You had your treatment 2 days ago." in reply
    assert kb.aftercare["stages"][1][1] in reply  # days 2 and 3
    assert "redness that spreads" in reply and "qualified professional" in reply
    assert sources(rest, sender)[0] == "aftercare"


def test_a_warning_sign_after_a_treatment_is_an_alarm_not_aftercare(rest, sender):
    rest.send(sender, "I had microneedling yesterday")
    reply = texts(rest.send(sender, "now there's yellow crust and it's hot and spreading"))
    assert "contact the clinic that treated you" in reply and "You had your treatment" not in reply


def test_the_questionnaire_takes_free_answers_and_never_switches_the_concern_silently(rest, sender):
    rest.send(sender, "I've got stretch marks on my tummy after my baby")
    rest.send(sender, "ok go on then, I'll do the questions")
    assert rest.slot(sender, "requested_slot") == "body_area"
    reply = texts(rest.send(sender, "mostly the belly and hips. my face has gone blotchy brown as well"))
    assert "switch" in reply and "How long have you had it?" in reply
    assert rest.slot(sender, "concern") == ["stretch_marks"] and rest.slot(sender, "body_area") == "abdomen"
    rest.send(sender, "no, stay with the stretch marks. they came about a year ago")
    assert rest.slot(sender, "concern") == ["stretch_marks"]
    rest.send(sender, "I go dark easily, spots leave brown marks for months")
    assert rest.slot(sender, "skin_reaction") == "easily"
    rest.send(sender, "bio oil and a pricey cream off instagram")
    assert rest.slot(sender, "treatments") == ["creams"]
    final = texts(rest.send(sender, "none of those"))
    assert "Stretch marks" in final and "Dark spots" not in final


def test_a_deletion_asked_mid_sentence_deletes_the_conversation(rest, sender, kb):
    rest.send(sender, "I have acne scars on my cheeks")
    asked = "ok thanks. actually I don't want you keeping anything I typed, please delete my data"
    reply = texts(rest.send(sender, asked))
    assert kb.general["deleted"] in reply and "You're welcome" not in reply
    earlier = [e for e in rest.tracker(sender)["events"] if e["event"] == "user"]
    assert all("acne scars" not in str(e.get("text")) for e in earlier)


def test_a_deletion_asked_mid_questionnaire_is_not_taken_as_an_answer(rest, sender, kb):
    rest.send(sender, "dark patches on my forehead")
    rest.send(sender, "start the questions")
    reply = texts(rest.send(sender, "forehead and upper lip. hold on, erase all of this chat please"))
    assert kb.general["deleted"] in reply


def test_yes_or_no_is_neither_a_yes_nor_a_no(rest, sender, kb):
    rest.send(sender, "I have ice pick acne scars")
    reply = texts(rest.send(sender, "ugh you're so slow. yes or no??"))
    assert rest.slot(sender, "requested_slot") is None
    assert f"How well it works for {lower_name(kb.concerns['acne_scars'])}" in reply


def test_a_self_harm_plan_given_as_an_answer_gets_crisis_support(rest, sender):
    rest.send(sender, "acne scars")
    rest.send(sender, "start the questions")
    rest.send(sender, "my whole face")
    reply = texts(rest.send(sender, "since I was 14, and I can't do this any more, I've saved pills to take tonight"))
    assert "988" in reply and "116 123" in reply
    assert rest.slot(sender, "duration") is None
