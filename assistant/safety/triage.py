"""The safety decision for one message in its conversation: sure, possible or none, with a kind and a level.

A `Reading` is what the Rasa server's safety reader found in the message
alone (the classifier's confidences, the phrase matches, a treatment told of,
whether the intent classifier is sure of something harmless); it travels in
the parse result under `safety`. A `Context` is what the conversation adds:
a treatment the visitor had and how long ago, and what earlier messages may
have told of. `assess` turns both into an `Assessment`:

- sure: the kind's reply at once, and the questionnaire pauses;
- possible: the answer to the message, with the kind's warning signs and what
  to do if they appear (safety-netting);
- none: no warning.

Under-triage (a lower level than the case needs) is the error that harms, so
when the classifier's confidence is spread over kinds, the level is the
highest one whose kinds together are likely enough; self-harm always wins.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple

from assistant import contract as c
from assistant.knowledge_base import LEVELS, RedFlag
from assistant.safety.model import NONE
from assistant.safety.treatment import treatment_in

SURE, POSSIBLE, HARMLESS = "sure", "possible", "none"
SELF_HARM_KINDS = ("self_harm_plan", c.SELF_HARM)
# The kinds a recent treatment makes likelier: a vague sign of them after a treatment is one.
AFTER_TREATMENT = ("sepsis", "infection", "pain", "cold_sore", "burn", "bleeding", "hives", "allergy", "eye",
                   "lumps", "numbing")
# How recent a treatment must be to change how a message is read.
TREATMENT_DAYS = 21
# Earlier messages that count as the conversation's context.
EARLIER_MESSAGES = 4


@dataclass(frozen=True)
class Reading:
    """What the safety reader found in one message by itself."""

    scores: Dict[str, float]
    # The kinds the red-flag phrases name now, in the order they win.
    phrases: Tuple[str, ...] = ()
    # Kinds whose phrases were set aside as a question about a risk or a past history.
    asked: Tuple[str, ...] = ()
    # Kinds whose phrases the message explains (an accident, a harmless phrase, an everyday word).
    explained: Tuple[str, ...] = ()
    # A red-flag intent the intent classifier is sure of, if any.
    classified: Optional[str] = None
    # The message is something harmless: small talk the intent classifier is sure of, or only
    # the telling of a treatment ("I had microneedling yesterday").
    harmless: bool = False
    # The message asks a question the topic classifier knows with confidence.
    known_question: bool = False
    # A treatment told of in this message (days before it; -1: not said).
    treatment_days: Optional[int] = None
    # The intent classifier is sure the message is something other than a red flag.
    understood: bool = False

    def as_dict(self) -> Dict[str, Any]:
        """The reading as the parse result carries it (JSON)."""
        data = asdict(self)
        data["scores"] = {k: round(v, 4) for k, v in self.scores.items() if v >= 0.005}
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Optional["Reading"]:
        """The reading a parse result carries, or None."""
        if not isinstance(data, dict) or not isinstance(data.get("scores"), dict):
            return None
        return cls({str(k): float(v) for k, v in data["scores"].items()}, tuple(data.get("phrases") or ()),
                   tuple(data.get("asked") or ()), tuple(data.get("explained") or ()), data.get("classified"),
                   bool(data.get("harmless")), bool(data.get("known_question")), data.get("treatment_days"),
                   bool(data.get("understood")))


@dataclass(frozen=True)
class Assessment:
    """The decision: `outcome` sure, possible or none; the kind and its level."""

    outcome: str
    kind: Optional[str] = None
    level: Optional[str] = None
    confidence: float = 0.0

    @property
    def sure(self) -> bool:
        return self.outcome == SURE

    @property
    def possible(self) -> bool:
        return self.outcome == POSSIBLE


@dataclass(frozen=True)
class Context:
    """What the conversation before the message adds."""

    # Days since a treatment the visitor told of (None: none told of).
    treatment_days: Optional[int] = None
    # The kinds earlier messages may have told of (possible or sure), latest first.
    earlier: Tuple[str, ...] = field(default_factory=tuple)

    @property
    def recently_treated(self) -> bool:
        return self.treatment_days is not None and self.treatment_days <= TREATMENT_DAYS


NO_CONTEXT = Context()
UNKNOWN_DAYS = -1


def reading_of(parse: Dict[str, Any]) -> Optional[Reading]:
    """The safety reading of a parse result, if the safety reader made one."""
    return Reading.from_dict(parse.get(c.SAFETY))


def context_from(earlier: Sequence[Tuple[float, Dict[str, Any]]], now: float,
                 flags: Sequence[RedFlag]) -> Context:
    """The context of a message from the conversation's earlier user messages (timestamp, parse), oldest first."""
    treatment: Optional[int] = None
    kinds: List[str] = []
    for timestamp, parse in earlier:
        reading = reading_of(parse)
        if reading is None:
            continue
        if reading.treatment_days is not None:
            days = max(reading.treatment_days, 0)
            treatment = days + int(max(now - timestamp, 0) // 86400)
        found = assess(reading, flags)
        if found.kind and found.outcome != HARMLESS:
            kinds.append(found.kind)
    return Context(treatment, tuple(reversed(kinds))[:EARLIER_MESSAGES])


def assess_latest(messages: Sequence[Tuple[float, Dict[str, Any]]], flags: Sequence[RedFlag]) -> Optional[Assessment]:
    """The triage of the latest of a conversation's visitor messages (timestamp, parse), oldest first."""
    if not messages:
        return None
    *earlier, (timestamp, parse) = messages
    reading = reading_of(parse)
    if reading is None:
        return None
    return assess(reading, flags, context_from(earlier, timestamp, flags))


def treatment_days(text: str, when: datetime) -> Optional[int]:
    """Days since the treatment a message tells of (-1 when it does not say when), None without one."""
    found = treatment_in(text, when)
    if found is None:
        return None
    return UNKNOWN_DAYS if found.days_ago is None else found.days_ago


def _level_rank(level: str) -> int:
    return len(LEVELS) - LEVELS.index(level)


def assess(reading: Reading, flags: Sequence[RedFlag], context: Context = NO_CONTEXT) -> Assessment:
    """The decision for a message (see the module docstring)."""
    level_of = {flag.kind: flag.level for flag in flags}
    scores = {k: v for k, v in reading.scores.items() if k in level_of}
    # The intent classifier's red flag counts unless the message asks a known question.
    classified = "" if reading.known_question else (reading.classified or "").removeprefix(c.RED_FLAG_PREFIX)
    self_harm = _self_harm(reading, scores, classified, level_of)
    if self_harm is not None:
        return self_harm
    physical = {k: v for k, v in scores.items() if k not in SELF_HARM_KINDS}
    danger = 1.0 - reading.scores.get(NONE, 1.0 - sum(scores.values()))
    # A phrase counts when the classifier gives the message some chance of physical danger: the same
    # words in a question of general interest, a film or an idiom ("bleeding money") do not.
    named = [k for k in reading.phrases if k in level_of and k not in SELF_HARM_KINDS]
    named = [k for k in named if sum(physical.values()) >= c.PHRASE_CONFIRM[level_of[k]]]
    candidates = named[:1]
    if classified in level_of and danger >= c.DANGER_POSSIBLE:
        candidates.append(classified)
    likely = _likely_kind(physical, level_of, c.LEVEL_SURE)
    if likely and not reading.harmless and not reading.known_question:
        candidates.append(likely)
    possible = _likely_kind(physical, level_of, {level: c.DANGER_POSSIBLE for level in LEVELS})
    if not candidates and possible and (context.recently_treated and possible in AFTER_TREATMENT
                                        or possible in context.earlier):
        candidates.append(possible)
    if candidates:
        order = [flag.kind for flag in flags]
        kind = min(candidates, key=lambda k: (-_level_rank(level_of[k]), order.index(k)))
        return Assessment(SURE, kind, level_of[kind], max(danger, 0.5 if named else 0.0))
    accident = any(k in SELF_HARM_KINDS for k in reading.explained)
    total = sum(scores.get(k, 0.0) for k in SELF_HARM_KINDS)
    if total >= c.SELF_HARM_POSSIBLE and not accident:
        return Assessment(POSSIBLE, c.SELF_HARM, level_of[c.SELF_HARM], total)
    if possible:
        return Assessment(POSSIBLE, possible, level_of[possible], danger)
    return Assessment(HARMLESS, confidence=danger)


def _self_harm(reading: Reading, scores: Dict[str, float], classified: str,
               level_of: Dict[str, str]) -> Optional[Assessment]:
    """Self-harm, which always wins: from a phrase, the intent classifier or the safety classifier.

    An accident the message tells how it happened ("I cut myself shaving")
    is no self-harm to the classifier; the classifier alone needs to be
    surer when the intent classifier understood the message as something else.
    """
    total = sum(scores.get(k, 0.0) for k in SELF_HARM_KINDS)
    named = [k for k in reading.phrases if k in SELF_HARM_KINDS]
    accident = any(k in SELF_HARM_KINDS for k in reading.explained)
    minimum = c.SELF_HARM_SURE_UNDERSTOOD if reading.understood else c.SELF_HARM_SURE
    if not (classified in SELF_HARM_KINDS or named and total >= c.SELF_HARM_PHRASE_CONFIRM
            or total >= minimum and not accident):
        return None
    plan = "self_harm_plan" in named or scores.get("self_harm_plan", 0.0) >= c.SELF_HARM_PLAN
    kind = "self_harm_plan" if plan else c.SELF_HARM
    return Assessment(SURE, kind, level_of[kind], max(total, 0.5))


def _likely_kind(scores: Dict[str, float], level_of: Dict[str, str], minimum: Dict[str, float]) -> Optional[str]:
    """The most urgent level whose kinds together reach its minimum confidence, and its likeliest kind there.

    The kinds of a level are counted with those of every more urgent level, so a message
    that is unsure between an urgent and an emergency kind is read at least as urgent.
    """
    for depth, level in enumerate(LEVELS):
        at_least = [k for k in scores if level_of[k] in LEVELS[: depth + 1]]
        if sum(scores[k] for k in at_least) >= minimum[level]:
            return max(at_least, key=lambda k: scores[k])
    return None
