"""Export what the assistant did not understand, masked and de-duplicated, as a Rasa NLU file to label.

    python -m clinic_view.review [--endpoints endpoints.yml] [--days 30] [--out review/to_label.yml]

Takes the visitors' typed messages of the retention window that went to the
fallback, to the concern confirmation ("It sounds like ..., is that
right?") or to the answer for a question it did not know; masks e-mail
addresses, phone and other long numbers, dates, URLs, postcodes and given
names; keeps one copy of each. Each example sits under the intent the
assistant guessed, with why it is there and how often it was seen, so the
file is valid Rasa training data: label it (move, annotate, delete), then
move it into data/nlu/ (see docs/deploying.md, "The clinic's view").
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Set

import yaml

from assistant import contract
from assistant.knowledge_base import load_knowledge_base
from clinic_view import signals
from clinic_view.events import Conversation, command_line, read_conversations
from clinic_view.masking import mask

DEFAULT_OUT = "review/to_label.yml"
REVIEWED = {signals.NOT_UNDERSTOOD, signals.CONFIRMED, signals.NOT_KNOWN}
UNSURE_HOLDER = "out_of_scope"
HEADER = """\
# Messages the assistant did not understand ({count}), from {days:g} days of conversations.
# Identifiers are masked ([email], [number], [date], [url], [name] ...); each message appears once.
# Nothing here is labelled yet: every example sits under the intent the assistant GUESSED, which
# was unsure or wrong (metadata `why`: not_understood, confirmed, question_not_known), with its
# guessed `concern` (describe_concern) or `topic` (ask_question) where it had one.
# To label: move each example to the intent it really means and correct or add its `concern`
# ids / `topic` key (see data/README.md), delete any that are of no use or still identify
# someone, then move the file into data/nlu/ and run `make validate`, `make train`, `make evaluate`.
"""


@dataclass
class Unclear:
    """One masked message, the assistant's guess, why it is here and how often it was seen.

    `label`: the guessed concerns (describe_concern) or topic (ask_question),
    as the training data labels them in the example's metadata.
    """

    text: str
    intent: str
    why: str
    label: Dict[str, Any] = field(default_factory=dict)
    seen: int = 1


def guessed_label(turn: signals.Turn, intent: str) -> Dict[str, Any]:
    """The metadata label the training data needs for the guessed intent, as the assistant guessed it."""
    if intent == "describe_concern" and turn.suggested_concerns():
        return {"concern": turn.suggested_concerns()}
    if intent == "ask_question" and turn.guessed_topic():
        return {"topic": turn.guessed_topic()}
    return {}


def dedup_key(text: str) -> str:
    """Messages that differ only in case, spacing or end punctuation are the same message."""
    return re.sub(r"\s+", " ", text.casefold()).strip(" .!?,;:")


def unclear_messages(conversations: Iterable[Conversation], question_not_known: str,
                     intents: Set[str]) -> List[Unclear]:
    """The masked, de-duplicated messages to review, most often seen first."""
    found: Dict[str, Unclear] = {}
    forms: Dict[str, Counter] = {}
    for conversation in conversations:
        for turn in signals.turns(conversation):
            why = signals.misunderstanding(turn, question_not_known)
            if why not in REVIEWED or not turn.typed:
                continue
            text = mask(str(turn.message.get("text") or ""))
            key = dedup_key(text)
            if not key:
                continue
            forms.setdefault(key, Counter())[text] += 1
            if key in found:
                found[key].seen += 1
                continue
            guess = turn.guessed_intent()
            intent = guess if guess in intents else UNSURE_HOLDER
            found[key] = Unclear(text, intent, str(why), guessed_label(turn, intent))
    for key, unclear in found.items():  # written as most often, else in its shortest form
        unclear.text = min(forms[key], key=lambda form: (-forms[key][form], len(form), form))
    return sorted(found.values(), key=lambda u: (-u.seen, u.intent, u.text))


def nlu_yaml(messages: List[Unclear], days: float) -> str:
    """The messages as a Rasa NLU training-data file, grouped by the guessed intent."""
    groups: Dict[str, List[dict]] = {}
    for message in messages:
        groups.setdefault(message.intent, []).append(
            {"text": message.text, "metadata": {**message.label, "why": message.why, "seen": message.seen}})
    data = {"version": "3.1", "nlu": [{"intent": intent, "examples": examples}
                                      for intent, examples in sorted(groups.items())]}
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    return HEADER.format(count=len(messages), days=days) + body


def write_review(endpoints: str, days: float, out: Path) -> int:
    """Export the messages to `out`; return how many."""
    kb = load_knowledge_base()
    messages = unclear_messages(read_conversations(endpoints, days), kb.general["question_not_known"],
                                set(contract.INTENTS))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(nlu_yaml(messages, days), encoding="utf-8")
    return len(messages)


def main() -> int:
    args = command_line(__doc__.splitlines()[0], DEFAULT_OUT)
    count = write_review(args.endpoints, args.days, args.out)
    print(f"Wrote {count} message(s) to label to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
