"""Requests said anywhere in a sentence: delete my data, stop the questions, start again, show my
summary, book or call, do the questions ("ok thanks. actually please delete my data").

The phrases are data (assistant/knowledge/requests.yml). The intent guard
makes a message that makes one of these requests that request's intent,
whatever else it says; only a red flag wins over it.
"""
from __future__ import annotations

from typing import Optional, Sequence

from assistant.knowledge_base import Request


def _lowered(text: str) -> str:
    return " ".join(str(text).lower().replace("’", "'").split())


def may_request(text: str, requests: Sequence[Request]) -> Optional[str]:
    """The intent of a request the message may make without making it ("is this chat being saved?")."""
    lowered = _lowered(text)
    return next((r.intent for r in requests if any(p.search(lowered) for p in r.ask_first)), None)


def requested(text: str, requests: Sequence[Request]) -> Optional[str]:
    """The intent of the first request the message makes, or None."""
    lowered = _lowered(text)
    for request in requests:
        if any(p.search(lowered) for p in request.phrases) and not any(p.search(lowered) for p in request.unless):
            return request.intent
    return None
