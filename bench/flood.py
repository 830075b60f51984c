"""Flood: one client bursts messages and is limited; another visitor's latency is measured.

    .venv/bin/python -m bench.flood [--threads 20] [--turns 30]

Starts an action server and a Rasa server with the default rate limits
(channels/rate_limit.py) as behind a reverse proxy ($SANIC_PROXIES_COUNT=1,
each client's address in X-Forwarded-For, so the two clients are two
addresses on one machine). A normal visitor has a conversation (`--turns`
messages over several conversations, one after the other, a pause between
messages), first alone, then while a flooding client sends as fast as
`--threads` threads can, for as long as the visitor talks, under fresh
conversation ids. Prints the visitor's p50/p95 latency in both cases and how
many flood requests were answered and refused. Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

import requests

from harness import servers

VISITOR = "203.0.113.10"
FLOODER = "198.51.100.66"
CONVERSATION = ["hi", "I have stretch marks on my belly", "does it hurt?", "how many sessions?", "thanks"]
PAUSE_S = 0.3


def post(session: requests.Session, url: str, address: str, sender: str, message: str) -> requests.Response:
    return session.post(url, json={"sender": sender, "message": message}, headers={"X-Forwarded-For": address},
                        timeout=60)


def visitor(url: str, turns: int) -> List[float]:
    """Latencies (ms) of a visitor's messages, each conversation of CONVERSATION in turn."""
    session, latencies = requests.Session(), []
    sender = uuid.uuid4().hex
    for turn in range(turns):
        if turn % len(CONVERSATION) == 0:
            sender = uuid.uuid4().hex
        started = time.perf_counter()
        response = post(session, url, VISITOR, sender, CONVERSATION[turn % len(CONVERSATION)])
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"the visitor was refused ({response.status_code}): the limits are too low")
        time.sleep(PAUSE_S)
    return latencies


def flood(url: str, stop: threading.Event, counts: Dict[int, int], lock: threading.Lock) -> None:
    """Send messages as fast as possible until `stop`, counting the answers' status codes."""
    session = requests.Session()
    while not stop.is_set():
        status = post(session, url, FLOODER, uuid.uuid4().hex[:16], "I have acne scars").status_code
        with lock:
            counts[status] = counts.get(status, 0) + 1


def percentiles(latencies: List[float]) -> str:
    cuts = statistics.quantiles(latencies, n=20)
    return f"p50 {statistics.median(latencies):.0f} ms, p95 {cuts[18]:.0f} ms ({len(latencies)} messages)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=20, help="the flooding client's concurrent requests")
    parser.add_argument("--turns", type=int, default=30, help="the visitor's messages in each phase")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="skin-flood-"))
    action_port, rasa_port = servers.free_port(), servers.free_port()
    endpoints = servers.write_endpoints(work / "endpoints.yml", action_port, work / "flood.db")
    actions = servers.action_server(action_port, work).start()
    rasa = servers.rasa_server(rasa_port, endpoints, work, uuid.uuid4().hex)
    for name in servers.GENEROUS_LIMITS:  # the defaults a public server runs with
        rasa.env.pop(name, None)
    rasa.env["SANIC_PROXIES_COUNT"] = "1"
    try:
        rasa.start()
        url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
        visitor(url, len(CONVERSATION))  # warm-up
        time.sleep(61 - time.time() % 60)  # a fresh minute for the rate limits
        alone = visitor(url, args.turns)
        time.sleep(61 - time.time() % 60)
        counts: Dict[int, int] = {}
        stop, lock = threading.Event(), threading.Lock()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            for _ in range(args.threads):
                pool.submit(flood, url, stop, counts, lock)
            try:
                flooded = visitor(url, args.turns)
            finally:
                stop.set()
        seconds = time.monotonic() - started
    finally:
        rasa.stop()
        actions.stop()
    total = sum(counts.values())
    print(f"Flood benchmark, {args.threads} flooding threads for {seconds:.0f} s, default limits")
    print(f"  visitor alone:       {percentiles(alone)}")
    print(f"  visitor under flood: {percentiles(flooded)}")
    print(f"  flood requests:      {total} ({total / seconds:.0f}/s), answered {counts.get(200, 0)}, "
          f"refused with 429 {counts.get(429, 0)}, other {total - counts.get(200, 0) - counts.get(429, 0)}")
    print(f"  logs in {work}")


if __name__ == "__main__":
    main()
