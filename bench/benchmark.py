"""Benchmark this assistant against the stock `rasa init` bot, with the same Rasa.

    .venv/bin/python -m bench.benchmark [--quick]

Measures, for both bots on this machine: full training time, server start time
to first answer, resident memory after warm-up, REST round-trip latency
(p50/p95/p99) and throughput at 1, 10 and 50 concurrent visitors, errors; and
for this assistant the time to apply a knowledge-base text change (action
server restart, no retraining), and its throughput with 1 and with 2 Rasa
server processes behind one port (SANIC_WORKERS, on endpoints.scale.yml with a
throw-away PostgreSQL and Redis; skipped with --no-workers or where they are
not installed). Prints a table, the ratios to the stock bot against the
targets of issue #23, and writes them to bench/results/. Nothing here asserts
a time: see docs/measurements.md for a recorded run.

Load is modelled on visitors: each has one whole conversation (ten messages,
sent one after the other, each as soon as the previous reply arrived) under a
new conversation id; at each level that many visitors are talking at once,
and a new visitor takes the place of one who finished (ROUNDS). Both bots'
servers run side by side (one idle while the other is measured) and each
level runs in alternating blocks, assistant then stock, BLOCKS times, so that
both meet the same machine: on shared hardware a single block of either bot
can be 20% faster or slower than the next.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from dataclasses import dataclass, field
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

import requests

from harness import servers

ROOT = servers.ROOT
RASA = str(servers.VENV_BIN / "rasa")
RESULTS = ROOT / "bench" / "results"
OUR_CONVERSATION = [
    "hi", "I have little holes left from pimples", "yes", '/inform{"body_area": "face"}', "about 3 years",
    '/inform{"skin_reaction": "rarely"}', '/inform{"treatment": "none"}', '/inform{"caution": "none"}',
    "does it hurt?", "show my summary",
]
# The stock bot's conversation follows its own stories and rules, so that every message gets a reply
# (off its stories, some messages got none: cheap turns that flattered it).
STOCK_CONVERSATION = ["hi", "I am sad", "yes", "are you a bot?", "bye", "hello", "I am sad", "no", "hey", "great"]
# Concurrent visitors, and how many visitors in turn take each place in one block
# (each has the whole conversation); each level runs BLOCKS blocks per bot, alternating.
ROUNDS = {1: 3, 10: 2, 50: 1}
BLOCKS = 3
QUICK_ROUNDS = {1: 1, 10: 1, 50: 1}
LEVELS = tuple(ROUNDS)
# 1 against 2 Rasa server processes on one port (SANIC_WORKERS), at these levels.
WORKERS = (1, 2)
WORKER_LEVELS = (10, 50)
# This assistant's Rasa server as scripts/run.sh starts it (no TensorFlow unless a component needs it);
# the stock bot's is plain `rasa`.
OUR_SERVER = servers.RASA_SERVER


class Sample(NamedTuple):
    latencies: List[float]
    errors: int
    elapsed: float

    def __add__(self, other: "Sample") -> "Sample":  # type: ignore[override]
        return Sample(self.latencies + other.latencies, self.errors + other.errors, self.elapsed + other.elapsed)


@dataclass
class Bot:
    name: str
    workdir: Path
    endpoints: Path
    conversation: List[str]
    server_command: List[str]
    train_args: List[str] = field(default_factory=list)
    port: int = 0
    server: Optional[servers.Server] = None
    result: Dict[Any, Any] = field(default_factory=dict)


def run_timed(args: Sequence[str], cwd: Path) -> float:
    started = time.monotonic()
    done = subprocess.run(list(args), cwd=cwd, env=servers.server_env(), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed in {cwd}:\n{(done.stdout + done.stderr)[-3000:]}")
    return time.monotonic() - started


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Sanic's workers), in MB."""
    children: Dict[int, List[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def first_answer_time(server: servers.Server, port: int) -> float:
    """Start a Rasa server; seconds until it answers a first message."""
    started = time.monotonic()
    server.start()
    while True:
        try:
            if requests.post(f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                             json={"sender": "warm-up", "message": "hi"}, timeout=60).json():
                return time.monotonic() - started
        except requests.RequestException:
            time.sleep(0.2)


def run_load(port: int, conversation: List[str], visitors: int, rounds: int) -> Sample:
    """`visitors` visitors at a time, each having the whole conversation; `rounds` new visitors per place."""
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"

    def visitor_place(_: int) -> Tuple[List[float], int]:
        latencies, errors = [], 0
        for _round in range(rounds):
            sender = uuid.uuid4().hex
            for message in conversation:
                started = time.monotonic()
                try:
                    response = requests.post(url, json={"sender": sender, "message": message}, timeout=120)
                    errors += 0 if response.ok and response.json() else 1
                except requests.RequestException:
                    errors += 1
                latencies.append(time.monotonic() - started)
        return latencies, errors

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=visitors) as pool:
        results = list(pool.map(visitor_place, range(visitors)))
    return Sample([x for r in results for x in r[0]], sum(r[1] for r in results), time.monotonic() - started)


def summarise(sample: Sample) -> Dict[str, float]:
    latencies = sorted(sample.latencies)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {"p50": quantiles[49] * 1000, "p95": quantiles[94] * 1000, "p99": quantiles[98] * 1000,
            "msg_per_s": len(latencies) / sample.elapsed, "errors": sample.errors, "messages": len(latencies)}


def start_bot(bot: Bot, log_dir: Path) -> None:
    """Start the bot's Rasa server, time its first answer, warm it up, note its memory."""
    bot.port = servers.free_port()
    bot.server = rasa_server(bot.name, bot.server_command, bot.workdir, bot.workdir / "models" / "bench.tar.gz",
                             bot.endpoints, bot.port, log_dir)
    bot.result["start_s"] = first_answer_time(bot.server, bot.port)
    run_load(bot.port, bot.conversation, 5, 1)
    assert bot.server.process is not None
    bot.result["rss_mb"] = rss_mb(bot.server.process.pid)


def measure_levels(bots: List[Bot], rounds: Dict[int, int], blocks: int, levels: Sequence[int] = LEVELS) -> None:
    """Each level in alternating blocks (one bot, then the other, ...), so both meet the same machine."""
    for level in levels:
        samples = {bot.name: Sample([], 0, 0.0) for bot in bots}
        for _block in range(blocks):
            for bot in bots:
                samples[bot.name] += run_load(bot.port, bot.conversation, level, rounds[level])
        for bot in bots:
            bot.result[level] = summarise(samples[bot.name])


def rasa_server(name: str, command: List[str], workdir: Path, model: Path, endpoints: Path, port: int,
                log_dir: Path, env: Optional[Dict[str, str]] = None) -> servers.Server:
    args = [*command, "run", "--model", str(model), "--endpoints", str(endpoints), "--port", str(port)]
    return servers.Server(name, args, f"http://127.0.0.1:{port}/", log_dir / f"{name}.log",
                          env=servers.server_env(**(env or {})), cwd=workdir)


def knowledge_change_time(workdir: Path, running: subprocess.Popen, action_port: int, rasa_port: int,
                          log_dir: Path) -> float:
    """Edit a knowledge-base text, restart the action server, time until visitors see it."""
    marker = f"Benchmark edit {uuid.uuid4().hex[:6]}."
    path = workdir / "assistant" / "knowledge" / "concerns" / "wrinkles.yml"
    text = path.read_text()
    started = time.monotonic()
    path.write_text(text.replace("summary: >-\n", f"summary: >-\n  {marker}\n", 1))
    running.terminate()
    running.wait()
    actions = start_action_server(workdir, action_port, log_dir)
    try:
        while marker not in str(requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                                              json={"sender": uuid.uuid4().hex, "message": "I have wrinkles"},
                                              timeout=60).json()):
            time.sleep(0.2)
        return time.monotonic() - started
    finally:
        actions.terminate()
        actions.wait()


