"""Compose reply texts and buttons from the knowledge base (pure functions)."""
from __future__ import annotations

import json
import re
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from assistant.knowledge_base import Concern, KnowledgeBase, Option, Source

Button = Dict[str, str]
# One message of a reply: its text and its buttons.
Message = Tuple[str, List[Button]]
# The most a detail message should hold: about one phone screen in the widget.
MAX_MESSAGE = 600


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


def explain_terms(kb: KnowledgeBase, text: str) -> str:
    """The text with each glossary term explained in brackets where it first appears."""
    for term in kb.glossary:
        spellings = "|".join(re.escape(s) for s in sorted(term.spellings, key=len, reverse=True))
        match = re.search(r"(?<![\w-])(" + spellings + r")\b", text, re.IGNORECASE)
        if match and not text[match.end():].startswith(" ("):
            text = f"{text[:match.end()]} ({term.explain}){text[match.end():]}"
    return text


def follow_up_payload(detail: str, **about: str) -> str:
    """The payload of a button asking for a detail ("evidence", "sources") of a concern or topic."""
    return f"/follow_up{json.dumps({**about, 'detail': detail})}"


def detail_buttons(kb: KnowledgeBase, concern: Concern, shown: str = "") -> List[Button]:
    """Buttons for a concern's details (all but the one just shown), then the questionnaire."""
    titles = kb.layers["detail_titles"]
    buttons = [{"title": title, "payload": follow_up_payload(key, concern=concern.id)}
               for key, title in titles.items() if key != shown]
    return buttons + [questionnaire_button(kb)]


def questionnaire_button(kb: KnowledgeBase) -> Button:
    """The button that starts the questionnaire."""
    return {"title": kb.layers["questionnaire_button"], "payload": "/start_questionnaire"}


def sources_button(kb: KnowledgeBase, **about: str) -> Button:
    """The button that lists the sources of a concern or a topic."""
    return {"title": kb.layers["detail_titles"]["sources"], "payload": follow_up_payload("sources", **about)}


def sources_list(kb: KnowledgeBase, sources: Iterable[Source], about: str = "") -> str:
    """The sources as a short list: one "title: link" per line."""
    heading = f"{kb.layers['sources_heading']} for {about}:" if about else f"{kb.layers['sources_heading']}:"
    return "\n".join([heading, *(f"- {s.title}: {s.url}" for s in sources)])


def first_answer(kb: KnowledgeBase, concern: Concern) -> str:
    """What the concern is and what microneedling can and cannot do, then who to see."""
    return explain_terms(kb, f"{concern.name}: {concern.summary} {concern.short}") + "\n" + kb.recommendation(concern)


def closing_recommendation(kb: KnowledgeBase, concerns: Sequence[Concern]) -> str:
    """Who to see: for the one concern in question, or in general; always a qualified professional."""
    return kb.recommendation(concerns[0]) if len(concerns) == 1 else kb.general["faq_recommendation"]


def full_recommendations(kb: KnowledgeBase) -> List[str]:
    """Every form of the full recommendation of who to see, longest first."""
    texts = {kb.recommendation(concern) for concern in kb.concerns.values()} | {kb.general["faq_recommendation"]}
    return sorted(texts, key=len, reverse=True)


def shorten_recommendation(kb: KnowledgeBase, messages: Sequence[Message], said: Sequence[str]) -> List[Message]:
    """The messages with the full recommendation as one short line, once the conversation has had it in full.

    Every informational answer still recommends a qualified professional;
    only the repetition of the same two lines is spared.
    """
    full = full_recommendations(kb)
    if not any(text in earlier for earlier in said for text in full):
        return list(messages)
    short = kb.general["short_recommendation"]
    shortened: List[Message] = []
    for text, buttons in messages:
        for recommendation in full:
            text = text.replace(recommendation, short)
        shortened.append((text, buttons))
    return shortened


def detail_text(kb: KnowledgeBase, concern: Concern, detail: str) -> str:
    """One detail of a concern (the evidence, what to expect...), then who to see."""
    if detail == "sources":
        return sources_list(kb, concern.sources, lower_name(concern))
    heading = kb.layers["detail_headings"][detail].format(concern=lower_name(concern))
    return explain_terms(kb, f"{heading} {concern.details[detail]}") + "\n" + kb.recommendation(concern)


def in_messages(lines: Iterable[str], limit: int = MAX_MESSAGE) -> List[str]:
    """Lines grouped into messages of at most `limit` characters (a longer line stays whole)."""
    messages: List[str] = []
    for line in lines:
        if messages and len(messages[-1]) + 1 + len(line) <= limit:
            messages[-1] += "\n" + line
        else:
            messages.append(line)
    return messages


def join_list(items: Iterable[str]) -> str:
    """'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
