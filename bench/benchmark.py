"""Benchmark this assistant against the stock `rasa init` bot, with the same Rasa.

    .venv/bin/python -m bench.benchmark [--quick]

Measures, for both bots on this machine: full training time, server start time
to first answer, resident memory after warm-up, REST round-trip latency
(p50/p95/p99) and throughput at 1, 10 and 50 concurrent visitors, errors; and
for this assistant the time to apply a knowledge-base text change (action
server restart, no retraining). Prints a table and writes it to
bench/results/. Nothing here asserts a time: see the README for a recorded run.
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
from typing import Callable, Dict, List, Sequence, Tuple

import requests

from tests import servers

ROOT = servers.ROOT
RASA = str(servers.VENV_BIN / "rasa")
RESULTS = ROOT / "bench" / "results"
OUR_CONVERSATION = [
    "hi", "I have little holes left from pimples", "yes", '/inform{"body_area": "face"}', "about 3 years",
    '/inform{"skin_reaction": "rarely"}', '/inform{"treatment": "none"}', '/inform{"caution": "none"}',
    "does it hurt?", "show my summary",
]
STOCK_CONVERSATION = ["hi", "I am sad", "yes", "great", "are you a bot?", "bye", "hello", "not really", "no", "bye"]
LEVELS = (1, 10, 50)


def run_timed(args: Sequence[str], cwd: Path) -> float:
    started = time.monotonic()
    subprocess.run(list(args), cwd=cwd, env=servers.server_env(), check=True, capture_output=True)
    return time.monotonic() - started


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


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


def load(port: int, conversation: List[str], visitors: int, turns_each: int) -> Dict[str, float]:
    """`visitors` concurrent visitors, each sending `turns_each` messages in a row."""
    url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"

    def visitor(_: int) -> Tuple[List[float], int]:
        sender, latencies, errors = uuid.uuid4().hex, [], 0
        for turn in range(turns_each):
            started = time.monotonic()
            try:
                response = requests.post(url, json={"sender": sender, "message": conversation[turn % len(conversation)]},
                                         timeout=120)
                errors += 0 if response.ok and response.json() else 1
            except requests.RequestException:
                errors += 1
            latencies.append(time.monotonic() - started)
        return latencies, errors

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=visitors) as pool:
        results = list(pool.map(visitor, range(visitors)))
    elapsed = time.monotonic() - started
    latencies = sorted(x for r in results for x in r[0])
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {"p50": quantiles[49] * 1000, "p95": quantiles[94] * 1000, "p99": quantiles[98] * 1000,
            "msg_per_s": len(latencies) / elapsed, "errors": sum(r[1] for r in results), "messages": len(latencies)}


def measure_bot(name: str, workdir: Path, model: Path, endpoints: Path, conversation: List[str],
                turns_each: int, log_dir: Path) -> Dict[str, object]:
    port = servers.free_port()
    server = rasa_server(name, workdir, model, endpoints, port, log_dir)
    start = first_answer_time(server, port)
    try:
        load(port, conversation, 5, 10)  # warm-up
        result: Dict[str, object] = {"start_s": start, "rss_mb": rss_mb(server.process.pid)}
        for level in LEVELS:
            result[level] = load(port, conversation, level, turns_each if level > 1 else 4 * turns_each)
        return result
    finally:
        server.stop()


def rasa_server(name: str, workdir: Path, model: Path, endpoints: Path, port: int, log_dir: Path) -> servers.Server:
    return servers.Server(name, [RASA, "run", "--model", str(model), "--endpoints", str(endpoints), "--port", str(port)],
                          f"http://127.0.0.1:{port}/", log_dir / f"{name}.log", cwd=workdir)


def knowledge_change_time(workdir: Path, running: subprocess.Popen, action_port: int, rasa_port: int,
                          log_dir: Path) -> float:
    """Edit a knowledge-base text, restart the action server, time until visitors see it."""
    marker = f"Benchmark edit {uuid.uuid4().hex[:6]}."
    path = workdir / "actions" / "knowledge" / "concerns" / "wrinkles.yml"
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


def table(rows: Dict[str, Dict[str, object]], extras: Dict[str, str]) -> str:
    lines = [f"Benchmark {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores, "
             f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
             f"{platform.python_implementation()} {platform.python_version()}", ""]
    lines.append("| measure | this assistant | stock rasa init bot |")
    lines.append("| --- | --- | --- |")
    ours, stock = rows["assistant"], rows["stock"]
    lines.append(f"| full training time | {ours['train_s']:.0f} s | {stock['train_s']:.0f} s |")
    lines.append(f"| start to first answer | {ours['start_s']:.1f} s | {stock['start_s']:.1f} s |")
    lines.append(f"| resident memory after warm-up (Rasa server) | {ours['rss_mb']:.0f} MB | {stock['rss_mb']:.0f} MB |")
    for level in LEVELS:
        o, s = ours[level], stock[level]
        lines.append(f"| {level} visitor(s): p50 / p95 / p99 | {o['p50']:.0f} / {o['p95']:.0f} / {o['p99']:.0f} ms "
                     f"| {s['p50']:.0f} / {s['p95']:.0f} / {s['p99']:.0f} ms |")
        lines.append(f"| {level} visitor(s): messages/s, errors | {o['msg_per_s']:.1f}, {o['errors']} of "
                     f"{o['messages']} | {s['msg_per_s']:.1f}, {s['errors']} of {s['messages']} |")
    for key, value in extras.items():
        lines.append(f"| {key} | {value} | n/a |")
    ratio = ours[10]["p95"] / stock[10]["p95"]
    lines += ["", f"p95 at 10 visitors, this assistant / stock: {ratio:.2f}x (target: within 1.2x)"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages per visitor")
    args = parser.parse_args()
    turns_each = 4 if args.quick else 10
    work = Path(tempfile.mkdtemp(prefix="skin-bench-"))
    logs = work / "logs"
    logs.mkdir()
    rows: Dict[str, Dict[str, object]] = {}
    try:
        # this assistant, from a copy so the benchmark can edit its knowledge base
        ours = work / "assistant"
        shutil.copytree(ROOT, ours, ignore=shutil.ignore_patterns(".venv", "node_modules", "models", ".rasa",
                                                                  "test-artifacts", "results", "*.db", ".git"))
        train_ours = run_timed([RASA, "train", "--force", "--fixed-model-name", "bench", "--out", "models"], ours)
        action_port = servers.free_port()
        actions = start_action_server(ours, action_port, logs)
        endpoints = servers.write_endpoints(work / "endpoints.yml", action_port, work / "bench.db")
        try:
            rows["assistant"] = measure_bot("assistant", ours, ours / "models" / "bench.tar.gz", endpoints,
                                            OUR_CONVERSATION, turns_each, logs)
            rows["assistant"]["train_s"] = train_ours
            rows["assistant"]["actions_rss_mb"] = rss_mb(actions.pid)
        finally:
            actions.terminate()
            actions.wait()
        # knowledge-base text change, applied to a running Rasa server
        rasa_port = servers.free_port()
        rasa = rasa_server("assistant-kb", ours, ours / "models" / "bench.tar.gz", endpoints, rasa_port, logs).start()
        actions = start_action_server(ours, action_port, logs)
        try:
            kb_change = knowledge_change_time(ours, actions, action_port, rasa_port, logs)
        finally:
            rasa.stop()
        # the stock bot
        stock = work / "stock"
        stock.mkdir()
        subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(stock)], env=servers.server_env(),
                       check=True, capture_output=True)
        train_stock = run_timed([RASA, "train", "--force", "--fixed-model-name", "bench", "--out", "models"], stock)
        rows["stock"] = measure_bot("stock", stock, stock / "models" / "bench.tar.gz", stock / "endpoints.yml",
                                    STOCK_CONVERSATION, turns_each, logs)
        rows["stock"]["train_s"] = train_stock
        report = table(rows, {
            "action server memory": f"{rows['assistant']['actions_rss_mb']:.0f} MB",
            "apply a knowledge-base text change (no retraining)": f"{kb_change:.1f} s",
        })
        print(report)
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"benchmark-{datetime.now(timezone.utc):%Y%m%d-%H%M}.md"
        out.write_text(report + "\n", encoding="utf-8")
        print(f"\nwritten to {out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
