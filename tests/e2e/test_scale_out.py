"""Two Rasa servers sharing PostgreSQL and Redis, one action server, turns alternating."""
from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import servers
from harness.servers import texts

pytestmark = pytest.mark.e2e

TURNS = [
    "I have stretch marks on my belly", "yes", '/inform{"body_area": "abdomen"}', "about 4 years",
    '/inform{"skin_reaction": "sometimes"}', "does it hurt?", '/inform{"treatment": "creams"}',
    '/inform{"caution": "pregnancy"}', "none of these", "show my summary",
]


@pytest.fixture(scope="module")
def two_servers(trained_model, action_port, postgres, redis_server, artifacts):
    with servers.scale_out_servers(servers.scale_out_env(action_port, postgres, redis_server), artifacts) as clients:
        yield clients


def converse(clients, index):
    sender = f"scale-{index}-{uuid.uuid4().hex[:6]}"
    replies = []
    for turn_number, turn in enumerate(TURNS):
        replies = clients[(turn_number + index) % 2].send(sender, turn)
    return sender, texts(replies)


def test_conversations_alternating_between_servers_stay_consistent(two_servers, postgres):
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda i: converse(two_servers, i), range(10)))
    for sender, summary in results:
        assert "- Concern: Stretch marks" in summary and "- Where: Abdomen" in summary
        assert "- How long: about 4 years" in summary and "- Safety check: Pregnant or breastfeeding" in summary
        first, second = (client.tracker(sender) for client in two_servers)
        assert first["events"] == second["events"]
        assert first["slots"]["cautions_done"] is True and first["active_loop"] in ({}, None, {"name": None})
        user_turns = [e for e in first["events"] if e["event"] == "user"]
        assert len(user_turns) == len(TURNS)
        assert postgres.count_events(sender) == len(first["events"])
