"""Score the round-2 blind sets: concerns, questions and cautions, as the assistant acts on each message.

    python -m evaluation.round2 --model models/skin-assistant.tar.gz

The three files of `tests/blind/round2/` were written by a helper who did not
see the training data. Each message is parsed by the trained model as a
visitor's first message and answered by the real decisions
(`evaluation.replies.first_reply`); the safety reader's triage of it
(`evaluation.safety.triage`) says whether it raised an alarm.

- concerns (`concerns_blind.yml`): *set outright* when the concern ids that
  reach the `concern` slot equal the labels; *right or offered first* when
  set outright, or when nothing was set and the first confirmation button is
  a right concern; a *false concern* is any concern set for a message
  labelled `concerns: []`.
- questions (`questions_blind.yml`): *on topic* when the reply's source is
  one of the message's `accept` entries, or an accepted `caution:<id>` is
  named and answered in the same turn; an alarm is not on topic.
- cautions (`cautions_blind.yml`): *named* when every listed caution is
  named and answered in the same turn (a caution split out of another counts
  for it), with no alarm; a changing mole or skin cancer is answered by the
  mole red flag's reply, by design.

A false alarm is a red-flag reply, except the mole reply to a concern
description or to a message about a changing mole or skin cancer.

The report (JSON, every miss) and a summary are written to the output folder
as `round2-blind-report.*`.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import yaml

from assistant.knowledge_base import KnowledgeBase, load_knowledge_base
from evaluation.concerns import ANSWERING_INTENTS, Case, Outcome, outcome
from evaluation.parsing import parse_all
from evaluation.replies import first_reply, on_topic
from evaluation.safety import NONE, SAFETY_NET, triage

ROOT = Path(__file__).resolve().parent.parent
ROUND2 = ROOT / "tests" / "blind" / "round2"
MOLE = "mole"
# Cautions that the red flag of a changing mole answers (typed anywhere, these words are that red flag).
MOLE_CAUTIONS = frozenset({"changing_mole", "skin_cancer"})


@dataclass(frozen=True)
class Scored:
    """One round-2 message: what the NLU found, the reply's source, and whether it raised an alarm."""

    outcome: Outcome
    source: str
    alarm_kind: Optional[str]
    labels: Dict[str, Any]

    @property
    def alarm(self) -> bool:
        """True when the message got a red-flag reply (the safety net's warning signs alone are no alarm)."""
        return self.alarm_kind is not None

    @property
    def false_alarm(self) -> bool:
        """An alarm, except the mole reply ("have it checked by a doctor soon") to a concern description or
        to a message about a changing mole or skin cancer: the knowledge base sends those words there by
        design (`options.yml`), and the question set says none of its messages tells of danger."""
        excused = "accept" not in self.labels and not set(self.labels.get("cautions") or []) - MOLE_CAUTIONS
        return self.alarm and not (excused and self.alarm_kind == MOLE)

    @property
    def named(self) -> List[str]:
        """The cautions named and answered in this turn (none when the message was not answered as such);
        the mole reply answers a changing mole or skin cancer."""
        if self.alarm:
            return sorted(MOLE_CAUTIONS) if self.alarm_kind == MOLE else []
        return self.outcome.cautions if self.outcome.intent.startswith(ANSWERING_INTENTS) else []


def load(name: str, blind: Path = ROUND2) -> List[Dict[str, Any]]:
    """The messages of one round-2 file, as written."""
    return list(yaml.safe_load((blind / name).read_text(encoding="utf-8"))["messages"])


def score(messages: Sequence[Dict[str, Any]], parses: Sequence[Dict[str, Any]], kb: KnowledgeBase) -> List[Scored]:
    """Each message's outcome (concerns, offered buttons, cautions, topic), reply source and alarm."""
    scored = []
    for m, parse in zip(messages, parses):
        case = Case(str(m["text"]), tuple(m.get("concerns") or []), str(m.get("style") or ""),
                    question=m.get("question"))
        level, kind, _ = triage([parse], kb)
        scored.append(Scored(outcome(case, parse, kb), first_reply(parse, kb).source,
                             None if level in (NONE, SAFETY_NET) else str(kind), m))
    return scored


def rate(items: Sequence[Scored], test: Callable[[Scored], bool]) -> Optional[float]:
    return round(sum(1 for s in items if test(s)) / len(items), 4) if items else None


def set_outright(s: Scored) -> bool:
    return s.outcome.recognised


def right_or_offered_first(s: Scored) -> bool:
    o = s.outcome
    return o.recognised or (not o.found and bool(o.offered) and o.offered[0] in o.case.concerns)


def question_on_topic(s: Scored) -> bool:
    accepted = s.labels["accept"]
    cautions = {f"caution:{i}" for i in s.named}
    return not s.alarm and (on_topic(s.source, accepted) or bool(cautions & set(accepted)))


def cautions_named(s: Scored) -> bool:
    return set(s.labels["cautions"]) <= set(s.named)


