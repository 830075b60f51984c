"""The next step in the widget, in Chromium: the clinic's links and the summary PDF download."""
from __future__ import annotations

import io
from typing import Iterator

import pytest
from pypdf import PdfReader

from tests.e2e.test_widget import Visitor, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.e2e
BOOKING = "https://www.example.com/book-a-consultation"


@pytest.fixture
def visitor(browser, web_origin, rest) -> Iterator[Visitor]:  # noqa: F811
    """A visitor whose browser answers for the example clinic's booking page (nothing leaves the machine)."""
    visitor = Visitor(browser, web_origin, rest, {"width": 1280, "height": 900})
    visitor.context.route("https://www.example.com/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Booking</title><h1>Book a consultation</h1>"))
    yield visitor.open()
    visitor.close()


def last_user_intent(rest, session: str) -> dict:
    user = [e for e in rest.tracker(session)["events"] if e["event"] == "user"]
    return user[-1]["parse_data"]


def test_the_menu_links_open_the_booking_page_and_tell_the_assistant(visitor, rest, artifacts):
    visitor.page.get_by_role("button", name="Menu").click()
    menu = visitor.page.get_by_role("menu")
    book = menu.get_by_role("menuitem", name="Book a consultation")
    book.wait_for()
    assert book.evaluate("e => e.tagName") == "A"
    assert book.get_attribute("href") == BOOKING and book.get_attribute("target") == "_blank"
    call = menu.get_by_role("menuitem", name="Call the clinic")
    assert call.get_attribute("href") == "tel:+442079460123"
    visitor.page.screenshot(path=str(artifacts / "widget-clinic-links.png"))

    before = visitor.before_turn()
    with visitor.context.expect_page() as opened:
        book.click()
    assert opened.value.url == BOOKING
    visitor.wait_for_turn("booking page", before)
    assert visitor.page.locator(".skw-user").count() == 0  # the click shows no message of the visitor's
    parsed = last_user_intent(rest, visitor.session_id())
    assert parsed["intent"]["name"] == "open_consultation"
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == [("link", "booking")]


def test_a_concern_answer_ends_with_link_buttons(visitor, rest):
    visitor.say("I have dark spots on my cheeks", expect="Example Skin Clinic. A qualified professional")
    answer = visitor.page.locator(".skw-bot", has_text="Example Skin Clinic. A qualified professional").last
    assert answer.get_by_role("link", name="Book a consultation").get_attribute("href") == BOOKING
    call = answer.get_by_role("link", name="Call the clinic")
    assert call.get_attribute("href") == "tel:+442079460123"
    before = visitor.before_turn()
    call.click()  # a tel: link: the browser hands it to the phone; the assistant is told too
    visitor.wait_for_turn("phone number: +44 20 7946 0123", before)
    assert last_user_intent(rest, visitor.session_id())["entities"][0]["value"] == "call"


def test_download_my_summary_gives_the_pdf(visitor, rest, artifacts, kb):
    visitor.say("I have acne scars", expect="Example Skin Clinic. A qualified professional")
    visitor.click(kb.layers["questionnaire_button"], expect="Where on your body")
    visitor.click("Face", expect="How long")
    visitor.click("1 to 5 years", expect="darker mark")
    visitor.click("Rarely or never", expect="treatments")
    visitor.click("Creams or serums", expect="safety check")
    visitor.tick("None of these")
    visitor.done(expect="download this summary")
    link = visitor.page.get_by_role("link", name="Download my summary")
    assert link.get_attribute("href").startswith(f"{rest.base_url}/webhooks/consultation/summary/")
    with visitor.page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert download.value.suggested_filename == "skin-summary.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())
    assert "Concern: Acne scars" in text and "Where: Face" in text and "Example Skin Clinic" in text
    assert visitor.session_id() not in text
    (artifacts / "widget-summary.pdf").write_bytes(io.FileIO(str(path)).read())
