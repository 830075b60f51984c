"""Start and stop the real servers for end-to-end tests."""
from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List, Optional, Sequence

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "skin-assistant.tar.gz"
START_TIMEOUT = 240
# The Rasa server's command, as scripts/run.sh starts it: `rasa` without TensorFlow unless the model
# needs it (channels/server.py; run from the repository's root, which it imports from).
RASA_SERVER = [str(VENV_BIN / "python"), "-m", "channels.server"]


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_endpoints(path: Path, action_port: int, db_path: Path) -> Path:
    """An endpoints file like endpoints.yml, pointing at test ports and a test database."""
    path.write_text(
        f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
        f"tracker_store:\n  type: privacy.tracker_store.PrivacySQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {db_path}\n",
        encoding="utf-8",
    )
    return path


# Tests and benchmarks send many messages a minute from 127.0.0.1: the rate limits
# (channels/rate_limit.py) are set far above that, except where a test sets its own.
GENEROUS_LIMITS = {"RATE_LIMIT_PER_ADDRESS": "100000", "RATE_LIMIT_PER_CONVERSATION": "100000"}


def server_env(**extra: str) -> dict:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", SQLALCHEMY_SILENCE_UBER_WARNING="1",
               PYTHONWARNINGS="ignore")
    env.update(GENEROUS_LIMITS)
    env.update(extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


class Server:
    """One server process whose output goes to a log file."""

    def __init__(self, name: str, args: List[str], url: str, log_path: Path, env: Optional[dict] = None,
                 cwd: Path = ROOT) -> None:
        self.name, self.args, self.url, self.log_path, self.cwd = name, args, url, log_path, cwd
        self.env = env or server_env()
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "Server":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.args, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT, env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited while starting:\n{self.log_tail()}")
            try:
                if requests.get(self.url, timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{self.name} did not start in {START_TIMEOUT}s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def action_server(port: int, log_dir: Path) -> Server:
    return Server(
        "action server",
        [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(port)],
        f"http://127.0.0.1:{port}/health",
        log_dir / f"actions-{port}.log",
    )


def rasa_server(port: int, endpoints: Path, log_dir: Path, api_token: str, cors_origins: Sequence[str] = ()) -> Server:
    """A Rasa server as scripts/run.sh starts it, plus the HTTP API for reading trackers."""
    return Server(
        "Rasa server",
        [
            *RASA_SERVER, "run", "--model", str(MODEL), "--endpoints", str(endpoints),
            "--credentials", str(ROOT / "credentials.yml"), "--port", str(port),
            "--enable-api", "--auth-token", api_token, *(["--cors", *cors_origins] if cors_origins else []),
        ],
        f"http://127.0.0.1:{port}/",
        log_dir / f"rasa-{port}.log",
        env=server_env(CORS_ORIGINS=" ".join(cors_origins)) if cors_origins else None,
    )


def scale_out_env(action_port: int, postgres: Any, redis: Any) -> dict:
    """The settings endpoints.scale.yml reads: a shared PostgreSQL and Redis (tests/databases.py)."""
    return {
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "DB_HOST": "127.0.0.1", "DB_PORT": str(postgres.port), "DB_NAME": postgres.database,
        "DB_USER": postgres.user, "DB_PASSWORD": postgres.password,
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(redis.port), "REDIS_PASSWORD": "",
        "REDIS_LOCK_DB": "1",
    }


@contextmanager
def scale_out_servers(env: dict, log_dir: Path, count: int = 2) -> Iterator[List["RestClient"]]:
    """`count` Rasa servers on endpoints.scale.yml with the settings `env`; a REST client for each."""
    started, clients = [], []
    token = uuid.uuid4().hex
    try:
        for _ in range(count):
            port = free_port()
            server = rasa_server(port, ROOT / "endpoints.scale.yml", log_dir, token)
            server.env.update(env)
            started.append(server.start())
            clients.append(RestClient(f"http://127.0.0.1:{port}", token))
        yield clients
    finally:
        for server in started:
            server.stop()


def web_server(port: int, log_dir: Path, bot_origin: str) -> Server:
    """The demo page, served as scripts/run.sh serves it (security headers for `bot_origin`)."""
    return Server(
        "demo page server",
        [str(VENV_BIN / "python"), str(ROOT / "scripts" / "serve_demo_page.py"), "--port", str(port),
         "--bot-origin", bot_origin],
        f"http://127.0.0.1:{port}/",
        log_dir / f"web-{port}.log",
    )


class RestClient:
    """Talks to a Rasa server like a visitor (REST channel) and reads trackers (HTTP API)."""

    def __init__(self, base_url: str, api_token: str) -> None:
        self.base_url, self.api_token = base_url, api_token
        self.db_path: Optional[Path] = None
        self.log_paths: List[Path] = []
        self.pid: Optional[int] = None

    def send(self, sender: str, message: str) -> List[dict]:
        """Send a message; return the bot's replies."""
        response = requests.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        """The stored conversation of a sender."""
        response = requests.get(
            f"{self.base_url}/conversations/{sender}/tracker",
            params={"token": self.api_token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def slot(self, sender: str, name: str):
        return self.tracker(sender)["slots"].get(name)


def texts(replies: List[dict]) -> str:
    """All reply texts joined, for assertions."""
    return "\n".join(r.get("text", "") for r in replies)
