"""`make run` starts every server and Ctrl-C stops all of them."""
from __future__ import annotations

import time
import uuid

import pytest
import requests

from tests import servers
from tests.e2e.test_shell import tmux, wait_for_screen

pytestmark = pytest.mark.e2e


def port_answers(url: str) -> bool:
    try:
        requests.get(url, timeout=2)
        return True
    except requests.RequestException:
        return False


def test_make_run_serves_and_ctrl_c_stops_everything(trained_model, tmp_path):
    action_port, rasa_port, web_port = (servers.free_port() for _ in range(3))
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port, tmp_path / "run.db")
    session = f"skin-run-{uuid.uuid4().hex[:8]}"
    command = (
        f"cd {servers.ROOT} && ACTION_PORT={action_port} RASA_PORT={rasa_port} WEB_PORT={web_port} "
        f"ENDPOINTS={endpoints} make --no-print-directory run"
    )
    # An interactive shell, as a person would use: Ctrl-C reaches `make run`, not the shell.
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", "bash --norc -i")
    tmux("send-keys", "-t", session, command, "Enter")
    try:
        screen = wait_for_screen(session, "Press Ctrl-C to stop everything.", timeout=300)
        assert f"localhost:{rasa_port}/webhooks/rest/webhook" in screen
        replies = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "run-test", "message": "I have stretch marks"}, timeout=60,
        ).json()
        assert "qualified professional" in servers.texts(replies)

        tmux("send-keys", "-t", session, "C-c")
        wait_for_screen(session, "Stopping servers...", timeout=30)
        deadline = time.monotonic() + 30
        urls = [f"http://127.0.0.1:{rasa_port}/", f"http://127.0.0.1:{action_port}/health",
                f"http://127.0.0.1:{web_port}/"]
        while any(port_answers(url) for url in urls):
            assert time.monotonic() < deadline, "a server is still answering after Ctrl-C"
            time.sleep(0.5)
    finally:
        tmux("kill-session", "-t", session)
