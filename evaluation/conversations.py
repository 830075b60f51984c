"""Multi-turn conversations played against the real servers, scored against a blind set.

    python -m evaluation.conversations [--out test-artifacts]

Each conversation of `tests/blind/conversations/conversations_blind.yml` is
sent turn by turn over the REST channel to a Rasa server with its action
server (started here, as `make run` starts them). After each turn the
conversation's events are read back, and the turn is *handled* when every
expectation holds:

- `answer`: the bot's reply is one of those listed. What a reply is comes
  from the conversation itself: each message of a custom action carries the
  source of its content in its metadata (`faq:<topic>`, `concern:<id>`,
  `detail:<concern>:<detail>`, `caution:<id>`, `aftercare`...); a question of
  the questionnaire is `ask:<slot>`, its end `summary`; a fixed reply is named
  by its response (`utter_youre_welcome` is `thanks`).
- `concern`: the conversation's concern slot afterwards.
- `alarm`: the urgency of the red-flag reply (`emergency`, `urgent`, `soon`),
  a more urgent one counting too; a turn without `alarm` (or with `alarm:
  none`) must raise none.
- `deleted`: the conversation is gone from the store.

A conversation is handled when all its turns are. The report (every turn
with what it got) and a summary go to the output folder.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

import yaml

from assistant import contract as c
from assistant.knowledge_base import KnowledgeBase, load_knowledge_base
from evaluation.replies import on_topic
from harness import servers

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "blind" / "conversations" / "conversations_blind.yml"
LEVELS = ("soon", "urgent", "emergency")
# Fixed replies, by the label the blind set gives them.
RESPONSE_LABELS = {
    "utter_greet": "greeting", "utter_goodbye": "goodbye", "utter_youre_welcome": "thanks",
    "utter_iamabot": "capabilities", "utter_help": "capabilities", "utter_out_of_scope": "out_of_scope",
    "utter_cannot_diagnose": "cannot_diagnose", "utter_cannot_prescribe": "cannot_prescribe",
    "utter_starting_over": "restarted", "utter_questionnaire_stopped": "stopped",
    "utter_no_questionnaire": "stopped", c.DELETE_ACTION: "deleted",
}


@dataclass(frozen=True)
class Turn:
    """A visitor's message and what must hold after the reply."""

    user: str
    expect: Dict[str, Any]


@dataclass(frozen=True)
class Conversation:
    id: str
    about: str
    turns: Sequence[Turn]


@dataclass
class Got:
    """What one turn got: the reply's labels, the alarm raised, the concern slot, deletion."""

    labels: List[str] = field(default_factory=list)
    alarm: Optional[str] = None
    concerns: List[str] = field(default_factory=list)
    deleted: bool = False


@dataclass
class TurnResult:
    conversation: str
    user: str
    expect: Dict[str, Any]
    got: Got
    failures: List[str]

    @property
    def handled(self) -> bool:
        return not self.failures


def load_conversations(path: Path = BLIND) -> List[Conversation]:
    """The blind conversations."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Conversation(str(conv["id"]), str(conv.get("about", "")),
                         tuple(Turn(str(t["user"]), dict(t.get("expect") or {})) for t in conv["turns"]))
            for conv in data["conversations"]]


def latest_turn(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events after the latest visitor message."""
    last = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return events[last + 1:]


def read_turn(tracker: Dict[str, Any], kb: KnowledgeBase, texts_before: Sequence[str]) -> Got:
    """What the latest turn of a conversation got, from its stored events and slots."""
    events = tracker.get("events") or []
    slots = tracker.get("slots") or {}
    got = Got(concerns=list(slots.get(c.CONCERN_SLOT) or []))
    levels = {f"utter_{flag.intent}": flag.level for flag in kb.red_flags}
    action = ""
    for event in latest_turn(events):
        if event.get("event") == "action":
            action = str(event.get("name") or "")
            if action in RESPONSE_LABELS:
                got.labels.append(RESPONSE_LABELS[action])
            if action in levels:
                got.alarm = more_urgent(got.alarm, levels[action])
        elif event.get("event") == "bot":
            source = (event.get("metadata") or {}).get(c.REPLY_SOURCE)
            if source == "questionnaire":
                asked = slots.get(c.REQUESTED_SLOT)
                source = f"ask:{asked}" if asked and (tracker.get("active_loop") or {}).get("name") else "summary"
            if source:
                got.labels.append(str(source))
    earlier = {str(e.get("text")) for e in events if e.get("event") == "user"}
    got.deleted = bool(texts_before) and not (earlier & set(texts_before))
    if got.deleted and latest_turn(events) == events:  # the store kept nothing of the turn: it deleted it
        got.labels.append("deleted")
    return got


