"""A treatment the visitor says they had ("I got microneedling done on saturday"), and how long ago."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

TREATMENT = re.compile(
    r"\b(micro[- ]?needl\w*|needl(ed|ing)|derma[- ]?(pen|roll\w*|stamp)|roller|rf|radio ?frequency|morpheus\w*|"
    r"vampire facial|prp|treatments?|procedures?|sessions?|facial|peel|laser|appointment|had it done|got it done)\b",
    re.IGNORECASE)
# Words that put the treatment in the past (or say it happened): "had", "got it done", "since", "after".
DONE = re.compile(r"\b(had|got|did|done|went|after|since|post|following|finished|ago|yesterday|last|this morning|"
                  r"earlier|today|tonight|day \d+|days?|weeks?|hours?|on (mon|tues|wednes|thurs|fri|satur|sun)day)\b",
                  re.IGNORECASE)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "couple of": 2, "few": 3}
AGO = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple of|few)\s+"
                 r"(hours?|days?|weeks?)\s+(ago|after|later|since|post|out)\b", re.IGNORECASE)
DAY_N = re.compile(r"\bday\s+(\d+)\b", re.IGNORECASE)
ON_DAY = re.compile(r"\b(?:on|last|this past)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                    re.IGNORECASE)
# A treatment that is still to come ("my appointment is on thursday", "before my session").
FUTURE = re.compile(r"\b(going to have|will have|booked|getting it done|next|tomorrow|before (my|the)|"
                    r"is on|coming up|thinking (of|about)|planning|want to|should i|can i|would it)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Treatment:
    """A treatment told of in a message: how many days before the message (None: not said)."""

    days_ago: Optional[int]


def _unit_days(count: int, unit: str) -> int:
    unit = unit.lower()
    return 0 if unit.startswith("hour") and count < 24 else count // 24 if unit.startswith("hour") \
        else count * 7 if unit.startswith("week") else count


def days_ago(text: str, when: datetime) -> Optional[int]:
    """How many days before `when` the message puts the treatment, or None when it does not say."""
    lowered = text.lower()
    match = AGO.search(lowered)
    if match:
        count = int(match.group(1)) if match.group(1).isdigit() else NUMBERS[match.group(1)]
        return _unit_days(count, match.group(2))
    match = DAY_N.search(lowered)
    if match:
        return max(int(match.group(1)) - 1, 0)
    match = ON_DAY.search(lowered)
    if match:
        return (when.weekday() - WEEKDAYS.index(match.group(1))) % 7 or 7
    if "yesterday" in lowered or "last night" in lowered:
        return 1
    if re.search(r"\b(today|this morning|earlier|tonight|an hour ago|just now|this afternoon)\b", lowered):
        return 0
    if re.search(r"\blast week\b|\ba week ago\b", lowered):
        return 7
    return None


def treatment_in(text: str, when: datetime) -> Optional[Treatment]:
    """The treatment a message says the visitor had, if it says one (not one still to come)."""
    if not TREATMENT.search(text) or not DONE.search(text):
        return None
    if FUTURE.search(text) and not AGO.search(text):
        return None
    return Treatment(days_ago(text, when))


# What a message that only tells of a treatment is made of, besides the treatment and its time.
TELLING = re.compile(
    r"\b(i|i'?ve|i'?m|ive|im|me|we|had|have|has|got|get|was|were|did|done|just|so|you|know|by|the|way|fyi|"
    r"a|an|my|our|it|on|at|in|for|with|of|to|and|from|this|that|last|first|second|third|fourth|next|"
    r"ago|back|earlier|today|yesterday|morning|afternoon|evening|night|week|weekend|hours?|days?|weeks?|"
    r"couple|few|one|two|three|four|five|six|seven|eight|nine|ten|\d+|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|clinic|salon|home|"
    r"face|cheeks?|forehead|neck|chin|nose|jaw|jawline|tummy|belly|stomach|arms?|legs?|thighs?|back|chest|"
    r"acne|scars?|stretch|marks?|wrinkles|lines|pores|skin|session|sessions|treatment|treated|"
    r"microneedled|needled|pen|roller|hi|hello|hey|ok|okay|well|then|there|here|also|too|btw|"
    r"as|said|see|which|when|where|let|tell|telling|mention|mentioning|wanted|want)\b",
    re.IGNORECASE)


def only_tells_treatment(text: str) -> bool:
    """True when a message tells of a treatment and says nothing else ("I had microneedling yesterday")."""
    if treatment_in(text, datetime.now()) is None:
        return False
    rest = TELLING.sub(" ", TREATMENT.sub(" ", text.lower()))
    return not re.findall(r"[a-z]{2,}", rest)
