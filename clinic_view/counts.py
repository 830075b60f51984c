"""The report's counts, computed from the conversations of the retention window.

Each count is of conversations (a visitor counted once per concern, red
flag, caution ...), except the understanding counts and the consultation
clicks, which count messages. Nothing here hides small numbers: rendering
does, so that every figure shown passes through one rule.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import yaml

from assistant.knowledge_base import KnowledgeBase
from clinic_view import signals
from clinic_view.events import Conversation

LABELS_FILE = Path(__file__).with_name("labels.yml")
# The questionnaire's slots, in the order they are asked, and their label in the summary.
QUESTION_LABEL_KEYS = {"concern": "concern", "body_area": "body_area", "duration": "duration",
                       "skin_reaction": "skin_reaction", "treatments": "treatments", "cautions_done": "cautions"}

Rows = List[Tuple[str, int]]


@dataclass
class Counts:
    """Everything the report shows, as (label, count) rows."""

    first_day: dt.date
    last_day: dt.date
    retention_days: float
    conversations: int
    typed_messages: int
    per_day: Rows
    concerns: Rows
    funnel: Rows
    stopped_at: Rows
    red_flags: Rows
    cautions: Rows
    understanding: Rows
    consultation: Rows


def labels() -> Dict[str, Dict[str, str]]:
    """The report's own labels (clinic_view/labels.yml)."""
    return yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))


def day(timestamp: float) -> dt.date:
    """The UTC day of a timestamp."""
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date()


def rows(counter: Counter, names: Dict[str, str]) -> Rows:
    """Rows in the order of `names` (all of them, zeros included), then any other key."""
    known = [(names[k], counter[k]) for k in names]
    return known + [(k, n) for k, n in sorted(counter.items()) if k not in names]


def per_day(conversations: Iterable[Conversation], first: dt.date, last: dt.date) -> Rows:
    """Conversations started on each day from `first` to `last`, zeros included."""
    counter = Counter(day(c.started) for c in conversations)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [(d.isoformat(), counter[d]) for d in days]


def caution_answers(conversation: Conversation) -> List[str]:
    """The cautions declared in the safety check, or that none applied, or that it was skipped."""
    declared = sorted(signals.listed(signals.slot_values(conversation, "cautions")) - {"none"})
    if declared:
        return declared
    answers = signals.slot_values(conversation, signals.LAST_QUESTION)
    if signals.NOT_GIVEN in answers:
        return [signals.NOT_GIVEN]
    return ["none"] if True in answers else []


def compute(conversations: List[Conversation], kb: KnowledgeBase, retention_days: float, today: dt.date) -> Counts:
    """Count what the report shows."""
    names = labels()
    question_labels = kb.questionnaire["summary"]["labels"]
    concerns: Counter = Counter()
    cautions: Counter = Counter()
    red_flags: Counter = Counter()
    funnel: Counter = Counter()
    stopped: Counter = Counter()
    understanding: Counter = Counter()
    consultation: Counter = Counter()
    typed = 0
    for conversation in conversations:
        concerns.update(signals.listed(signals.slot_values(conversation, "concern")))
        cautions.update(caution_answers(conversation))
        red_flags.update(signals.red_flags(conversation))
        funnel.update(step for step, done in (
            ("offered", signals.offered_questionnaire(conversation)),
            ("started", signals.started_questionnaire(conversation)),
            ("finished", signals.finished_questionnaire(conversation))) if done)
        where = signals.stopped_at(conversation)
        if where:
            stopped[where] += 1
        consultation.update(link if link in names["consultation"] else "other"
                            for link in signals.consultation_links(conversation))
        for turn in signals.turns(conversation):
            typed += turn.typed
            kind = signals.misunderstanding(turn, kb.general["question_not_known"])
            if kind:
                understanding[kind] += 1
    first = today - dt.timedelta(days=int(retention_days))
    return Counts(
        first_day=first, last_day=today, retention_days=retention_days,
        conversations=len(conversations), typed_messages=typed,
        per_day=per_day(conversations, first, today),
        concerns=rows(concerns, {c.id: c.name for c in kb.concerns.values()}),
        funnel=rows(funnel, names["funnel"]),
        stopped_at=rows(stopped, {s: question_labels[k] for s, k in QUESTION_LABEL_KEYS.items()}),
        red_flags=rows(red_flags, names["red_flags"]),
        cautions=rows(cautions, {**{o.id: o.title for o in kb.options["cautions"] if o.id != "none"},
                                 **names["cautions"]}),
        understanding=rows(understanding, names["understanding"]),
        consultation=[(label, n) for (key, label), (_, n) in zip(
            names["consultation"].items(), rows(consultation, names["consultation"])) if key != "other" or n],
    )
