"""Measure the safety reader: blind sets of danger and look-alikes, and cross-validation over its corpus.

    python -m evaluation.safety --model models/skin-assistant.tar.gz
    python -m evaluation.safety --cross-validation

Blind sets (tests/blind/safety/, written by someone who did not see the
training data): `red_flags_blind.yml` (danger by kind and level, some told
only in the light of earlier messages), `self_harm_blind.yml` (self-harm and
suicidal thoughts, emergency or urgent) and `lookalikes_blind.yml` (messages
that must raise no alarm). Each message is parsed by the trained model after
its `context` messages, and triaged as the assistant does: the intent guard's
red-flag intent for a message sure by itself, else the triage with the
conversation (`assistant.safety.triage.assess`, as the safety policy calls
it). A message is recognised when it gets a reply of its level or a more
urgent one; a lower level, or only the warning signs, is under-triage.
The report (JSON, every miss and false alarm), a summary and a confusion
picture of the levels are written to the output folder.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from assistant import contract as c
from assistant.knowledge_base import LEVELS, KnowledgeBase, load_knowledge_base
from assistant.safety.triage import HARMLESS, POSSIBLE, Assessment, Reading, assess, context_from, reading_of

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "tests" / "blind" / "safety"
NONE = "none"
SAFETY_NET = "safety net"
# A level's rank: a higher number is more urgent.
RANK = {NONE: 0, SAFETY_NET: 0, **{level: len(LEVELS) - i for i, level in enumerate(LEVELS)}}
# Earlier messages are read as if sent this long before the message (a day apart).
DAY = 86400.0


@dataclass(frozen=True)
class Case:
    """One blind message: what it is (a kind and level, or none) and the messages before it."""

    text: str
    level: str
    kind: str
    context: Tuple[str, ...] = ()
    source: str = ""


def load_cases(blind: Path = BLIND) -> List[Case]:
    """Every message of the three blind sets."""
    cases: List[Case] = []
    for name in ("red_flags_blind.yml", "self_harm_blind.yml", "lookalikes_blind.yml"):
        for m in yaml.safe_load((blind / name).read_text(encoding="utf-8"))["messages"]:
            kind = str(m.get("kind") or (c.SELF_HARM if name.startswith("self_harm") else NONE))
            level = str(m.get("level") or NONE) if "like" not in m else NONE
            cases.append(Case(str(m["text"]), level, kind, tuple(m.get("context") or ()), name.split("_blind")[0]))
    return cases


def triage(parses: Sequence[Dict[str, Any]], kb: KnowledgeBase) -> Tuple[str, Optional[str], Assessment]:
    """The level and kind the last message of a conversation gets, and the triage behind it."""
    *earlier, last = parses
    now = time.time()
    timed = [(now - DAY * (len(earlier) - i), p) for i, p in enumerate(earlier)]
    reading = reading_of(last) or Reading({})
    found = assess(reading, kb.red_flags, context_from(timed, now, kb.red_flags))
    intent = (last.get("intent") or {}).get("name") or ""
    level_of = {flag.intent: flag.level for flag in kb.red_flags}
    kind_of = {flag.intent: flag.kind for flag in kb.red_flags}
    if intent in level_of:  # the intent guard's red flag: its rule answers
        return level_of[intent], kind_of[intent], found
    if found.sure:  # the safety policy answers
        return str(found.level), found.kind, found
    return (SAFETY_NET if found.outcome == POSSIBLE else NONE), found.kind, found


def report(cases: Sequence[Case], results: Sequence[Tuple[str, Optional[str], Assessment]]) -> Dict[str, Any]:
    """Recall per level and for self-harm, under-triage, false alarms, the confusion of levels."""
    def recognised(case: Case, level: str) -> bool:
        return RANK[level] >= RANK[case.level]

    dangers = [(k, r) for k, r in zip(cases, results) if k.level != NONE]
    looks = [(k, r) for k, r in zip(cases, results) if k.level == NONE]
    per_level = {level: [recognised(k, r[0]) for k, r in dangers if k.level == level] for level in LEVELS}
    self_harm = [recognised(k, r[0]) for k, r in dangers if k.kind in (c.SELF_HARM, "self_harm_plan")]
    confusion: Dict[str, Counter] = defaultdict(Counter)
    for k, r in zip(cases, results):
        confusion[k.level][r[0]] += 1

    def rate(values: Sequence[bool]) -> Optional[float]:
        return round(sum(values) / len(values), 4) if values else None

    under = [(k, r) for k, r in dangers if not recognised(k, r[0])]
    alarms = [(k, r) for k, r in looks if r[0] not in (NONE, SAFETY_NET)]
    return {
        "danger_messages": len(dangers),
        "look_alikes": len(looks),
        "recall": {level: rate(v) for level, v in per_level.items()},
        "recall_counts": {level: f"{sum(v)}/{len(v)}" for level, v in per_level.items()},
        "self_harm_recall": rate(self_harm),
        "self_harm_counts": f"{sum(self_harm)}/{len(self_harm)}",
        "with_context_recall": rate([recognised(k, r[0]) for k, r in dangers if k.context]),
        "under_triage": len(under),
        "under_triage_emergency": sum(1 for k, _ in under if k.level == "emergency"),
        "safety_net_only": sum(1 for _, r in under if r[0] == SAFETY_NET),
        "over_triage": sum(1 for k, r in dangers if RANK[r[0]] > RANK[k.level]),
        "false_alarms": len(alarms),
        "false_alarm_rate": rate([True] * len(alarms) + [False] * (len(looks) - len(alarms))),
        "look_alikes_with_warning_signs": sum(1 for _, r in looks if r[0] == SAFETY_NET),
        "confusion": {row: dict(cols) for row, cols in confusion.items()},
        "misses": [{"text": k.text, "context": list(k.context), "expected": f"{k.level} {k.kind}",
                    "got": f"{r[0]} {r[1] or ''}".strip(), "confidence": round(r[2].confidence, 3)}
                   for k, r in under],
        "alarms": [{"text": k.text, "like": k.kind, "got": f"{r[0]} {r[1]}"} for k, r in alarms],
    }


def markdown(result: Dict[str, Any]) -> str:
    """A short human-readable summary with every miss and false alarm."""
    lines = [
        f"# Safety reader on the blind sets ({result['danger_messages']} dangers, {result['look_alikes']} look-alikes)",
        "",
        "| level | recall |", "| --- | --- |",
        *[f"| {level} | {result['recall'][level]} ({result['recall_counts'][level]}) |" for level in LEVELS],
        f"| self-harm | {result['self_harm_recall']} ({result['self_harm_counts']}) |", "",
        f"- told with earlier messages: {result['with_context_recall']}",
        f"- under-triage: {result['under_triage']} (emergencies {result['under_triage_emergency']}; "
        f"{result['safety_net_only']} of them got the warning signs); over-triage: {result['over_triage']}",
        f"- false alarms on look-alikes: {result['false_alarms']} ({result['false_alarm_rate']}); "
        f"warning signs added: {result['look_alikes_with_warning_signs']}", "",
        "## Under-triage", "",
        *[f"- {m['expected']} -> {m['got']}: {m['text']!r}" + (f" (after {m['context']})" if m["context"] else "")
          for m in result["misses"]],
        "", "## False alarms", "",
        *[f"- {a['got']}: {a['text']!r} (like {a['like']})" for a in result["alarms"]],
    ]
    return "\n".join(lines) + "\n"


def plot_levels(result: Dict[str, Any], path: Path) -> None:
    """The confusion of levels as a PNG picture (rows: expected, columns: given)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [*LEVELS, NONE]
    columns = [*LEVELS, SAFETY_NET, NONE]
    values = [[result["confusion"].get(r, {}).get(col, 0) for col in columns] for r in rows]
    figure, axes = plt.subplots(figsize=(7, 5))
    axes.imshow(values, cmap="Reds")
    axes.set_xticks(range(len(columns)), labels=columns, rotation=30, ha="right")
    axes.set_yticks(range(len(rows)), labels=["emergency", "urgent", "soon", "look-alike"])
    axes.set_xlabel("reply given")
    axes.set_ylabel("expected")
    axes.set_title("Safety reader, blind sets: level of the reply")
    peak = max(max(row) for row in values) or 1
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            axes.text(j, i, str(value), ha="center", va="center", color="white" if value > peak / 2 else "black")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


