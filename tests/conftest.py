"""Shared fixtures: the knowledge base, and real servers started once per run."""
from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from assistant.knowledge_base import KnowledgeBase, load_knowledge_base
from harness import servers
from harness.databases import Postgres, Redis

ARTIFACTS = servers.ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not servers.MODEL.exists():
        pytest.fail(f"{servers.MODEL} is missing: run `make train` (make test does)")
    return servers.MODEL


@pytest.fixture(scope="session")
def action_port(artifacts: Path) -> Iterator[int]:
    port = servers.free_port()
    server = servers.action_server(port, artifacts).start()
    yield port
    server.stop()


@pytest.fixture(scope="session")
def rest_port() -> int:
    """The port of the shared Rasa server (chosen first: the demo page's policy names it)."""
    return servers.free_port()


@pytest.fixture(scope="session")
def web_origin(artifacts: Path, rest_port: int) -> Iterator[str]:
    """The demo page's origin (served like `make run` serves it), allowed to talk to the Rasa server."""
    port = servers.free_port()
    server = servers.web_server(port, artifacts, bot_origin=f"http://127.0.0.1:{rest_port}").start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def rest(trained_model: Path, action_port: int, artifacts: Path, web_origin: str, rest_port: int,
         tmp_path_factory) -> Iterator[servers.RestClient]:
    """A Rasa server with its own SQLite store, talking to the test action server.

    Only the demo page's origin may call it from a browser.
    """
    work = tmp_path_factory.mktemp("rasa")
    endpoints = servers.write_endpoints(work / "endpoints.yml", action_port, work / "conversations.db")
    port = rest_port
    token = uuid.uuid4().hex
    server = servers.rasa_server(port, endpoints, artifacts, token, cors_origins=[web_origin]).start()
    client = servers.RestClient(f"http://127.0.0.1:{port}", token)
    client.db_path = work / "conversations.db"
    client.log_paths = [server.log_path, artifacts / f"actions-{action_port}.log"]
    client.pid = server.process.pid if server.process else None
    yield client
    server.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server on loopback, for the tracker store."""
    root = Path(tempfile.mkdtemp(prefix="skin-postgres-"))  # pytest's tmp dirs are private to root
    root.chmod(0o755)
    server = Postgres.start(root, servers.free_port())
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def sender() -> str:
    """A fresh conversation id."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[Redis]:
    """A Redis server on loopback, for the lock store."""
    server = Redis.start(tmp_path_factory.mktemp("redis"), servers.free_port())
    yield server
    server.stop()
