"""Whether a message answers the questionnaire's question: the one test the form and its policy share.

A message answers the question asked when the core's reader can read it as
an answer (assistant.matching.answers_question) and it is none of these:
a red flag (its intent, or a danger the conversation makes sure), a request
(stop, summary, delete, book...), or a question asked with a question mark.
"""
from __future__ import annotations

from assistant import contract as c
from assistant.knowledge_base import KnowledgeBase
from assistant.matching import answers_question
from assistant.safety.triage import assess_latest
from assistant.state import State


def gives_answer(kb: KnowledgeBase, slot: str, text: str, intent: str, state: State) -> bool:
    """True when the latest message (`text`, `intent`; `state` with it) answers the question for `slot`."""
    if intent.startswith(c.RED_FLAG_PREFIX) or intent in c.REQUESTS or intent == c.SKIP:
        return False
    if intent in c.ASKING and "?" in text:
        return False
    found = assess_latest(state.messages, kb.red_flags)
    if found is not None and found.sure:
        return False
    return answers_question(kb, slot, text)
