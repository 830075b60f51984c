"""The widget on a phone (issue #22), in Chromium against real servers: a one-line header whose menu
works by keyboard, no pinned clinic row, the safety check as a checklist, and how it looks at 360 and
1280 px wide, light and dark (screenshots in test-artifacts/, axe on each)."""
from __future__ import annotations

from typing import Iterator

import pytest

from harness.servers import RestClient
from tests.e2e.test_page_security import RECORD_VIOLATIONS
from tests.e2e.test_widget import AXE, Visitor, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
MAX_HEADER = 64


@pytest.fixture
def phone(browser, web_origin, rest) -> Iterator[Visitor]:  # noqa: F811
    visitor = Visitor(browser, web_origin, rest, PHONE)
    yield visitor.open()
    visitor.close()


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found, locator
    return found


def focused(page) -> str:
    """The focused element's accessible text (its label or its text)."""
    return page.evaluate("(document.activeElement.getAttribute('aria-label') || document.activeElement.textContent)"
                         ".trim()")


def axe_violations(visitor: Visitor) -> list:
    visitor.page.add_script_tag(path=str(AXE))
    result = visitor.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def to_the_safety_check(visitor: Visitor, kb) -> None:
    visitor.say("I have acne scars", expect="qualified professional")
    visitor.click(kb.layers["questionnaire_button"], expect="Where on your body")
    visitor.click("Face", expect="How long")
    visitor.click("1 to 5 years", expect="darker mark")
    visitor.click("Rarely or never", expect="treatments")
    visitor.click("Creams or serums", expect="safety check")


def checklist_state(visitor: Visitor) -> dict:
    """Each option of the latest checklist and whether it is ticked."""
    boxes = visitor.page.locator(".skw-checklist").last.locator("label.skw-check")
    return {boxes.nth(i).inner_text().strip(): boxes.nth(i).locator("input").is_checked()
            for i in range(boxes.count())}


def test_the_header_is_one_compact_line_and_nothing_else_is_pinned(phone, kb):
    page = phone.page
    header = box(page.locator(".skw-header"))
    assert header["height"] <= MAX_HEADER and header["width"] == PHONE["width"]
    for control in (page.get_by_role("heading", name="Skin questions"), page.get_by_role("button", name="Menu"),
                    page.get_by_role("button", name="Close chat")):
        part = box(control)
        assert header["y"] <= part["y"] and part["y"] + part["height"] <= header["y"] + header["height"], control
    # the other controls are in the menu, hidden until it opens
    assert not page.get_by_role("menuitem", name="New conversation").is_visible()
    assert not page.get_by_role("button", name="New conversation").is_visible()
    # the conversation starts right under the header: no pinned row of links, no disclaimer bar
    assert abs(box(page.get_by_role("log", name="Conversation"))["y"] - (header["y"] + header["height"])) < 1
    assert page.get_by_role("navigation").count() == 0
    # the disclaimer, shown once, at the head of the conversation (it scrolls away with it)
    disclaimer = page.get_by_text("General information only, not a diagnosis")
    assert disclaimer.count() == 1 and disclaimer.is_visible()
    assert page.evaluate("document.querySelector('.skw-log').contains(document.querySelector('.skw-disclaimer'))")
    assert box(disclaimer)["height"] <= 40  # two short lines at most on a phone


def test_the_clinic_links_come_with_the_answer_and_in_the_menu_not_pinned(phone):
    page = phone.page
    phone.say("I have dark spots on my cheeks", expect="Example Skin Clinic. A qualified professional")
    phone.say("I also have wrinkles", expect="qualified professional")
    answers = page.locator(".skw-bot", has_text="Example Skin Clinic. A qualified professional")
    links = page.get_by_role("link", name="Book a consultation")
    visible = [links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()]
    # only the answers' own next steps show the link: none above the conversation
    assert len(visible) == answers.count() >= 1
    assert all(link.evaluate("l => !!l.closest('.skw-msg')") for link in visible)
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("menuitem", name="Book a consultation").is_visible()
    assert page.get_by_role("menuitem", name="Call the clinic").get_attribute("href") == "tel:+442079460123"


