"""The next step after the information, with and without a clinic, run with a real Tracker and CollectingDispatcher."""
from __future__ import annotations

import asyncio
from datetime import date
from typing import Iterator

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.concerns import ActionConcernInfo
from assistant.clinic import clinic, load_clinic
from actions.faq import ActionAnswerFaq
from actions.consultation import ActionOpenConsultation
from actions.questionnaire import ActionShowSummary
from assistant.knowledge_base import knowledge_base
from assistant.next_step import asked_days, hours_text
from assistant.summary_link import sender_of
from channels.checks import is_button_payload
from tests.shown import all_text
from tests.unit.trackers import concern_entity, tracker_for

AAD = "https://find-a-derm.aad.org/"
ANSWERS = {"concern": ["stretch_marks"], "body_area": "belly", "duration": "1_5_years", "skin_reaction": "rarely",
           "treatments": ["creams"], "cautions": [], "cautions_done": True}


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.fixture
def no_clinic(tmp_path, monkeypatch) -> Iterator[None]:
    """A skincare site: CLINIC_FILE points to an empty file."""
    empty = tmp_path / "clinic.yml"
    empty.write_text("# a skincare site, not a clinic\n", encoding="utf-8")
    monkeypatch.setenv("CLINIC_FILE", str(empty))
    clinic.cache_clear()
    yield
    clinic.cache_clear()


def channel_tracker(channel: str, sender: str = "visitor-7", slots=None) -> Tracker:
    tracker = tracker_for(text="show my summary", intent="show_summary", sender=sender,
                          slots=ANSWERS if slots is None else slots)
    tracker.events[-1]["input_channel"] = channel
    return tracker


def test_a_concern_answer_comes_with_book_and_call_links(kb):
    messages, _ = run(ActionConcernInfo(), tracker_for(entities=[concern_entity("acne_scars")]))
    next_step = messages[1]
    assert "Example Skin Clinic. A qualified professional" in next_step["text"]
    assert [(b["title"], b["url"], b["payload"]) for b in next_step["buttons"]] == [
        ("Book a consultation", "https://www.example.com/book-a-consultation", '/open_consultation{"link": "booking"}'),
        ("Call the clinic", "tel:+442079460123", '/open_consultation{"link": "call"}'),
    ]
    assert all(is_button_payload(b["payload"], kb) for b in next_step["buttons"])


def test_without_a_clinic_a_concern_answer_says_how_to_find_a_professional(kb, no_clinic):
    messages, _ = run(ActionConcernInfo(), tracker_for(entities=[concern_entity("acne_scars")]))
    next_step = messages[1]
    assert next_step["buttons"] == []
    assert AAD in next_step["text"] and "https://www.nhs.uk/" in next_step["text"] and "GP" in next_step["text"]
    assert "Example Skin Clinic" not in " ".join(m["text"] or "" for m in messages)


