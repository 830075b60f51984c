"""End to end over REST: the consultation links, the clinic's hours, and the summary PDF."""
from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
import requests
from pypdf import PdfReader

from assistant.summary_link import summary_path
from tests.e2e.test_questionnaire import click
from harness.servers import texts

pytestmark = pytest.mark.e2e

BOOKING = "https://www.example.com/book-a-consultation"


def user_events(tracker: dict) -> list:
    return [e for e in tracker["events"] if e["event"] == "user"]


def complete_questionnaire(rest, sender: str) -> list:
    """Answer every question by clicking; the replies to the last click."""
    replies = rest.send(sender, "I have stretch marks")
    replies = click(rest, sender, replies, "/start_questionnaire")
    for choice in ('"abdomen"', '"1_to_5_years"', '"rarely"', '"creams"', '"none"'):
        replies = click(rest, sender, replies, choice)
    return replies


def pdf_link(replies: list) -> str:
    line = next(r["text"] for r in replies if r.get("text", "").startswith("You can download this summary as a PDF"))
    return line.split(": ", 1)[1]


def fetch(rest, link: str) -> requests.Response:
    """The link as the visitor's browser would open it, on the test's Rasa server."""
    return requests.get(rest.base_url + urlparse(link).path, timeout=60)


def test_the_clinic_details_for_the_widgets_header(rest):
    details = requests.get(f"{rest.base_url}/webhooks/consultation/clinic", timeout=30).json()
    assert details["name"] == "Example Skin Clinic" and details["dial"] == "+442079460123"
    assert [(b["title"], b["url"]) for b in details["buttons"]] == [
        ("Book a consultation", BOOKING), ("Call the clinic", "tel:+442079460123")]


def test_a_concern_answer_offers_the_consultation_and_a_click_is_recorded(rest, sender):
    replies = rest.send(sender, "I have acne scars")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    booking = next(b for b in buttons if b["title"] == "Book a consultation")
    assert booking["url"] == BOOKING and booking["payload"] == '/open_consultation{"link": "booking"}'
    assert any(b["title"] == "Call the clinic" and b["url"] == "tel:+442079460123" for b in buttons)

    replies = rest.send(sender, booking["payload"])
    assert texts(replies) == f"Here is Example Skin Clinic's booking page: {BOOKING}"
    clicked = user_events(rest.tracker(sender))[-1]["parse_data"]
    assert clicked["intent"]["name"] == "open_consultation"
    assert [(e["entity"], e["value"]) for e in clicked["entities"]] == [("link", "booking")]


def test_a_click_mid_questionnaire_answers_and_the_questions_go_on(rest, sender, kb):
    replies = rest.send(sender, "I have stretch marks")
    replies = click(rest, sender, replies, "/start_questionnaire")
    replies = click(rest, sender, replies, '"abdomen"')
    assert kb.questions["duration"]["text"] in texts(replies)
    replies = rest.send(sender, '/open_consultation{"link": "call"}')
    assert "Example Skin Clinic's phone number: +44 20 7946 0123" in texts(replies)
    assert kb.questions["duration"]["text"] in texts(replies)
    assert rest.slot(sender, "duration") is None and rest.slot(sender, "body_area") == "abdomen"


@pytest.mark.parametrize("question, answer", [
    ("are you open on Saturday?", "On Saturday, Example Skin Clinic is open 10:00 to 14:00."),
    ("what are your opening hours", "- Sunday: closed"),
    ("what's your phone number", "- Phone: +44 20 7946 0123"),
    ("where are you?", "- Address: 1 Example Street, London W1A 1AA"),
])
def test_questions_about_the_clinic_are_answered_from_clinic_yml(rest, sender, question, answer):
    assert answer in texts(rest.send(sender, question))


def test_the_summary_pdf_is_made_from_the_conversation_and_only_for_it(rest, sender, kb):
    link = pdf_link(complete_questionnaire(rest, sender))
    assert link.startswith("http://localhost:5005/webhooks/consultation/summary/")  # $PUBLIC_URL's default
    assert sender not in link
    response = fetch(rest, link)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    for line in ("Concern: Stretch marks", "Where: Abdomen", "How long: 1 to 5 years", "Treatments tried: Creams"):
        assert line in text
    assert kb.procedure["questions_to_ask"][0] in text and "Example Skin Clinic" in text
    assert sender not in text

    # someone else's conversation, and a link this server never made
    other = fetch(rest, summary_path("test-someone-else"))
    assert other.status_code == 404 and b"%PDF" not in other.content
    forged = link.rsplit(".", 2)[0] + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.pdf"
    assert fetch(rest, forged).status_code == 404


def test_a_deleted_conversation_gives_no_pdf(rest, sender):
    link = pdf_link(complete_questionnaire(rest, sender))
    assert fetch(rest, link).status_code == 200
    assert "have been deleted" in texts(rest.send(sender, "/delete_my_data"))
    gone = fetch(rest, link)
    assert gone.status_code == 404 and b"%PDF" not in gone.content