def start_action_server(workdir: Path, port: int, log_dir: Path) -> subprocess.Popen:
    process = subprocess.Popen([RASA, "run", "actions", "--port", str(port)], cwd=workdir,
                               env=servers.server_env(), stdout=open(log_dir / f"actions-{port}.log", "ab"),
                               stderr=subprocess.STDOUT)
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                return process
        except requests.RequestException:
            time.sleep(0.2)


def table(rows: Dict[str, Dict[Any, Any]], extras: Dict[str, str]) -> str:
    lines = [f"Benchmark {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
             f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
             f"{platform.python_implementation()} {platform.python_version()}", ""]
    lines.append("| measure | this assistant | stock rasa init bot |")
    lines.append("| --- | --- | --- |")
    ours, stock = rows["assistant"], rows["stock"]
    lines.append(f"| full training time | {ours['train_s']:.0f} s | {stock['train_s']:.0f} s |")
    lines.append(f"| start to first answer | {ours['start_s']:.1f} s | {stock['start_s']:.1f} s |")
    lines.append(f"| resident memory after warm-up (Rasa server) | {ours['rss_mb']:.0f} MB "
                 f"| {stock['rss_mb']:.0f} MB |")
    for level in LEVELS:
        o, s = ours[level], stock[level]
        lines.append(f"| {level} visitor(s): p50 / p95 / p99 | {o['p50']:.0f} / {o['p95']:.0f} / {o['p99']:.0f} ms "
                     f"| {s['p50']:.0f} / {s['p95']:.0f} / {s['p99']:.0f} ms |")
        lines.append(f"| {level} visitor(s): messages/s, errors | {o['msg_per_s']:.1f}, {o['errors']} of "
                     f"{o['messages']} | {s['msg_per_s']:.1f}, {s['errors']} of {s['messages']} |")
    for key, value in extras.items():
        lines.append(f"| {key} | {value} | n/a |")
    lines += ["", "this assistant / stock (targets of issue #23 in brackets):",
              f"- full training time: {ours['train_s'] / stock['train_s']:.2f}x (at most 1x)",
              f"- Rasa server memory after warm-up: {ours['rss_mb']:.0f} MB (at most 800 MB), "
              f"{ours['rss_mb'] / stock['rss_mb']:.2f}x",
              f"- messages/s at 10 visitors: {ours[10]['msg_per_s'] / stock[10]['msg_per_s']:.2f}x (at least 1.5x)",
              f"- p95 at 10 visitors: {ours[10]['p95'] / stock[10]['p95']:.2f}x (at most 1x)"]
    return "\n".join(lines)