def test_the_summary_is_followed_by_the_links_and_the_pdf_link_in_rest_and_the_shell(kb, monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://bot.example.com/")
    for channel in ("rest", "cmdline"):
        messages, _ = run(ActionShowSummary(), channel_tracker(channel))
        assert messages[0]["text"].startswith(kb.questionnaire["summary"]["heading"])
        assert messages[2]["buttons"][0]["title"] == "Book a consultation"
        link = messages[1]["text"].rsplit(": ", 1)[1]
        assert link.startswith("https://bot.example.com/webhooks/consultation/summary/") and link.endswith(".pdf")
        assert sender_of(link.rsplit("/", 1)[1][: -len(".pdf")]) == "visitor-7"


def test_in_the_widget_the_pdf_is_a_download_button_on_the_widgets_server(kb):
    messages, _ = run(ActionShowSummary(), channel_tracker("socketio"))
    download = messages[1]
    assert download["text"] == knowledge_base().next_step["download_widget_text"]
    [button] = download["buttons"]
    assert button["title"] == "Download my summary" and button["url"].startswith("/webhooks/consultation/summary/")
    assert "payload" not in button


def test_no_summary_no_pdf_link(kb):
    messages, _ = run(ActionShowSummary(), channel_tracker("rest", slots={}))
    assert [m["text"] for m in messages] == [kb.questionnaire["summary"]["empty"]]


@pytest.mark.parametrize("link, expected", [
    ("booking", "Here is Example Skin Clinic's booking page: https://www.example.com/book-a-consultation"),
    ("call", "Example Skin Clinic's phone number: +44 20 7946 0123"),
    ("email", "Example Skin Clinic's e-mail address: hello@example.com"),
])
def test_a_clicked_link_is_answered_with_where_it_goes(link, expected):
    tracker = tracker_for(text=f'/open_consultation{{"link": "{link}"}}', intent="open_consultation",
                          entities=[{"entity": "link", "value": link}])
    messages, events = run(ActionOpenConsultation(), tracker)
    assert [m["text"] for m in messages] == [expected] and events == []


def test_asking_to_book_in_words_gives_the_contact_details_and_the_links():
    tracker = tracker_for(text="can I book an appointment", intent="open_consultation")
    messages, _ = run(ActionOpenConsultation(), tracker)
    assert "+44 20 7946 0123" in messages[0]["text"] and "1 Example Street" in messages[0]["text"]
    assert [b["title"] for b in messages[0]["buttons"]] == ["Book a consultation", "Call the clinic"]


def test_without_a_clinic_a_click_names_no_clinic(no_clinic):
    tracker = tracker_for(text='/open_consultation{"link": "booking"}', intent="open_consultation",
                          entities=[{"entity": "link", "value": "booking"}])
    messages, _ = run(ActionOpenConsultation(), tracker)
    assert AAD in messages[0]["text"] and "Example" not in messages[0]["text"]


@pytest.mark.parametrize("question, expected", [
    ("are you open on Saturday?", "On Saturday, Example Skin Clinic is open 10:00 to 14:00."),
    ("are you open on sundays", "On Sunday, Example Skin Clinic is closed."),
    ("how late are you open on thursday", "On Thursday, Example Skin Clinic is open 9:00 to 13:00 and 14:00 to 20:00."),
])
def test_the_hours_of_the_day_asked_about(question, expected):
    tracker = tracker_for(text=question, intent="ask_question", question_topic="clinic_hours")
    messages, events = run(ActionAnswerFaq(), tracker)
    assert messages[0]["text"] == expected
    assert messages[0]["buttons"][0]["title"] == "Book a consultation"
    assert events[0]["name"] == "last_topic" and events[0]["value"] == "clinic_hours"


def test_the_weeks_hours_and_the_contact_details(kb):
    hours = run(ActionAnswerFaq(), tracker_for(text="what are your opening hours", intent="ask_question",
                                               question_topic="clinic_hours"))[0][0]["text"]
    assert hours.splitlines() == ["Example Skin Clinic's opening hours:", "- Monday: 9:00 to 18:00",
                                  "- Tuesday: 9:00 to 18:00", "- Wednesday: 9:00 to 18:00",
                                  "- Thursday: 9:00 to 13:00 and 14:00 to 20:00", "- Friday: 9:00 to 17:00",
                                  "- Saturday: 10:00 to 14:00", "- Sunday: closed"]
    contact = run(ActionAnswerFaq(), tracker_for(text="what's your phone number", intent="ask_question",
                                                 question_topic="clinic_contact"))[0][0]["text"]
    assert "- Phone: +44 20 7946 0123" in contact and "- Address: 1 Example Street, London W1A 1AA" in contact


def test_today_tomorrow_and_the_weekend_are_days_too(tmp_path):
    wednesday = date(2026, 11, 25)
    assert asked_days("are you open today or tomorrow?", wednesday) == ["wed", "thu"]
    assert asked_days("open at the weekend?", wednesday) == ["sat", "sun"]
    assert asked_days("what are your hours", wednesday) == []
    path = tmp_path / "clinic.yml"
    path.write_text('name: Small Clinic\nopening_hours:\n  mon: "9:00-12:00"\n', encoding="utf-8")
    small = load_clinic(path)
    assert small is not None
    assert hours_text(knowledge_base(), small, "open on tuesday?") == "I don't have Small Clinic's hours for Tuesday."


@pytest.mark.parametrize("topic", ["clinic_hours", "clinic_contact"])
def test_without_a_clinic_questions_about_it_get_how_to_find_a_professional(kb, no_clinic, topic):
    messages, _ = run(ActionAnswerFaq(), tracker_for(text="are you open on Saturday?", intent="ask_question",
                                                     question_topic=topic))
    text = all_text(kb, messages)
    assert kb.faq[topic].answer in text and AAD in [s.url for s in kb.faq[topic].sources]
    assert text.splitlines()[-1] == kb.general["faq_recommendation"]
    assert "Example" not in text
    assert [b["title"] for m in messages for b in m.get("buttons") or []] == ["Sources"]


def test_only_the_known_consultation_links_pass_the_channel_guard(kb):
    assert is_button_payload('/open_consultation{"link": "booking"}', kb)
    assert is_button_payload('/open_consultation{"link": "call"}', kb)
    assert not is_button_payload('/open_consultation{"link": "https://evil.example"}', kb)
