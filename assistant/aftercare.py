"""Aftercare: a visitor treated recently asks whether what they feel is normal.

The conversation tells when the treatment was ("I had it done on Saturday",
"two days ago": the safety reader reads the day of each message); a later
message about how the skin is doing ("still red and peeling, is that ok?",
"it itches a lot") gets what is expected on that day, the care to take, the
warning signs and who to contact (aftercare.yml). A warning sign itself is
the safety reader's: its reply comes before any of this.
"""
from __future__ import annotations

import re
from typing import List, Optional

from assistant import contract as c
from assistant.clinic import Clinic
from assistant.compose import Message, closing_recommendation, sources_button
from assistant.knowledge_base import KnowledgeBase
from assistant.next_step import next_step_message
from assistant.safety.treatment import only_tells_treatment
from assistant.safety.triage import UNKNOWN_DAYS, reading_of
from assistant.state import State
from assistant.understanding import Parse, question_topic, text_of

SECONDS_PER_DAY = 86400


def days_since_treatment(state: State) -> Optional[int]:
    """Days since the treatment the conversation last told of (-1: not said when), or None without one."""
    told = None
    for timestamp, parse in state.messages:
        reading = reading_of(parse)
        if reading is not None and reading.treatment_days is not None:
            told = (reading.treatment_days, timestamp)
    if told is None:
        return None
    days, timestamp = told
    if days == UNKNOWN_DAYS:
        return UNKNOWN_DAYS
    now = state.messages[-1][0]
    return days + int(max(now - timestamp, 0) // SECONDS_PER_DAY)


def about_recovery(kb: KnowledgeBase, text: str) -> bool:
    """True when a message is about how the skin is doing (one of the aftercare words)."""
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(word)}", lowered) for word in kb.aftercare["about_recovery"])


def when_text(kb: KnowledgeBase, days: int) -> str:
    words = kb.aftercare["when"]
    if days == UNKNOWN_DAYS:
        return words["unknown"]
    return words["today"] if days == 0 else words["yesterday"] if days == 1 else words["days"].format(days=days)


def expected_on(kb: KnowledgeBase, days: int) -> str:
    """What is normal that many days after a treatment."""
    if days == UNKNOWN_DAYS:
        return kb.aftercare["unknown"]
    return next(text for until, text in kb.aftercare["stages"] if until is None or days <= until)


def aftercare_messages(kb: KnowledgeBase, days: int, found: Optional[Clinic]) -> List[Message]:
    """What to expect on the day, the care and the warning signs, who to see, the clinic's contact."""
    care = kb.aftercare
    first = f"{care['intro'].format(when=when_text(kb, days))} {expected_on(kb, days)}"
    closing = "\n".join([f"{care['care']} {care['warning']}", closing_recommendation(kb, [])])
    return [(first, []), (closing, [sources_button(kb, topic=c.AFTERCARE)]), next_step_message(kb, found)]


def recent_treatment(kb: KnowledgeBase, state: State) -> Optional[int]:
    """The days since a treatment recent enough for aftercare, or None."""
    days = days_since_treatment(state)
    return None if days is None or days > kb.aftercare["within_days"] else days


def asks_aftercare(parse: Parse, state: State, kb: KnowledgeBase) -> Optional[int]:
    """The days since the treatment when the message asks about recovery after a recent one (or only
    tells of the treatment: what to expect is the answer), or None.

    A question a frequent question other than recovery fits ("when can I wear
    make-up?") gets that question's answer instead.
    """
    days = recent_treatment(kb, state)
    if days is None or not (about_recovery(kb, text_of(parse)) or only_tells_treatment(text_of(parse))):
        return None
    topic = question_topic(parse, kb)
    return days if topic is None or topic.key in c.RECOVERY_TOPICS else None
