"""The clinic's view: `make report` and `make review` on stores with known numbers (SQLite and PostgreSQL).

The stores are written through the real tracker store (tests/clinic_store.py);
the report and the export run as `make report` / `make review` run them, and
the report is opened in Chromium with every request to another place refused
and recorded.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from privacy.tracker_store import PrivacySQLTrackerStore
from harness import servers
from tests.clinic_store import DAY, Visit, save

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NOT_UNDERSTOOD = ["zxqv blorp", "ZXQV  blorp!", "zxqv blorp", "my skin is weird, write to jane.doe@example.com",
                  "My skin is weird, write to jane.doe@example.com.", "call me on 07700 900123 about my face"]
CONFIRMED = "my jawline is kind of melting"
DURATION_TEXT = "since my wedding in 2019"


@dataclass
class Generated:
    """A store with known numbers, and what must never show."""

    endpoints: Path
    store: PrivacySQLTrackerStore
    senders: List[str] = field(default_factory=list)
    texts: List[str] = field(default_factory=list)

    def add(self, visit: Visit) -> str:
        sender = f"visitor-{uuid.uuid4().hex[:12]}"
        save(self.store, sender, visit)
        self.senders.append(sender)
        self.texts += visit.user_texts()
        return sender


def generate(kb, endpoints: Path, store: PrivacySQLTrackerStore) -> Generated:
    """36 conversations within 30 days, 6 older ones and an empty one (see the asserts)."""
    now = time.time()
    made = Generated(endpoints, store)
    for i in range(12):  # finished the questions, yesterday
        visit = Visit(kb, now - DAY).concern("stretch_marks").start_questions()
        visit.answer("body_area", "abdomen", "/inform{\"body_area\": \"abdomen\"}")
        visit.answer("duration", DURATION_TEXT, DURATION_TEXT)
        visit.answer("skin_reaction", "sometimes", "sometimes").answer("treatments", ["creams"], "creams")
        visit.safety_check(["pregnancy"] if i < 7 else [])
        if i < 9:
            visit.consultation("booking" if i < 6 else "call")
        made.add(visit)
    for _ in range(8):  # stopped at "how long", two days ago
        visit = Visit(kb, now - 2 * DAY).concern("acne_scars").start_questions()
        made.add(visit.answer("body_area", "face", "my cheeks").stop_questions())
    for _ in range(5):  # declared keloids at the safety check, then stopped, two days ago
        visit = Visit(kb, now - 2 * DAY).concern("scars").start_questions()
        visit.answer("body_area", "arms", "both forearms").answer("duration", "over_5_years", "for donkey's years")
        visit.answer("skin_reaction", "rarely", "hardly ever").answer("treatments", ["none"], "nothing whatsoever")
        made.add(visit.declare_cautions(["keloids"]).stop_questions())
    for _ in range(3):  # a red flag at the first question, two days ago
        visit = Visit(kb, now - 2 * DAY).concern("acne_scars").start_questions()
        made.add(visit.red_flag("red_flag_infection", "it is hot and full of pus"))
    for i in range(6):  # not understood, today
        visit = Visit(kb, now - 600).not_understood(NOT_UNDERSTOOD[i]).confirmation(CONFIRMED, "loose_skin")
        if i < 2:
            visit.question_not_known("do you sell gift cards", topic="sessions")
            visit.red_flag("red_flag_infection", "it is oozing")
        if i < 5:
            visit.out_of_scope("what's the weather in paris")
        if i == 0:
            visit.consultation("email")
        made.add(visit)
    two_sessions = Visit(kb, now - 3 * DAY).red_flag("red_flag_eye", "my eye is swollen shut")
    made.add(two_sessions.session().red_flag("red_flag_eye", "my eye is swollen shut again"))
    made.add(Visit(kb, now - 60))  # opened the chat, wrote nothing: no conversation
    for _ in range(6):  # older than the retention window
        visit = Visit(kb, now - 40 * DAY).concern("wrinkles").not_understood("an old forgotten message")
        made.add(visit.consultation("booking"))
    return made


def sqlite_store(kb, root: Path) -> Generated:
    root.mkdir(parents=True, exist_ok=True)
    db = root / "conversations.db"
    endpoints = servers.write_endpoints(root / "endpoints.yml", 5055, db)
    return generate(kb, endpoints, PrivacySQLTrackerStore(dialect="sqlite", db=str(db)))


@pytest.fixture(scope="module")
def sqlite_generated(kb, tmp_path_factory) -> Generated:
    return sqlite_store(kb, tmp_path_factory.mktemp("clinic-sqlite"))


@pytest.fixture(scope="module")
def postgres_generated(kb, postgres, tmp_path_factory) -> Generated:
    database = postgres.create_database(f"clinic_{uuid.uuid4().hex[:8]}")
    endpoints = tmp_path_factory.mktemp("clinic-pg") / "endpoints.yml"
    endpoints.write_text(postgres.tracker_store_yaml(database))
    store = PrivacySQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=postgres.port, db=database,
                                   username=postgres.user, password=postgres.password)
    return generate(kb, endpoints, store)


def run(module: str, endpoints: Path, out: Path) -> str:
    """Run the report or the export as `make report` / `make review` do."""
    result = subprocess.run(
        [str(servers.VENV_BIN / "python"), "-m", module, "--endpoints", str(endpoints), "--out", str(out)],
        cwd=servers.ROOT, env=servers.server_env(RETENTION_DAYS="30"), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def table(page: str, table_id: str) -> Dict[str, str]:
    """A report table as {label: count as shown}."""
    found = re.search(rf"<table id='{table_id}'>(.*?)</table>", page, re.S)
    assert found, table_id
    return {html.unescape(label): html.unescape(count) for label, count in
            re.findall(r"<th scope='row'>(.*?)</th><td>(.*?)</td>", found.group(1))}


def figure(page: str, figure_id: str) -> str:
    found = re.search(rf"id='{figure_id}'><strong>(.*?)</strong>", page)
    assert found, figure_id
    return html.unescape(found.group(1))


def report(generated: Generated, out: Path) -> str:
    run("clinic_view.report", generated.endpoints, out)
    return out.read_text(encoding="utf-8")


def assert_known_numbers(page: str) -> None:
    assert figure(page, "total-conversations") == "36"   # 12 + 8 + 5 + 3 + 6 + 2 sessions; not the old or empty ones
    days = table(page, "per-day")
    assert len(days) == 31 and list(days.values())[-4:] == ["<5", "16", "12", "6"]
    assert table(page, "concerns") == {
        "Acne scars": "11", "Dark spots and pigmentation": "0", "Loose or sagging skin": "0",
        "Scars (surgical, injury, burn)": "5", "Stretch marks": "12", "Uneven skin tone and texture": "0",
        "Fine lines and wrinkles": "0"}  # the 6 old wrinkles conversations are outside the window
    assert table(page, "funnel") == {"Offered the questions": "28", "Started them": "28", "Finished them": "12"}
    assert table(page, "stopped-at") == {"Concern": "0", "Where": "<5", "How long": "8",
                                         "Darkens after irritation": "0", "Treatments tried": "0",
                                         "Safety check": "5"}
    red_flags = table(page, "red-flags")  # every kind of red_flags.yml has a row
    assert red_flags["Signs of infection"] == "5" and red_flags["Eye problem"] == "<5"
    assert {name for name, count in red_flags.items() if count != "0"} == {"Signs of infection", "Eye problem"}
    assert len(red_flags) == 16
    cautions = table(page, "cautions")
    assert cautions["Pregnant or breastfeeding"] == "7" and cautions["None of these"] == "5"
    assert cautions["Skipped the safety check"] == "0" and cautions["Keloids or raised scars"] == "5"
    assert list(table(page, "understanding").values()) == ["6", "6", "<5", "5"]
    assert table(page, "consultation") == {"Book a consultation": "6", "Call the clinic": "<5",
                                           "E-mail the clinic": "<5"}


def assert_nothing_of_a_visitor(page: str, generated: Generated) -> None:
    for text in set(generated.texts) | {DURATION_TEXT, "abdomen", "jane.doe"}:
        assert text not in page and html.escape(text) not in page, text
    for sender in generated.senders:
        assert sender not in page


def test_report_counts_a_sqlite_store(sqlite_generated, tmp_path):
    page = report(sqlite_generated, tmp_path / "report.html")
    assert_known_numbers(page)
    assert_nothing_of_a_visitor(page, sqlite_generated)
    assert page.count("<svg") == 8  # a chart per section


def test_report_counts_a_postgresql_store(postgres_generated, tmp_path):
    page = report(postgres_generated, tmp_path / "report.html")
    assert_known_numbers(page)
    assert_nothing_of_a_visitor(page, postgres_generated)


def test_the_window_counts_whole_conversations_started_within_it(sqlite_generated, tmp_path):
    out = tmp_path / "report.html"
    result = subprocess.run(
        [str(servers.VENV_BIN / "python"), "-m", "clinic_view.report", "--endpoints",
         str(sqlite_generated.endpoints), "--out", str(out), "--days", "1.5"],
        cwd=servers.ROOT, env=servers.server_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    page = out.read_text(encoding="utf-8")
    assert figure(page, "total-conversations") == "18"  # today's 6 and yesterday's 12
    assert table(page, "concerns")["Stretch marks"] == "12" and table(page, "concerns")["Acne scars"] == "0"
    assert table(page, "funnel") == {"Offered the questions": "12", "Started them": "12", "Finished them": "12"}


def test_the_report_opens_in_chromium_without_asking_any_other_host(sqlite_generated, tmp_path, artifacts):
    from playwright.sync_api import sync_playwright

    out = tmp_path / "assistant-report.html"
    report(sqlite_generated, out)
    requested = []  # every URL the page asked for
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda request: requested.append(request.url))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto(out.as_uri())
            page.wait_for_load_state("networkidle")
            assert page.locator("svg").count() == 8
            assert page.locator("#funnel").inner_text().count("28") == 2
            screenshot = artifacts / "clinic-report.png"
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert [url for url in requested if not url.startswith("file:")] == []
    assert requested == [out.as_uri()]
    assert screenshot.stat().st_size > 50_000


def review(generated: Generated, out: Path) -> dict:
    run("clinic_view.review", generated.endpoints, out)
    return yaml.safe_load(out.read_text(encoding="utf-8"))


def examples(exported: dict) -> Dict[str, dict]:
    """{text: {"intent": ..., **metadata}} of an exported file."""
    return {e["text"]: {"intent": group["intent"], **e["metadata"]}
            for group in exported["nlu"] for e in group["examples"]}


def test_review_exports_masked_deduplicated_messages_as_rasa_training_data(sqlite_generated, tmp_path, kb):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    out = tmp_path / "to_label.yml"
    found = examples(review(sqlite_generated, out))
    assert found == {
        CONFIRMED: {"intent": "describe_concern", "concern": ["loose_skin"], "why": "confirmed", "seen": 6},
        "zxqv blorp": {"intent": "inform", "why": "not_understood", "seen": 3},
        "my skin is weird, write to [email]": {"intent": "inform", "why": "not_understood", "seen": 2},
        "call me on [number] about my face": {"intent": "inform", "why": "not_understood", "seen": 1},
        "do you sell gift cards": {"intent": "ask_question", "topic": "sessions", "why": "question_not_known",
                                   "seen": 2},
    }  # not the old message (outside the window), nor out-of-scope ones, nor button clicks
    text = out.read_text(encoding="utf-8")
    assert "jane.doe" not in text and "07700" not in text
    assert not any(sender in text for sender in sqlite_generated.senders)
    training = RasaYAMLReader().reads(text)  # Rasa reads it as NLU training data as it is
    assert {m.get("text") for m in training.intent_examples} == set(found)
    assert training.intents <= set(yaml.safe_load((servers.ROOT / "domain" / "dialogue.yml").read_text())["intents"])


def test_a_deleted_conversation_is_left_out_of_any_later_export(kb, tmp_path):
    generated = sqlite_store(kb, tmp_path / "store")
    marker = f"zebracorn {uuid.uuid4().hex[:8]}"
    visit = Visit(kb, time.time() - 120).not_understood(marker)
    sender = generated.add(visit)
    assert marker in examples(review(generated, tmp_path / "before.yml"))
    save(generated.store, sender, visit.delete_my_data())  # the turn in which the visitor said "delete my data"
    after = tmp_path / "after.yml"
    assert marker not in examples(review(generated, after)) and marker not in after.read_text()
    assert "zxqv blorp" in examples(review(generated, after))


def test_with_the_running_assistant_a_message_it_did_not_understand_is_exported_until_deleted(
        rest, sender, action_port, tmp_path):
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port, rest.db_path)
    generated = Generated(endpoints, PrivacySQLTrackerStore(dialect="sqlite", db=str(rest.db_path)))
    rest.send(sender, "asdkj zzz blorp, mail me at jane.doe@example.com")
    before = tmp_path / "before.yml"
    exported = examples(review(generated, before))
    assert exported.get("asdkj zzz blorp, mail me at [email]", {}).get("why") in (
        "not_understood", "question_not_known", "confirmed"), before.read_text(encoding="utf-8")
    assert "jane.doe" not in before.read_text(encoding="utf-8")
    assert "have been deleted" in servers.texts(rest.send(sender, "delete my data"))
    after = tmp_path / "after.yml"
    assert "asdkj zzz blorp, mail me at [email]" not in examples(review(generated, after))