def more_urgent(first: Optional[str], second: str) -> str:
    return second if first is None or LEVELS.index(second) > LEVELS.index(first) else first


def answered_as(labels: Sequence[str], expected: Sequence[str]) -> bool:
    """True when a label is an expected one (or a passage under it: `concern:x` covers `concern:x:...`)."""
    return any(on_topic(label, expected) for label in labels)


def failures(expect: Dict[str, Any], got: Got) -> List[str]:
    """The expectations a turn did not meet (empty when it was handled)."""
    missed = []
    answers = [str(a) for a in expect.get("answer") or []]
    if answers and not answered_as(got.labels, answers):
        missed.append(f"answer {got.labels} not in {answers}")
    if "concern" in expect and sorted(expect["concern"] or []) != sorted(got.concerns):
        missed.append(f"concern {got.concerns} != {expect['concern']}")
    wanted = expect.get("alarm")
    if wanted in (None, "none"):
        if got.alarm is not None:
            missed.append(f"false alarm ({got.alarm})")
    elif got.alarm is None or LEVELS.index(got.alarm) < LEVELS.index(str(wanted)):
        missed.append(f"alarm {got.alarm} below {wanted}")
    if expect.get("deleted") and not got.deleted:
        missed.append("not deleted")
    return missed


def play(client: servers.RestClient, conversation: Conversation, kb: KnowledgeBase) -> List[TurnResult]:
    """Send a conversation turn by turn; what each turn got."""
    sender = f"blind-{conversation.id}-{uuid.uuid4().hex[:8]}"
    results: List[TurnResult] = []
    sent: List[str] = []
    for turn in conversation.turns:
        client.send(sender, turn.user)
        got = read_turn(client.tracker(sender), kb, sent)
        sent.append(turn.user)
        results.append(TurnResult(conversation.id, turn.user, turn.expect, got, failures(turn.expect, got)))
    return results


def play_all(client: servers.RestClient, kb: KnowledgeBase,
             conversations: Sequence[Conversation]) -> List[List[TurnResult]]:
    return [play(client, conversation, kb) for conversation in conversations]


def figures(played: Sequence[Sequence[TurnResult]]) -> Dict[str, Any]:
    """Turns and whole conversations handled, false alarms and missed alarms."""
    turns = [t for conversation in played for t in conversation]
    alarms = [t for t in turns if t.expect.get("alarm") not in (None, "none")]
    return {
        "conversations": len(played),
        "turns": len(turns),
        "turns_handled": round(sum(t.handled for t in turns) / len(turns), 4),
        "conversations_handled": round(sum(all(t.handled for t in conv) for conv in played) / len(played), 4),
        "alarms_expected": len(alarms),
        "alarms_missed": sum(any(f.startswith("alarm") for f in t.failures) for t in alarms),
        "false_alarms": sum(any(f.startswith("false alarm") for f in t.failures) for t in turns),
        "deletions_missed": sum("not deleted" in t.failures for t in turns),
    }


def write_report(played: Sequence[Sequence[TurnResult]], out: Path) -> Dict[str, Any]:
    """The figures, and every turn that was not handled, in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    summary = figures(played)
    misses = [{"conversation": t.conversation, "user": t.user, "expect": t.expect, "got": asdict(t.got),
               "failures": t.failures} for conv in played for t in conv if not t.handled]
    (out / "conversations-blind.json").write_text(json.dumps({"figures": summary, "misses": misses}, indent=1))
    return summary


@contextmanager
def running_servers(log_dir: Path) -> Iterator[servers.RestClient]:
    """An action server and a Rasa server on a temporary store, as `make run` starts them."""
    with tempfile.TemporaryDirectory() as work:
        action_port, rasa_port = servers.free_port(), servers.free_port()
        actions = servers.action_server(action_port, log_dir).start()
        endpoints = servers.write_endpoints(Path(work) / "endpoints.yml", action_port,
                                            Path(work) / "conversations.db")
        token = uuid.uuid4().hex
        rasa = servers.rasa_server(rasa_port, endpoints, log_dir, token).start()
        try:
            yield servers.RestClient(f"http://127.0.0.1:{rasa_port}", token)
        finally:
            rasa.stop()
            actions.stop()


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts")
    args = parser.parse_args(argv)
    kb = load_knowledge_base()
    args.out.mkdir(parents=True, exist_ok=True)
    with running_servers(args.out) as client:
        played = play_all(client, kb, load_conversations())
    print(json.dumps(write_report(played, args.out), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
