"""The phrase lists of red_flags.yml as a backstop: which kind a message's phrase matches name, after the set-asides.

The spaCy pipeline marks each phrase match as a `red_flag` entity whose value
is its kind. A match is set aside when the message explains it: an accident it
says how it happened ("I cut myself shaving"), a harmless phrase that contains
it ("hay fever"), or an everyday word used without a treatment or a worsening
around it ("red streaks since I gained weight"), or a match the message denies
("no blisters", "not bleeding"). A match that a question about
a risk or a past history explains ("can it cause an allergic reaction?", "I
once had an allergic reaction to a cream") tells of nothing now: it is set
aside and the classifier decides. A match in a message with one of another
kind's `escalate` cues is that kind (a cold sore near the eye is an eye problem).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from assistant import contract as c
from assistant.knowledge_base import RedFlag

Entity = Dict[str, Any]


NEGATIONS = frozenset({"no", "not", "never", "without", "nor", "isnt", "arent", "dont", "doesnt", "didnt", "wasnt",
                       "werent", "havent", "hasnt", "hadnt", "nothing", "zero"})
CLAUSE_BREAKS = frozenset({",", ".", ";", "!", "?", "but", "and", "though", "although", "just", "except"})
NEGATION_WINDOW = 3


def negated(text: str, start: int) -> bool:
    """True when a negation comes shortly before a position, in the same clause ("no blisters", "not bleeding")."""
    before = re.findall(r"[a-z']+|[,.;!?]", text[:start].lower().replace("’", "'"))[-NEGATION_WINDOW:]
    for token in reversed(before):
        bare = token.replace("'", "")
        if token in CLAUSE_BREAKS or bare in CLAUSE_BREAKS:
            return False
        if bare in NEGATIONS:
            return True
    return False


def words(text: str) -> List[str]:
    """The lower-case words of a text, apostrophes and punctuation dropped ("I'm" -> "i", "m")."""
    return re.findall(r"[a-z]+", text.lower())


def _spaced(text: str) -> str:
    return f" {' '.join(words(text))} "


@dataclass(frozen=True)
class PhraseMatches:
    """What a message's phrase matches say: the kinds they name now, and the kinds they only seem to name."""

    # Kinds named, escalated where the message says so, in the order they win.
    real: Tuple[str, ...]
    # Kinds whose every match was explained (an accident, a harmless phrase, an everyday word).
    explained: Tuple[str, ...]
    # Kinds whose matches were set aside as a question about a risk or a past history.
    asked: Tuple[str, ...]

    @property
    def first(self) -> Optional[str]:
        return self.real[0] if self.real else None


class PhraseReader:
    """Reads the `red_flag` entities of a parse with the rules of red_flags.yml."""

    def __init__(self, flags: Sequence[RedFlag]) -> None:
        self._flags = {flag.kind: flag for flag in flags}
        self._order = [flag.kind for flag in flags]

    def read(self, text: str, entities: Sequence[Entity]) -> PhraseMatches:
        """The kinds the message's phrase matches name, explain away or only ask about."""
        matches = [e for e in entities if e.get("entity") == c.RED_FLAG and e.get("value") in self._flags]
        asked = [e for e in matches if self._asked_about(e, text)]
        kept = [e for e in matches if e not in asked]
        explained = {str(e["value"]) for e in kept if self._explained(e, text)}
        real = {self._escalated(str(e["value"]), text) for e in kept if not self._explained(e, text)}
        asked_kinds = self._ordered(str(e["value"]) for e in asked)
        return PhraseMatches(self._ordered(real), self._ordered(explained), asked_kinds)

    def _ordered(self, kinds: Iterable[str]) -> Tuple[str, ...]:
        found = set(kinds)
        return tuple(k for k in self._order if k in found)

    def _escalated(self, kind: str, text: str) -> str:
        """The kind a match stands for: another one when the message has its cue (a cold sore near the eye)."""
        lowered = _spaced(text)
        for other, cues in self._flags[kind].escalate.items():
            if any(f" {' '.join(words(cue))} " in lowered for cue in cues):
                return other
        return kind

    def _asked_about(self, entity: Entity, text: str) -> bool:
        """True when a match tells of a risk asked about or of the past ("could it cause
        hives?", "I once had an allergic reaction"), not of a red flag now."""
        flag = self._flags[str(entity["value"])]
        span = set(words(text[entity.get("start", 0): entity.get("end", 0)]))
        lowered = _spaced(text)
        return bool(span & set(flag.question_words)) \
            and any(f" {' '.join(words(cue))} " in lowered for cue in flag.question_cues)

    def _explained(self, entity: Entity, text: str) -> bool:
        """True when a red-flag match is explained away: an accident the message describes
        ("I cut myself shaving"), a harmless phrase that contains it ("hay fever"), or a
        word with an everyday sense used without a procedure or a worsening ("red streaks
        since I gained weight")."""
        flag = self._flags[str(entity["value"])]
        if negated(text, int(entity.get("start", 0))):
            return True
        matched = text[entity.get("start", 0): entity.get("end", 0)].lower()
        lowered = f" {' '.join(re.findall(r'[a-z]+', text.lower()))} "
        if any(matched in phrase and f" {phrase} " in lowered for phrase in flag.exceptions):
            return True
        span = set(re.findall(r"[a-z]+", matched))
        if span & set(flag.context_words) and not any(f" {cue} " in lowered for cue in flag.context_cues):
            return True
        return bool(span & set(flag.accident_words)) and any(f" {cue} " in lowered for cue in flag.accident_cues)