def workers_table(rows: Dict[int, Dict[Any, Any]]) -> str:
    """This assistant on one address with 1 and with 2 Rasa server processes (SANIC_WORKERS)."""
    lines = ["", "One address, Rasa server processes (SANIC_WORKERS) on endpoints.scale.yml "
             "(PostgreSQL tracker store, Redis lock store):", "",
             "| measure | 1 process | 2 processes |", "| --- | --- | --- |"]
    one, two = rows[1], rows[2]
    lines.append(f"| resident memory after warm-up (all processes) | {one['rss_mb']:.0f} MB | {two['rss_mb']:.0f} MB |")
    for level in WORKER_LEVELS:
        o, t = one[level], two[level]
        lines.append(f"| {level} visitors: p50 / p95 | {o['p50']:.0f} / {o['p95']:.0f} ms "
                     f"| {t['p50']:.0f} / {t['p95']:.0f} ms |")
        lines.append(f"| {level} visitors: messages/s, errors | {o['msg_per_s']:.1f}, {o['errors']} of "
                     f"{o['messages']} | {t['msg_per_s']:.1f}, {t['errors']} of {t['messages']} |")
    lines += ["", "2 processes / 1: " + ", ".join(
        f"messages/s at {level} visitors {two[level]['msg_per_s'] / one[level]['msg_per_s']:.2f}x"
        for level in WORKER_LEVELS)]
    return "\n".join(lines)


