"""`make run` starts every server, and stopping it, however it is stopped, leaves none running."""
from __future__ import annotations

import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import List

import pytest
import requests

from harness import servers
from tests.e2e.test_shell import tmux, wait_for_screen

pytestmark = pytest.mark.e2e
READY = "Press Ctrl-C to stop everything."


def port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def assert_all_stopped(ports: List[int], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while any(port_answers(port) for port in ports):
        assert time.monotonic() < deadline, f"still listening after stopping: {[p for p in ports if port_answers(p)]}"
        time.sleep(0.5)


def run_env(tmp_path: Path) -> dict:
    """Ports and endpoints of one `make run`, as environment variables."""
    action_port, rasa_port, web_port = (servers.free_port() for _ in range(3))
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port, tmp_path / "run.db")
    return {"ACTION_PORT": str(action_port), "RASA_PORT": str(rasa_port), "WEB_PORT": str(web_port),
            "ENDPOINTS": str(endpoints)}


def ports(env: dict) -> List[int]:
    return [int(env[name]) for name in ("ACTION_PORT", "RASA_PORT", "WEB_PORT")]


def test_make_run_piped_through_tee_serves_and_ctrl_c_stops_everything(trained_model, tmp_path):
    env = run_env(tmp_path)
    session = f"skin-run-{uuid.uuid4().hex[:8]}"
    settings = " ".join(f"{name}={value}" for name, value in env.items())
    command = f"cd {servers.ROOT} && {settings} make --no-print-directory run 2>&1 | tee {tmp_path / 'run.log'}"
    # An interactive shell, as a person would use: Ctrl-C reaches make, run.sh, the servers and tee.
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", "bash --norc -i")
    tmux("send-keys", "-t", session, command, "Enter")
    try:
        screen = wait_for_screen(session, READY, timeout=300)
        assert f"localhost:{env['RASA_PORT']}/webhooks/rest/webhook" in screen
        replies = requests.post(
            f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook",
            json={"sender": "run-test", "message": "I have stretch marks"}, timeout=60,
        ).json()
        assert "qualified professional" in servers.texts(replies)
        page = requests.get(f"http://127.0.0.1:{env['WEB_PORT']}/", timeout=10)
        assert f"ws://localhost:{env['RASA_PORT']}" in page.headers["Content-Security-Policy"]

        tmux("send-keys", "-t", session, "C-c")
        assert_all_stopped(ports(env))
    finally:
        tmux("kill-session", "-t", session)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_to_run_sh_piped_through_tee_stops_everything(trained_model, tmp_path, stop):
    env = run_env(tmp_path)
    log = tmp_path / "run.log"
    run = subprocess.Popen(["scripts/run.sh"], cwd=servers.ROOT, env=servers.server_env(**env),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    tee = subprocess.Popen(["tee", str(log)], stdin=run.stdout, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while READY not in (log.read_text() if log.exists() else ""):
            assert run.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        assert all(port_answers(port) for port in ports(env))
        run.send_signal(stop)
        assert run.wait(timeout=40) == 0
        assert_all_stopped(ports(env))
        assert "Stopping servers..." in log.read_text()
    finally:
        if run.poll() is None:
            run.kill()
        tee.wait(timeout=10)


@pytest.mark.parametrize("taken", ["ACTION_PORT", "RASA_PORT", "WEB_PORT"])
def test_a_port_in_use_is_named_and_nothing_starts(tmp_path, taken):
    env = run_env(tmp_path)
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", int(env[taken])))
        other_program.listen()
        result = subprocess.run(["scripts/run.sh"], cwd=servers.ROOT, env=servers.server_env(**env),
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert f"Port {env[taken]}" in result.stderr and "already in use" in result.stderr
        assert f"{taken}=<port> make run" in result.stderr
        assert "Starting" not in result.stdout
        assert [port_answers(port) for port in ports(env)] == [name == taken for name in
                                                              ("ACTION_PORT", "RASA_PORT", "WEB_PORT")]
