"""Read replies as the knowledge base wrote them: without the glossary's inserted explanations."""
from __future__ import annotations

from typing import Any, Dict, Iterable

from assistant.knowledge_base import KnowledgeBase


def unexplained(kb: KnowledgeBase, text: str) -> str:
    """The text without the "(explanation)" the glossary added after a term."""
    for term in kb.glossary:
        text = text.replace(f" ({term.explain})", "")
    return text


def all_text(kb: KnowledgeBase, messages: Iterable[Dict[str, Any]]) -> str:
    """Every message's text, joined by new lines, without glossary explanations."""
    return unexplained(kb, "\n".join(m.get("text") or "" for m in messages))
