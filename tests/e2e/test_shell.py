"""`make shell` in a real terminal (tmux): type a concern, read the answer."""
from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest

from harness import servers

pytestmark = pytest.mark.e2e
READY = "Bot loaded. Type a message and press enter"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", session)


# What rasa shell shows once a turn's replies have all come: a prompt to type, or the last
# reply's buttons as a menu (whose last entry is always "Type out your own message...").
PROMPTS = ("Your input ->", "Type out your own message...")


def wait_for_turn(session: str, text: str, timeout: float) -> str:
    """Wait for a reply with `text` and then for the end of its turn: rasa shell prints a turn's replies
    as they stream in and draws its prompt after the last one (waiting for one reply is not enough)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = screen(session)
        if text in content and max(content.rfind(prompt) for prompt in PROMPTS) > content.rfind(text):
            return content
        time.sleep(0.5)
    raise AssertionError(f"{text!r} and the prompt after it did not appear within {timeout}s; "
                         f"the screen shows:\n{content}")


def wait_for_screen(session: str, text: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = screen(session)
        if text in content:
            return content
        time.sleep(0.5)
    raise AssertionError(f"{text!r} did not appear within {timeout}s; the screen shows:\n{content}")


@pytest.fixture
def shell_session(trained_model, action_port, tmp_path, artifacts):
    if not shutil.which("tmux"):
        pytest.fail("tmux is required for the shell test (apt-get install tmux)")
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port, tmp_path / "shell.db")
    session = f"skin-shell-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {servers.ROOT} && ACTION_PORT={action_port} ENDPOINTS={endpoints} "
        f"SHELL_PORT={servers.free_port()} make --no-print-directory shell; sleep 600"
    )
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command)
    try:
        yield session
    finally:
        (artifacts / "shell-screen.txt").write_text(screen(session), encoding="utf-8")
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_typing_a_concern_in_rasa_shell_gets_the_answer(shell_session, kb):
    wait_for_screen(shell_session, READY, timeout=240)
    tmux("send-keys", "-t", shell_session, "I have tiger stripes after my twins", "Enter")
    content = wait_for_turn(shell_session, "Call the clinic", timeout=60)
    assert f"{kb.get('stretch_marks').name}:" in content and kb.layers["questionnaire_button"] in content
    assert "Please see a qualified professional" in content
    # the last message's buttons are the menu (the clinic's); the answer's buttons are listed with
    # their payloads, which can be typed: Up wraps round to "type your own message"
    tmux("send-keys", "-t", shell_session, "Up", "Enter")
    wait_for_screen(shell_session, "Type out your own message...", timeout=10)
    tmux("send-keys", "-t", shell_session, '/follow_up{"detail": "evidence"}', "Enter")
    wait_for_turn(shell_session, "How well it works for stretch marks", timeout=60)
    # the detail's buttons are the menu now: Up wraps round to "type your own", once more to the questions
    tmux("send-keys", "-t", shell_session, "Up", "Up", "Enter")
    wait_for_turn(shell_session, kb.questions["body_area"]["text"], timeout=60)
    # the menu's last entry lets the visitor type instead; Up wraps round to it
    tmux("send-keys", "-t", shell_session, "Up", "Enter")
    wait_for_screen(shell_session, "Type out your own message...", timeout=10)
    tmux("send-keys", "-t", shell_session, "on my belly", "Enter")
    wait_for_turn(shell_session, kb.questions["duration"]["text"], timeout=60)
    tmux("send-keys", "-t", shell_session, "Up", "Enter")
    time.sleep(1)
    tmux("send-keys", "-t", shell_session, "/stop", "Enter")
    deadline = time.monotonic() + 60
    while tmux("list-panes", "-t", shell_session, "-F", "#{pane_current_command}").strip() != "sleep":
        assert time.monotonic() < deadline, "rasa shell did not exit after /stop"
        time.sleep(0.5)


def test_an_unsure_guess_is_confirmed_in_rasa_shell(shell_session, kb):
    wait_for_screen(shell_session, READY, timeout=240)
    tmux("send-keys", "-t", shell_session, "I have marks on my skin", "Enter")
    content = wait_for_turn(shell_session, "Something else", timeout=60)
    assert "It sounds like" in content
    # the menu's first entry is the best guess: Enter picks it and gets its answer
    tmux("send-keys", "-t", shell_session, "Enter")
    content = wait_for_turn(shell_session, "Call the clinic", timeout=60)
    assert "Please see a qualified professional" in content
    # the sources come as a list of titles and links in the terminal
    tmux("send-keys", "-t", shell_session, "Up", "Enter")
    wait_for_screen(shell_session, "Type out your own message...", timeout=10)
    tmux("send-keys", "-t", shell_session, '/follow_up{"detail": "sources"}', "Enter")
    content = wait_for_turn(shell_session, "Sources for", timeout=60)
    assert "- " in content and "https://" in content


def test_a_follow_up_question_uses_the_concern_in_rasa_shell(shell_session, kb):
    wait_for_screen(shell_session, READY, timeout=240)
    tmux("send-keys", "-t", shell_session, "I have acne scars", "Enter")
    wait_for_turn(shell_session, "Call the clinic", timeout=60)
    # leave the menu to type, as a visitor would
    tmux("send-keys", "-t", shell_session, "Up", "Enter")
    wait_for_screen(shell_session, "Type out your own message...", timeout=10)
    tmux("send-keys", "-t", shell_session, "how many sessions would I need?", "Enter")
    note = kb.get("acne_scars").questions["sessions"]
    wait_for_turn(shell_session, note[:60], timeout=60)


def test_the_summary_in_rasa_shell_gives_the_pdf_link_and_the_clinics_number(shell_session, kb):
    wait_for_screen(shell_session, READY, timeout=240)
    tmux("send-keys", "-t", shell_session, "I have acne scars", "Enter")
    content = wait_for_turn(shell_session, "Call the clinic", timeout=60)
    assert "Book a consultation" in content and kb.layers["questionnaire_button"] in content
    tmux("send-keys", "-t", shell_session, "Up", "Enter")
    wait_for_screen(shell_session, "Type out your own message...", timeout=10)
    tmux("send-keys", "-t", shell_session, "show my summary", "Enter")
    content = wait_for_turn(shell_session, "You can download this summary as a PDF:", timeout=60)
    assert "- Concern: Acne scars" in content
    assert "http://localhost:5005/webhooks/consultation/summary/" in content


def test_an_aftercare_exchange_in_rasa_shell(shell_session, kb):
    wait_for_screen(shell_session, READY, timeout=240)
    tmux("send-keys", "-t", shell_session, "I had microneedling on my face two days ago", "Enter")
    wait_for_turn(shell_session, "qualified professional", timeout=60)
    tmux("send-keys", "-t", shell_session, "Up", "Enter")
    wait_for_screen(shell_session, "Type out your own message...", timeout=10)
    tmux("send-keys", "-t", shell_session, "it is itchy and flaking, is that ok?", "Enter")
    wait_for_turn(shell_session, "You had your treatment 2 days ago.", timeout=60)
    assert "redness that spreads" in screen(shell_session).replace("\n", " ")
