"""Compose reply texts and buttons from the knowledge base (pure functions)."""
from __future__ import annotations

import json
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from actions.knowledge_base import Concern, KnowledgeBase, Option, Source

Button = Dict[str, str]


def concern_payload(concern_id: str, intent: str = "describe_concern") -> str:
    """The button payload that selects a concern."""
    return f"/{intent}{json.dumps({'concern': concern_id})}"


def concern_buttons(
    kb: KnowledgeBase, intent: str = "describe_concern", ids: Optional[Sequence[str]] = None
) -> List[Button]:
    """One quick-reply button per concern (all, or those of `ids` in that order), titled with its name."""
    concerns = [kb.concerns[i] for i in ids] if ids is not None else list(kb.concerns.values())
    return [{"title": c.name, "payload": concern_payload(c.id, intent)} for c in concerns]


def confirmation(
    kb: KnowledgeBase, candidates: Sequence[str], intent: str = "describe_concern"
) -> Tuple[str, List[Button]]:
    """Ask whether the likeliest concern is meant; the candidates and "something else" as buttons."""
    text = kb.general["confirm_concern"].format(concern=lower_name(kb.concerns[candidates[0]]))
    other = {"title": kb.general["something_else"], "payload": f"/{intent}"}
    return text, concern_buttons(kb, intent, candidates) + [other]


def lower_name(concern: Concern) -> str:
    """The concern's name as it reads inside a sentence ("stretch marks")."""
    return concern.name[0].lower() + concern.name[1:]


def caution_text(kb: KnowledgeBase, cautions: Sequence[Option]) -> str:
    """What matters about each named caution, and never a yes or no."""
    notes = [c.note for c in cautions if c.note]
    lines = [kb.general["caution_intro"], *notes] if notes else [kb.general["caution_unknown"]]
    return "\n".join(lines + [kb.general["caution_recommendation"]])


def sources_line(kb: KnowledgeBase, sources: Iterable[Source]) -> str:
    """'Sources: name (url); name' for a concern, an FAQ or the procedure."""
    names = [f"{s.name} ({s.url})" if s.url else s.name for s in sources]
    return f"{kb.general['sources_heading']}: " + "; ".join(names) + "."


def concern_evidence(kb: KnowledgeBase, concern: Concern) -> str:
    """What microneedling can and cannot do for a concern, with the evidence and sources."""
    return "\n".join(
        [
            f"{concern.name}: {concern.summary}",
            f"What microneedling can do: {concern.can}",
            f"What it cannot do: {concern.cannot}",
            f"How strong the evidence is: {concern.evidence}",
            f"What to expect: {concern.expectations}",
            f"Other options a professional may discuss: {join_list(concern.other_options)}.",
            sources_line(kb, concern.sources),
        ]
    )


def concern_info(kb: KnowledgeBase, concern: Concern) -> str:
    """General information about one concern, ending with the professional recommendation."""
    return concern_evidence(kb, concern) + "\n" + kb.recommendation(concern)


def join_list(items: Iterable[str]) -> str:
    """'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