async def parse_conversations(model_path: Path, conversations: Sequence[Sequence[str]]) -> List[List[Dict[str, Any]]]:
    """Each conversation's messages parsed by the trained model."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    parsed: List[List[Dict[str, Any]]] = []
    for texts in conversations:
        parsed.append([await agent.parse_message(text) for text in texts])
    return parsed


def evaluate_blind(model_path: Path, out: Path, blind: Path = BLIND) -> Dict[str, Any]:
    """Triage the blind sets, write the report, summary and picture to `out`, and return the report."""
    kb = load_knowledge_base()
    cases = load_cases(blind)
    parses = asyncio.run(parse_conversations(model_path, [[*k.context, k.text] for k in cases]))
    result = report(cases, [triage(p, kb) for p in parses])
    out.mkdir(parents=True, exist_ok=True)
    (out / "safety-blind-report.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    (out / "safety-blind-report.md").write_text(markdown(result), encoding="utf-8")
    plot_levels(result, out / "safety-blind-levels.png")
    return result


def cross_validate(folds: int = 5) -> Dict[str, Any]:
    """k-fold cross-validation of the safety reader over its corpus and the NLU data.

    Each held-out text is read with the classifier of the other folds and the
    phrase backstop (the built spaCy pipeline), without the intent classifier,
    and triaged alone: the level's recall, under-triage and false alarms.
    """
    texts, labels = training_examples()
    kb = load_knowledge_base()
    level_of = {flag.kind: flag.level for flag in kb.red_flags}
    readings = cross_validated_readings(texts, labels, folds)
    given = [assess(r, kb.red_flags) for r in readings]
    levels = [level_of.get(label, NONE) for label in labels]
    got = [str(a.level) if a.sure else (SAFETY_NET if a.outcome == POSSIBLE else NONE) for a in given]
    dangers = [i for i, level in enumerate(levels) if level != NONE]
    looks = [i for i, level in enumerate(levels) if level == NONE]
    return {
        "folds": folds, "examples": len(texts), "dangers": len(dangers), "others": len(looks),
        "recall": {level: round(sum(RANK[got[i]] >= RANK[level] for i in dangers if levels[i] == level)
                                / max(1, sum(1 for i in dangers if levels[i] == level)), 4) for level in LEVELS},
        "under_triage": sum(RANK[got[i]] < RANK[levels[i]] for i in dangers),
        "under_triage_emergency": sum(RANK[got[i]] < RANK[levels[i]] for i in dangers if levels[i] == "emergency"),
        "false_alarms": sum(got[i] not in (NONE, SAFETY_NET) for i in looks),
        "warning_signs_on_others": sum(got[i] == SAFETY_NET for i in looks),
        "harmless_outcome": sum(a.outcome == HARMLESS for a in given),
    }


def training_examples() -> Tuple[List[str], List[str]]:
    """The safety reader's training examples, as nlp/safety_reader.py gathers them."""
    from rasa.shared.nlu.training_data.loading import load_data

    from nlp.safety_reader import DEFAULT_CORPUS, training_examples as gathered

    return gathered(ROOT / DEFAULT_CORPUS, load_knowledge_base(), load_data(str(ROOT / "data" / "nlu")))


