"""Follow-ups that lean on the conversation: "can it help with those?" after a concern.

A message that names no other concern and that no frequent question fits,
but that asks for one of a concern's details in its own words (phrases in
follow_ups.yml) or by a button's title typed out, gets that detail of the
concern named or discussed. A question that fits nothing, while a concern is
discussed, gets what can be said about that concern, not the whole menu.
"""
from __future__ import annotations

from typing import List, Optional, Set

from assistant import contract as c
from assistant.compose import Message, detail_buttons, lower_name
from assistant.knowledge_base import Concern, KnowledgeBase
from assistant.state import State
from assistant.understanding import (
    Parse, caution_options, entity_values, named_concerns, question_topic, text_of,
)


def concern_in_question(parse: Parse, state: State, kb: KnowledgeBase) -> Optional[Concern]:
    """The concern a follow-up is about: the one it names, else the conversation's first."""
    named = [i for i in entity_values(parse, c.CONCERN) if i in kb.concerns]
    ids = named or [i for i in state.concerns() if i in kb.concerns]
    return kb.concerns[ids[0]] if ids else None


def asked_detail(parse: Parse, kb: KnowledgeBase) -> Optional[str]:
    """The concern detail a message asks for in its own words, or None."""
    text = " ".join(text_of(parse).lower().replace("’", "'").split())
    titles = {title.lower(): key for key, title in kb.layers["detail_titles"].items() if key in c.DETAILS}
    if text.strip(" ?.!") in titles:
        return titles[text.strip(" ?.!")]
    if question_topic(parse, kb) is not None:
        return None
    return next((detail for detail, phrases in kb.follow_ups.items() if any(p.search(text) for p in phrases)), None)


def earlier_concerns(state: State) -> Set[str]:
    """The concerns the visitor's messages before the latest named."""
    return {value for _, earlier in state.messages[:-1] for value in entity_values(earlier, c.CONCERN)}


def follow_up_detail(parse: Parse, state: State, kb: KnowledgeBase) -> Optional[str]:
    """The detail a follow-up asks for about the conversation's concern, or None.

    None without a concern yet, and for a message that names a caution or a
    concern not named before ("I'm on roaccutane, could it help my acne
    scars?"): that is a new description, answered in full.
    """
    if not state.concerns() or concern_in_question(parse, state, kb) is None or caution_options(parse, kb):
        return None
    if set(named_concerns(parse, kb)) - earlier_concerns(state):
        return None
    return asked_detail(parse, kb)


def about_concern(kb: KnowledgeBase, concern: Concern) -> List[Message]:
    """What the assistant can say about the concern discussed, as buttons."""
    other = {"title": kb.general["something_else"], "payload": f"/{c.DESCRIBE_CONCERN}"}
    return [(kb.general["about_concern"].format(concern=lower_name(concern)), detail_buttons(kb, concern) + [other])]