def test_the_menu_works_by_keyboard_and_new_conversation_starts_over(phone, rest):
    page = phone.page
    phone.say("I have wrinkles", expect="qualified professional")
    old = phone.session_id()
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("#skw-menu")
    assert button.get_attribute("aria-haspopup") == "menu" and button.get_attribute("aria-controls") == "skw-menu"
    assert menu.get_attribute("role") == "menu" and button.get_attribute("aria-expanded") == "false"
    items = menu.locator("[role=menuitem]")  # hidden while the menu is closed
    assert items.all_text_contents()[:2] == ["New conversation", "Delete my data"]

    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and menu.is_visible()
    assert focused(page) == "New conversation"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", "focus must be visible"
    page.keyboard.press("ArrowDown")
    assert focused(page) == "Delete my data"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # wraps round to the last item
    assert focused(page) == items.all_text_contents()[-1] == "Call the clinic"
    page.keyboard.press("Home")
    assert focused(page) == "New conversation"
    page.keyboard.press("Escape")  # closes the menu, not the chat, and gives the focus back
    assert not menu.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert focused(page) == "Menu" and page.locator(".skw-panel").is_visible()

    page.keyboard.press(" ")  # Space opens it too; the arrow keys as well
    assert menu.is_visible() and focused(page) == "New conversation"
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowDown")
    assert menu.is_visible() and focused(page) == "New conversation"
    page.keyboard.press("Enter")  # chooses "New conversation"
    assert not menu.is_visible()
    assert phone.session_id() != old
    assert phone.bot_messages() in ([], ["Hi! Tell me in your own words what bothers you about your skin."])
    assert page.evaluate("document.activeElement.id") == "skw-input"
    phone.say("hello", expect="Before we start")


def test_the_safety_check_is_a_checklist_and_done_sends_the_ticks(browser, web_origin, rest: RestClient,  # noqa: F811
                                                                   kb, artifacts):
    # axe is injected as an inline script, which the page's security policy would block
    phone = Visitor(browser, web_origin, rest, PHONE, bypass_csp=True).open()
    try:
        checklist_sends_the_ticks(phone, rest, kb, artifacts)
    finally:
        phone.close()


def checklist_sends_the_ticks(phone: Visitor, rest: RestClient, kb, artifacts) -> None:
    to_the_safety_check(phone, kb)
    options = [o.title for o in kb.options["cautions"]]
    question = phone.page.locator(".skw-bot", has_text="safety check").last
    assert list(checklist_state(phone)) == options and not any(checklist_state(phone).values())
    assert question.locator(".skw-quick").count() == 0  # no wall of buttons
    phone.tick("Pregnant or breastfeeding", "Isotretinoin (Accutane)")
    phone.page.screenshot(path=str(artifacts / "widget-phone-360-checklist.png"))
    assert axe_violations(phone) == []
    phone.done(expect=kb.questionnaire["summary"]["heading"][:30])
    session = phone.session_id()
    assert rest.slot(session, "cautions") == ["pregnancy", "isotretinoin"]
    assert rest.slot(session, "cautions_done") is True
    assert phone.page.locator(".skw-user .skw-bubble").last.inner_text() == \
        "Pregnant or breastfeeding; Isotretinoin (Accutane)"
    shown = " ".join(phone.bot_messages()).replace("\n", " ")
    assert "You told me about: Pregnant or breastfeeding; Isotretinoin (Accutane)." in shown
    summary = shown.split(kb.questionnaire["summary"]["heading"])[1]
    assert "Pregnant or breastfeeding; Isotretinoin (Accutane)" in summary
    parsed = [e for e in rest.tracker(session)["events"] if e["event"] == "user"][-1]["parse_data"]
    assert [(e["entity"], e["value"]) for e in parsed["entities"]] == \
        [("caution", "pregnancy"), ("caution", "isotretinoin"), ("caution", "none")]


def test_none_of_these_clears_the_ticks_and_is_sent_as_the_answer(browser, web_origin, rest, kb,  # noqa: F811
                                                                   artifacts):
    visitor = Visitor(browser, web_origin, rest, DESKTOP, color_scheme="dark", bypass_csp=True).open()
    try:
        to_the_safety_check(visitor, kb)
        users = visitor.page.locator(".skw-user").count()
        visitor.page.locator(".skw-checklist").last.get_by_role("button", name="Done").click()
        assert "None of these" in visitor.page.locator(".skw-checklist-status").last.inner_text()
        assert visitor.page.locator(".skw-user").count() == users  # nothing ticked: nothing sent
        visitor.tick("Keloids or raised scars", "Under 18")
        visitor.tick("None of these")
        assert [title for title, ticked in checklist_state(visitor).items() if ticked] == ["None of these"]
        visitor.tick("Weak immune system")  # and a tick clears "None of these"
        assert [title for title, ticked in checklist_state(visitor).items() if ticked] == ["Weak immune system"]
        visitor.tick("None of these")
        visitor.page.screenshot(path=str(artifacts / "widget-desktop-dark-checklist.png"))
        assert axe_violations(visitor) == []
        visitor.done(expect=kb.questionnaire["summary"]["heading"][:30])
        session = visitor.session_id()
        assert rest.slot(session, "cautions") in ([], None) and rest.slot(session, "cautions_done") is True
        assert kb.questionnaire["notes"]["no_cautions"] in " ".join(visitor.bot_messages()).replace("\n", " ")
    finally:
        visitor.close()