def cross_validated_readings(texts: Sequence[str], labels: Sequence[str], folds: int) -> List[Reading]:
    """Each text's reading by a classifier trained on the other folds, with the phrase backstop."""
    from sklearn.model_selection import StratifiedKFold

    from assistant.safety.model import SafetyModel
    from assistant.safety.phrases import PhraseReader

    phrases = PhraseReader(load_knowledge_base().red_flags)
    readings: List[Optional[Reading]] = [None] * len(texts)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=42).split(texts, labels):
        model = SafetyModel.fit([texts[i] for i in train], [labels[i] for i in train])
        for row, i in zip(model.confidences([texts[i] for i in test]), test):
            matches = phrases.read(texts[i], red_flag_entities(texts[i]))
            readings[i] = Reading(dict(zip(model.labels, map(float, row))), matches.real, matches.asked,
                                  matches.explained)
    return [r for r in readings if r is not None]


def red_flag_entities(text: str) -> List[Dict[str, Any]]:
    """The red-flag phrase matches of the built spaCy pipeline, as entities."""
    return [{"entity": e.label_, "value": e.ent_id_, "start": e.start_char, "end": e.end_char}
            for e in _pipeline()(text).ents if e.label_ == c.RED_FLAG]


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import spacy

    return spacy.load(ROOT / "nlp" / "build" / "skin_pipeline")


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "skin-assistant.tar.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts")
    parser.add_argument("--cross-validation", action="store_true", help="cross-validate the reader instead")
    args = parser.parse_args(argv)
    if args.cross_validation:
        result = cross_validate()
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "safety-cross-validation.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        print(json.dumps(result, indent=2))
        return 0
    print(markdown(evaluate_blind(args.model, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
