"""The web widget in a real browser (Debian's Chromium driven by Playwright), real servers."""
from __future__ import annotations

import re
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Iterator, List, NamedTuple
from urllib.parse import urlparse

import pytest
import requests
import socketio

from harness.servers import RestClient
from tests.shown import unexplained

pytestmark = pytest.mark.e2e
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
REPLY_TIMEOUT = 30_000


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium"):
        pytest.fail("Chromium is required for the widget tests (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Turn(NamedTuple):
    """What the page showed and the server had stored before a message was sent."""

    shown: int
    bot_events: int
    user_events: int


class Visitor:
    """A browser tab on the demo page, recording every request and dialog.

    Every wait is for a whole turn: the reply expected, then the end of the turn
    as the server stored it (`wait_for_turn`), then every reply of that turn on
    the page. A turn's replies arrive one by one, so waiting for one of them
    leaves the others still on their way on a slow machine.
    """

    def __init__(self, browser, web_origin: str, rest: RestClient, viewport: dict, **options) -> None:
        self.rest = rest
        bot_url = rest.base_url
        self.context = browser.new_context(viewport=viewport, **options)
        self.page = self.context.new_page()
        self.requests: List[str] = []
        self.dialogs: List[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dismiss)
        self.url = f"{web_origin}/?server={bot_url}"

    def _dismiss(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self) -> "Visitor":
        self.page.goto(self.url)
        self.page.get_by_role("button", name="Skin questions").click()
        self.page.wait_for_function("window.io !== undefined")
        return self

    @property
    def log(self):
        return self.page.get_by_role("log", name="Conversation")

    def bot_messages(self) -> List[str]:
        return self.page.locator(".skw-bot .skw-bubble").all_inner_texts()

    def say(self, text: str, expect: str) -> None:
        before = self.before_turn()
        self.page.get_by_label("Your message").fill(text)
        self.page.get_by_role("button", name="Send").click()
        self.wait_for_turn(expect, before)

    def click(self, button: str, expect: str) -> None:
        before = self.before_turn()
        self.page.get_by_role("button", name=button, exact=True).last.click()
        self.wait_for_turn(expect, before)

    def tick(self, *options: str) -> None:
        """Tick options of the latest checklist (a question where several answers apply)."""
        checklist = self.page.locator(".skw-checklist").last
        for option in options:
            checklist.get_by_role("checkbox", name=option, exact=True).check()

    def done(self, expect: str) -> None:
        """Send the latest checklist's ticks."""
        before = self.before_turn()
        self.page.locator(".skw-checklist").last.get_by_role("button", name="Done").click()
        self.wait_for_turn(expect, before)

    def menu(self, item: str) -> None:
        """Choose an item of the header's menu."""
        self.page.get_by_role("button", name="Menu").click()
        self.page.get_by_role("menuitem", name=item).click()

    def _stored_events(self) -> List[dict]:
        """The stored events of the conversation ([] before its first message: a new conversation's
        tracker, as the API returns it, holds a session start that was never stored)."""
        events = self.rest.tracker(self.session_id())["events"]
        return events if any(e["event"] == "user" for e in events) else []

    def before_turn(self) -> Turn:
        """Take note of the conversation before sending a message (by typing, a button or a link)."""
        events = self._stored_events()
        return Turn(self.page.locator(".skw-bot").count(), sum(e["event"] == "bot" for e in events),
                    sum(e["event"] == "user" for e in events))

    def wait_for_turn(self, expect: str, before: Turn) -> None:
        """Wait for the reply with `expect`, for the server to have stored the turn (Rasa stores a
        conversation when a turn's last action is done), then for every reply of the turn on the page."""
        self.wait_for_bot(expect, after=before.shown)
        deadline = time.monotonic() + REPLY_TIMEOUT / 1000
        while True:
            events = self._stored_events()
            if sum(e["event"] == "user" for e in events) > before.user_events:
                break
            if not events and before.user_events:  # the turn deleted the conversation
                return
            assert time.monotonic() < deadline, "the server did not finish the turn"
            time.sleep(0.2)
        replies = sum(e["event"] == "bot" for e in events) - before.bot_events
        self.page.wait_for_function("n => document.querySelectorAll('.skw-bot').length >= n",
                                    arg=before.shown + replies, timeout=REPLY_TIMEOUT)

    def wait_for_bot(self, expect: str, after: int) -> None:
        self.page.wait_for_function(
            """([after, expect]) => Array.from(document.querySelectorAll('.skw-bot'))
                 .slice(after).some(m => m.textContent.includes(expect))""",
            arg=[after, expect], timeout=REPLY_TIMEOUT)

    def session_id(self) -> str:
        return self.page.evaluate("JSON.parse(localStorage.getItem('skin-assistant')).sessionId")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor(browser, web_origin, rest) -> Iterator[Visitor]:
    visitor = Visitor(browser, web_origin, rest, {"width": 1280, "height": 900})
    yield visitor.open()
    visitor.close()


def test_a_visitor_types_a_concern_and_gets_the_answer(visitor, rest, kb):
    assert visitor.page.get_by_text("General information only, not a diagnosis").is_visible()
    visitor.say("I have tiger stripes after my twins", expect="qualified professional")
    answer = unexplained(kb, "\n".join(visitor.bot_messages()))
    concern = kb.get("stretch_marks")
    assert concern.short in answer.replace("\n", " ")
    assert "Before we start" in answer  # the privacy notice
    assert "http" not in answer
    assert rest.slot(visitor.session_id(), "concern") == ["stretch_marks"]
    visitor.click("Sources", expect="Sources for stretch marks")
    links = visitor.page.locator(".skw-bot").last.locator("ul.skw-sources a")
    assert links.all_inner_texts() == [s.title for s in concern.sources]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [s.url for s in concern.sources]
    assert links.first.get_attribute("rel") == "noopener noreferrer"


def test_an_unsure_guess_is_confirmed_with_a_few_buttons_and_a_click_answers_it(visitor, rest, kb, artifacts):
    visitor.say("I have marks on my skin", expect="It sounds like")
    offer = visitor.page.locator(".skw-bot", has_text="It sounds like").last
    buttons = offer.get_by_role("button").all_inner_texts()
    assert 2 <= len(buttons) <= 4 and buttons[-1] == "Something else"
    first = next(c for c in kb.concerns.values() if c.name == buttons[0])
    visitor.click(buttons[0], expect="qualified professional")
    assert rest.slot(visitor.session_id(), "concern") == [first.id]
    visitor.page.screenshot(path=str(artifacts / "widget-confirmation.png"), full_page=True)


def test_a_caution_and_a_concern_in_one_message_are_both_answered(visitor, rest, kb):
    visitor.say("I'm on roaccutane, could microneedling help my acne scars?", expect="qualified professional")
    visitor.wait_for_bot("Acne scars:", after=0)
    answer = unexplained(kb, " ".join(visitor.bot_messages()).replace("\n", " "))
    assert kb.option("cautions", "isotretinoin").note in answer
    assert kb.get("acne_scars").short in answer
    assert rest.slot(visitor.session_id(), "concern") == ["acne_scars"]


def test_a_follow_up_question_leans_on_the_conversation(visitor, kb):
    visitor.say("I have stretch marks", expect="qualified professional")
    visitor.say("how many sessions would I need?", expect=kb.faq["sessions"].question)
    visitor.say("is it the same for acne scars?", expect=kb.get("acne_scars").questions["sessions"][:40])
    answer = unexplained(kb, " ".join(visitor.bot_messages()).replace("\n", " "))
    assert kb.get("stretch_marks").questions["sessions"] in answer


def test_the_questionnaire_is_completed_by_clicking_buttons_only(visitor, rest, kb):
    visitor.say("I have acne scars", expect="qualified professional")
    visitor.click(kb.layers["questionnaire_button"], expect="Where on your body")
    visitor.click("Face", expect="How long")
    visitor.click("1 to 5 years", expect="darker mark")
    visitor.click("Easily (it often leaves dark marks)", expect="treatments")
    visitor.click("Creams or serums", expect="safety check")
    visitor.tick("Isotretinoin (Accutane)")  # the safety check is a checklist: tick, then Done
    visitor.done(expect=kb.questionnaire["summary"]["heading"][:30])
    visitor.wait_for_bot("qualified professional", after=0)
    answer = unexplained(kb, " ".join(visitor.bot_messages()))
    assert kb.option("cautions", "isotretinoin").note in answer.replace("\n", " ")
    assert "You told me about: Isotretinoin (Accutane)." in answer
    assert rest.slot(visitor.session_id(), "cautions") == ["isotretinoin"]
    visitor.click(kb.layers["end_titles"]["questions"], expect=kb.procedure["questions_to_ask"][0])


def test_reloading_the_page_keeps_the_conversation(visitor, rest):
    visitor.say("I have dark spots on my cheeks", expect="qualified professional")
    session = visitor.session_id()
    before = visitor.bot_messages()
    visitor.page.reload()
    visitor.page.wait_for_function("window.io !== undefined")
    assert visitor.bot_messages() == before
    assert visitor.session_id() == session
    visitor.say("show my summary", expect="Summary to show")
    assert rest.slot(session, "concern") == ["hyperpigmentation"]


def test_new_conversation_starts_over(visitor, rest):
    visitor.say("I have wrinkles", expect="qualified professional")
    old = visitor.session_id()
    visitor.menu("New conversation")
    assert visitor.bot_messages() in ([], ["Hi! Tell me in your own words what bothers you about your skin."])
    assert visitor.session_id() != old
    visitor.say("hello", expect="Before we start")


def test_delete_my_data_is_one_click_in_the_menu(visitor, rest):
    visitor.say("I have stretch marks", expect="qualified professional")
    session = visitor.session_id()
    before = visitor.before_turn()
    visitor.menu("Delete my data")
    visitor.wait_for_turn("have been deleted", before)
    with sqlite3.connect(rest.db_path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (session,)).fetchone()[0] == 0
    visitor.page.wait_for_function(f"JSON.parse(localStorage.getItem('skin-assistant')).sessionId !== '{session}'")
    stored = visitor.page.evaluate("localStorage.getItem('skin-assistant')")
    assert "stretch marks" not in stored.lower()


def test_html_is_shown_as_text_and_runs_nothing(visitor):
    attack = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    visitor.say(attack, expect="")
    visitor.page.wait_for_timeout(1500)
    user_bubble = visitor.page.locator(".skw-user .skw-bubble").last
    assert user_bubble.inner_text() == attack
    assert visitor.page.locator(".skw-root img").count() == 0
    assert visitor.dialogs == []


def test_no_request_leaves_for_another_host(visitor, web_origin, rest):
    visitor.say("I have stretch marks", expect="qualified professional")
    allowed = {urlparse(web_origin).netloc, urlparse(rest.base_url).netloc}
    hosts = {urlparse(u).netloc for u in visitor.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts and hosts <= allowed, hosts - allowed


def test_keyboard_only(browser, web_origin, rest, kb):
    visitor = Visitor(browser, web_origin, rest, {"width": 1280, "height": 900})
    try:
        page = visitor.page
        page.goto(visitor.url)
        page.wait_for_function("document.querySelector('.skw-launcher') !== null")
        for _ in range(20):  # Tab until the launcher has focus
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('skw-launcher')"):
                break
        assert page.evaluate("document.activeElement.classList.contains('skw-launcher')")
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.id === 'skw-input'")
        page.keyboard.type("I have loose skin on my neck")
        before = visitor.before_turn()
        page.keyboard.press("Enter")
        visitor.wait_for_turn("qualified professional", before)
        start = kb.layers["questionnaire_button"]
        for _ in range(60):  # Tab forward to the quick reply that starts the questions
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent") == start:
                break
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "focus must be visible"
        before = visitor.before_turn()
        page.keyboard.press("Enter")
        visitor.wait_for_turn("Where on your body", before)
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.classList.contains('skw-launcher')")
    finally:
        visitor.close()


@pytest.mark.parametrize("name, viewport", [("phone-360", {"width": 360, "height": 740}),
                                            ("desktop", {"width": 1280, "height": 900})])
def test_screenshots_on_a_phone_and_a_desktop(browser, web_origin, rest, artifacts, name, viewport):
    visitor = Visitor(browser, web_origin, rest, viewport).open()
    try:
        visitor.say("I had microneedling and now there's pus and the redness is spreading",
                    expect="contact the clinic that treated you")
        assert visitor.page.locator(".skw-urgent [role=alert]").count() >= 1
        panel = visitor.page.locator(".skw-panel").bounding_box()
        assert panel["width"] <= viewport["width"] and panel["x"] >= 0
        assert visitor.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        visitor.page.screenshot(path=str(artifacts / f"widget-{name}.png"))
    finally:
        visitor.close()


def test_only_the_configured_origin_may_call_the_server(rest, web_origin):
    evil = "http://evil.example"
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = requests.options(f"{rest.base_url}/webhooks/rest/webhook", headers={"Origin": web_origin, **preflight})
    refused = requests.options(f"{rest.base_url}/webhooks/rest/webhook", headers={"Origin": evil, **preflight})
    assert allowed.headers.get("Access-Control-Allow-Origin") == web_origin
    assert refused.headers.get("Access-Control-Allow-Origin") is None

    good = socketio.Client()
    good.connect(rest.base_url, headers={"Origin": web_origin}, transports=["polling"], wait_timeout=10)
    assert good.connected
    good.disconnect()
    bad = socketio.Client()
    with pytest.raises(socketio.exceptions.ConnectionError):
        bad.connect(rest.base_url, headers={"Origin": evil}, transports=["polling"], wait_timeout=10)


def test_the_page_loads_no_web_fonts_or_cdn(web_origin):
    page = requests.get(f"{web_origin}/").text + requests.get(f"{web_origin}/widget/skin-widget.css").text
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", page.replace("http://\" + window", ""))
    assert "@import" not in page and "fonts.googleapis" not in page


def test_answers_fit_one_phone_screen_and_details_come_on_request(browser, web_origin, rest, artifacts, kb):
    visitor = Visitor(browser, web_origin, rest, {"width": 360, "height": 740}).open()
    try:
        page = visitor.page
        visitor.say("I have pitted acne scars on my cheeks", expect="qualified professional")
        page.screenshot(path=str(artifacts / "widget-phone-360-first-answer.png"))
        visitor.click(kb.layers["detail_titles"]["evidence"], expect="How well it works for acne scars")
        page.screenshot(path=str(artifacts / "widget-phone-360-detail.png"))
        visitor.say("does it hurt?", expect=kb.layers["detail_titles"]["sources"])
        page.screenshot(path=str(artifacts / "widget-phone-360-faq.png"))
        # one screen: no answer is taller than the phone's screen
        heights = page.evaluate(
            "Array.from(document.querySelectorAll('.skw-bot .skw-bubble')).map(b => b.getBoundingClientRect().height)")
        assert heights and max(heights) <= 740, heights
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        visitor.close()


def test_an_open_conversation_passes_the_axe_accessibility_audit(browser, web_origin, rest, kb):
    # axe is injected as an inline script, which the page's security policy would block
    visitor = Visitor(browser, web_origin, rest, {"width": 1280, "height": 900}, bypass_csp=True).open()
    try:
        visitor.say("I have stretch marks", expect="qualified professional")
        visitor.click(kb.layers["detail_titles"]["sources"], expect="Sources for stretch marks")
        visitor.page.add_script_tag(path=str(AXE))
        result = visitor.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        assert violations == []
    finally:
        visitor.close()