def concerns_report(scored: Sequence[Scored]) -> Dict[str, Any]:
    """Concern recognition overall, by style, and the false concerns on the negatives."""
    concern = [s for s in scored if s.outcome.case.concerns]
    negatives = [s for s in scored if not s.outcome.case.concerns]
    by_style: Dict[str, List[Scored]] = defaultdict(list)
    for s in scored:
        by_style[s.outcome.case.style].append(s)
    return {
        "messages": len(scored),
        "set_outright": rate(concern, set_outright),
        "right_or_offered_first": rate(concern, right_or_offered_first),
        "set_outright_counts": f"{sum(map(set_outright, concern))}/{len(concern)}",
        "per_style": {k: rate(v, set_outright) for k, v in sorted(by_style.items())},
        "negatives": len(negatives),
        "false_concerns": sum(1 for s in negatives if s.outcome.found),
        "negatives_offered_a_concern": sum(1 for s in negatives if s.outcome.offered),
        "false_alarms": sum(s.false_alarm for s in scored),
        "alarms_by_kind": dict(Counter(s.alarm_kind for s in scored if s.alarm)),
        "misses": [
            {"text": s.outcome.case.text, "expected": list(s.outcome.case.concerns), "found": s.outcome.found,
             "offered": s.outcome.offered, "intent": s.outcome.intent, "style": s.outcome.case.style}
            for s in scored if not set_outright(s)
        ],
    }


def questions_report(scored: Sequence[Scored]) -> Dict[str, Any]:
    """Questions answered on topic overall and by kind, and the false alarms."""
    by_kind: Dict[str, List[Scored]] = defaultdict(list)
    for s in scored:
        by_kind[s.labels["kind"]].append(s)
    return {
        "messages": len(scored),
        "on_topic": rate(scored, question_on_topic),
        "on_topic_counts": f"{sum(map(question_on_topic, scored))}/{len(scored)}",
        "by_kind": {k: rate(v, question_on_topic) for k, v in sorted(by_kind.items())},
        "false_alarms": sum(s.false_alarm for s in scored),
        "alarms_by_kind": dict(Counter(s.alarm_kind for s in scored if s.alarm)),
        "misses": [
            {"text": s.outcome.case.text, "accept": s.labels["accept"], "answered_from": s.source,
             "intent": s.outcome.intent, "alarm": s.alarm_kind}
            for s in scored if not question_on_topic(s)
        ],
    }


def cautions_report(scored: Sequence[Scored], kb: KnowledgeBase) -> Dict[str, Any]:
    """Cautions named overall and per caution; the ids the knowledge base does not have yet."""
    per: Dict[str, List[bool]] = defaultdict(list)
    for s in scored:
        for caution in s.labels["cautions"]:
            per[caution].append(caution in s.named)
    known = {o.id for o in kb.options["cautions"]}
    with_concern = [s for s in scored if s.outcome.case.concerns]
    return {
        "messages": len(scored),
        "named": rate(scored, cautions_named),
        "named_counts": f"{sum(map(cautions_named, scored))}/{len(scored)}",
        "per_caution": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(per.items())},
        "not_in_knowledge_base": sorted(set(per) - known),
        "concerns_set_outright": rate(with_concern, set_outright),
        "false_alarms": sum(s.false_alarm for s in scored),
        "alarms_by_kind": dict(Counter(s.alarm_kind for s in scored if s.alarm)),
        "misses": [
            {"text": s.outcome.case.text, "expected": s.labels["cautions"], "named": s.named,
             "intent": s.outcome.intent, "alarm": s.alarm_kind}
            for s in scored if not cautions_named(s)
        ],
    }


def markdown(result: Dict[str, Any]) -> str:
    """A short summary of the three reports, with every miss."""
    con, que, cau = result["concerns"], result["questions"], result["cautions"]
    lines = [
        "# Round-2 blind sets", "",
        f"- concerns ({con['messages']}): set outright {con['set_outright']} ({con['set_outright_counts']}), "
        f"right or offered first {con['right_or_offered_first']}, false concerns {con['false_concerns']} "
        f"of {con['negatives']} negatives, false alarms {con['false_alarms']}",
        f"- questions ({que['messages']}): on topic {que['on_topic']} ({que['on_topic_counts']}), "
        f"false alarms {que['false_alarms']}",
        f"- cautions ({cau['messages']}): named {cau['named']} ({cau['named_counts']}), "
        f"false alarms {cau['false_alarms']}; not in the knowledge base yet: {cau['not_in_knowledge_base']}", "",
        "## Concern misses", "",
        *[f"- {m['text']!r}: expected {m['expected']}, found {m['found']}, offered {m['offered']} "
          f"({m['intent']}, {m['style']})" for m in con["misses"]],
        "", "## Questions off topic", "",
        *[f"- {m['text']!r}: answered from {m['answered_from']}, accepted {m['accept']} ({m['intent']})"
          + (" ALARM" if m["alarm"] else "") for m in que["misses"]],
        "", "## Cautions not named", "",
        *[f"- {m['text']!r}: expected {m['expected']}, named {m['named']} ({m['intent']})"
          + (" ALARM" if m["alarm"] else "") for m in cau["misses"]],
    ]
    return "\n".join(lines) + "\n"


def evaluate(model_path: Path, out: Path, blind: Path = ROUND2) -> Dict[str, Any]:
    """Parse the three round-2 sets, write the report and summary to `out`, and return the report."""
    kb = load_knowledge_base()
    sets = {name: load(f"{name}_blind.yml", blind) for name in ("concerns", "questions", "cautions")}
    texts = [str(m["text"]) for messages in sets.values() for m in messages]
    parses = iter(asyncio.run(parse_all(model_path, texts)))
    scored = {name: score(messages, [next(parses) for _ in messages], kb) for name, messages in sets.items()}
    result = {"concerns": concerns_report(scored["concerns"]), "questions": questions_report(scored["questions"]),
              "cautions": cautions_report(scored["cautions"], kb)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "round2-blind-report.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (out / "round2-blind-report.md").write_text(markdown(result), encoding="utf-8")
    return result


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "skin-assistant.tar.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts")
    args = parser.parse_args(argv)
    result = evaluate(args.model, args.out)
    print("\n".join(markdown(result).splitlines()[:6]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
