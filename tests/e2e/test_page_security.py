"""The demo page's security headers, and the widget working under its Content-Security-Policy."""
from __future__ import annotations

import re
from typing import Any, Iterator, List

import pytest
import requests

from tests.e2e.test_widget import Visitor, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.e2e

# Each security policy violation the page reports, recorded before any page script runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


class RecordingVisitor(Visitor):
    """A visitor whose tab records policy violations and console messages."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.console: List[str] = []
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.page.on("console", lambda message: self.console.append(message.text))


@pytest.fixture
def guarded_visitor(browser, web_origin, rest) -> Iterator[RecordingVisitor]:  # noqa: F811
    visitor = RecordingVisitor(browser, web_origin, rest, {"width": 1280, "height": 900})
    visitor.open()
    yield visitor
    visitor.close()


@pytest.mark.parametrize("path", ["/", "/demo-config.js", "/widget/skin-widget.js", "/widget/skin-widget.css",
                                  "/node_modules/socket.io-client/dist/socket.io.min.js"])
def test_every_file_of_the_page_is_sent_with_the_security_headers(web_origin, rest, path):
    response = requests.get(f"{web_origin}{path}", timeout=10)
    assert response.ok
    policy = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
    bot = rest.base_url
    assert policy["connect-src"].split() == ["'self'", bot, bot.replace("http://", "ws://")]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'self'"
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_page_has_no_inline_script_or_style(web_origin):
    page = requests.get(f"{web_origin}/", timeout=10).text
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page))
    assert "<style" not in page and " style=" not in page and not re.search(r" on[a-z]+=", page)


def test_the_widget_works_under_the_policy_without_a_violation(guarded_visitor):
    guarded_visitor.say("I have stretch marks", expect="qualified professional")
    guarded_visitor.say("does it hurt?", expect="qualified professional")
    assert guarded_visitor.page.evaluate("window.__violations") == []
    assert not [text for text in guarded_visitor.console if "Content Security Policy" in text]


def test_injected_script_and_inline_handlers_do_not_run(guarded_visitor):
    guarded_visitor.page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = 'inline script';";
        document.body.appendChild(script);
        document.body.insertAdjacentHTML("beforeend", '<img src="x.png" onerror="window.__injected = \\'handler\\'">');
        const remote = document.createElement("script");
        remote.src = "https://evil.example/steal.js";
        document.body.appendChild(remote);
    }""")
    guarded_visitor.page.wait_for_function("window.__violations.length >= 3")
    assert guarded_visitor.page.evaluate("window.__injected") is None
    violations = guarded_visitor.page.evaluate("window.__violations")
    assert any(v.startswith("script-src") and v.endswith("inline") for v in violations), violations
    assert any("evil.example" in v for v in violations), violations