def test_the_safety_check_can_still_be_answered_by_typing(browser, web_origin, rest, kb, artifacts):  # noqa: F811
    # under the page's security policy (no bypass): the checklist needs no inline script or style
    visitor = Visitor(browser, web_origin, rest, PHONE, color_scheme="dark")
    visitor.page.add_init_script(RECORD_VIOLATIONS)
    visitor.open()
    try:
        to_the_safety_check(visitor, kb)
        visitor.say("I'm on accutane and I have diabetes", expect="Noted")
        session = visitor.session_id()
        assert rest.slot(session, "cautions") == ["isotretinoin", "slow_healing"]
        left = list(checklist_state(visitor))  # the question again, as a checklist of what is left
        assert "Isotretinoin (Accutane)" not in left and "Diabetes or slow healing" not in left
        assert left[-1] == "None of these"
        visitor.page.screenshot(path=str(artifacts / "widget-phone-360-dark-checklist.png"))
        visitor.tick("None of these")
        visitor.done(expect=kb.questionnaire["summary"]["heading"][:30])
        assert rest.slot(session, "cautions") == ["isotretinoin", "slow_healing"]
        assert rest.slot(session, "cautions_done") is True
        assert visitor.page.evaluate("window.__violations") == []
    finally:
        visitor.close()


def test_rest_and_rasa_shell_still_get_the_ordinary_buttons(rest: RestClient, sender, kb):
    """`rasa shell` talks to the bot over REST, so this is its numbered menu; only the widget's
    Socket.IO channel marks the question as several-choice."""
    for message in ["I have acne scars", "/start_questionnaire", "face", "1 to 5 years", "rarely"]:
        rest.send(sender, message)
    reply = rest.send(sender, "creams or serums")[-1]
    assert "safety check" in reply["text"] and "multiple" not in reply
    assert [b["title"] for b in reply["buttons"]] == [o.title for o in kb.options["cautions"]]
    assert reply["buttons"][0]["payload"] == '/inform{"caution": "%s"}' % kb.options["cautions"][0].id


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name, viewport", [("phone-360", PHONE), ("desktop", DESKTOP)])
def test_screenshots_light_and_dark(browser, web_origin, rest, artifacts, name, viewport, scheme):  # noqa: F811
    visitor = Visitor(browser, web_origin, rest, viewport, color_scheme=scheme, bypass_csp=True).open()
    try:
        page = visitor.page
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        visitor.say("I had microneedling and now there's pus and the redness is spreading",
                    expect="contact the clinic that treated you")
        urgent = page.locator(".skw-urgent [role=alert]").last
        assert urgent.is_visible()
        # the red-flag reply stands out: a red bar on the bubble, unlike an ordinary reply
        assert urgent.evaluate("b => parseFloat(getComputedStyle(b).borderLeftWidth)") >= 4
        assert box(page.locator(".skw-header"))["height"] <= MAX_HEADER
        panel = box(page.locator(".skw-panel"))
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= viewport["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=str(artifacts / f"widget-{name}-{scheme}.png"))
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("menuitem", name="Book a consultation").wait_for()
        page.screenshot(path=str(artifacts / f"widget-{name}-{scheme}-menu.png"))
        assert axe_violations(visitor) == []
    finally:
        visitor.close()


def test_the_recommendation_is_in_full_once_then_one_short_line(phone, kb):
    """Issue #22 item 3, as a visitor reads it: the full recommendation first, then the short line."""
    full = kb.recommendation(kb.get("acne_scars"))
    short = kb.general["short_recommendation"]
    phone.say("I have acne scars", expect="qualified professional")
    first = phone.bot_messages()
    phone.click("How well it works", expect=short)
    later = phone.bot_messages()[len(first):]
    flat = [" ".join(m.split()) for m in first]
    assert any(" ".join(full.split()) in m for m in flat)
    assert any(short in m for m in later) and not any(" ".join(full.split()) in " ".join(m.split()) for m in later)