def measure_workers(ours: Path, action_port: int, log_dir: Path, rounds: Dict[int, int],
                    blocks: int) -> Optional[Dict[int, Dict[Any, Any]]]:
    """1 and 2 Rasa server processes behind one port, sharing PostgreSQL and Redis, in alternating blocks.

    Skipped (None) where PostgreSQL or Redis is not installed (`.ci/run` and `make test` install them).
    """
    from harness.databases import Postgres, Redis

    root = Path(tempfile.mkdtemp(prefix="skin-bench-db-"))
    root.chmod(0o755)  # PostgreSQL runs as its own user
    started: List[Any] = []
    try:
        try:
            started.append(Postgres.start(root / "postgres", servers.free_port()))
            started.append(Redis.start(root / "redis", servers.free_port()))
        except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
            print(f"1 against 2 Rasa server processes skipped: {error}")
            return None
        env = servers.scale_out_env(action_port, *started)
        bots = [Bot(f"assistant-{count}-process", ours, ours / "endpoints.scale.yml", OUR_CONVERSATION,
                    OUR_SERVER) for count in WORKERS]
        for bot, count in zip(bots, WORKERS):
            bot.port = servers.free_port()
            bot.server = rasa_server(bot.name, bot.server_command, ours, ours / "models" / "bench.tar.gz",
                                     bot.endpoints, bot.port, log_dir, env={**env, "SANIC_WORKERS": str(count)})
            first_answer_time(bot.server, bot.port)
        try:
            for bot in bots:
                run_load(bot.port, bot.conversation, 5, 1)
                assert bot.server is not None and bot.server.process is not None
                bot.result["rss_mb"] = rss_mb(bot.server.process.pid)
            measure_levels(bots, rounds, blocks, WORKER_LEVELS)
        finally:
            for bot in bots:
                if bot.server:
                    bot.server.stop()
        return {count: bot.result for count, bot in zip(WORKERS, bots)}
    finally:
        for database in reversed(started):
            database.stop()
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer visitors, one block per level")
    parser.add_argument("--no-workers", action="store_true", help="skip 1 against 2 Rasa server processes")
    args = parser.parse_args()
    rounds, blocks = (QUICK_ROUNDS, 1) if args.quick else (ROUNDS, BLOCKS)
    work = Path(tempfile.mkdtemp(prefix="skin-bench-"))
    logs = work / "logs"
    logs.mkdir()
    try:
        # this assistant, from a copy so the benchmark can edit its knowledge base
        ours = work / "assistant"
        shutil.copytree(ROOT, ours, ignore=shutil.ignore_patterns(".venv", "node_modules", "models", ".rasa",
                                                                  "test-artifacts", "results", "*.db*", ".git"))
        stock = work / "stock"
        stock.mkdir()
        subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(stock)], env=servers.server_env(),
                       check=True, capture_output=True)
        action_port = servers.free_port()
        endpoints = servers.write_endpoints(work / "endpoints.yml", action_port, work / "bench.db")
        # trained as `make train` trains it (its domain is the folder domain/)
        assistant = Bot("assistant", ours, endpoints, OUR_CONVERSATION, OUR_SERVER, ["--domain", "domain"])
        bots = [assistant, Bot("stock", stock, stock / "endpoints.yml", STOCK_CONVERSATION, [RASA])]
        for bot in bots:
            bot.result["train_s"] = run_timed(
                [RASA, "train", "--force", "--fixed-model-name", "bench", "--out", "models", *bot.train_args],
                bot.workdir)
        actions = start_action_server(ours, action_port, logs)
        try:
            for bot in bots:
                start_bot(bot, logs)
            measure_levels(bots, rounds, blocks)
            assistant.result["actions_rss_mb"] = rss_mb(actions.pid)
            for bot in bots:
                if bot.server:
                    bot.server.stop()
            workers = None if args.no_workers else measure_workers(ours, action_port, logs, rounds, blocks)
            assert assistant.server is not None
            assistant.server.start()
            kb_change = knowledge_change_time(ours, actions, action_port, assistant.port, logs)
        finally:
            for bot in bots:
                if bot.server:
                    bot.server.stop()
            actions.terminate()
            actions.wait()
        report = table({bot.name: bot.result for bot in bots}, {
            "action server memory": f"{assistant.result['actions_rss_mb']:.0f} MB",
            "apply a knowledge-base text change (no retraining)": f"{kb_change:.1f} s",
        }) + (workers_table(workers) if workers else "")
        print(report)
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"benchmark-{datetime.now(timezone.utc):%Y%m%d-%H%M}.md"
        out.write_text(report + "\n", encoding="utf-8")
        print(f"\nwritten to {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
