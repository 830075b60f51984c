"""The questionnaire's texts and buttons: each question, and what comes after the last one."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

from assistant import contract as c
from assistant.clinic import Clinic
from assistant.compose import Button, Message, closing_recommendation, concern_buttons, explain_terms, \
    follow_up_payload, in_messages
from assistant.knowledge_base import Concern, KnowledgeBase
from assistant.next_step import next_step_message, summary_download
from assistant.privacy import delete_button
from assistant.tailoring import summary, tailored_notes


def option_buttons(kb: KnowledgeBase, group: str, entity: str, exclude: Sequence[str] = ()) -> List[Button]:
    """Quick-reply buttons for a group's options; the payload sets the entity."""
    return [
        {"title": o.title, "payload": f"/{c.INFORM}{json.dumps({entity: o.id})}"}
        for o in kb.options[group] if o.id not in exclude
    ]


def question(kb: KnowledgeBase, slot: str, declared: Sequence[str] = ()) -> Message:
    """The text and buttons that ask for one form slot (`declared`: cautions already ticked)."""
    if slot == c.CONCERN_SLOT:
        return kb.questions["concern"]["text"], concern_buttons(kb, intent=c.INFORM)
    if slot == c.CAUTIONS_DONE_SLOT:
        key = "cautions_more" if declared else "cautions"
        return kb.questions[key]["text"], option_buttons(kb, "cautions", c.CAUTION, exclude=declared)
    group, entity = c.SLOT_GROUPS[slot]
    return kb.questions[group]["text"], option_buttons(kb, group, entity)


def general_buttons(kb: KnowledgeBase, concerns: List[Concern], shown: str = "") -> List[Button]:
    """Buttons after the questionnaire: what to expect, questions to ask, how well it works, sources."""
    titles = kb.layers["end_titles"]
    buttons = [{"title": titles[key], "payload": follow_up_payload(key)} for key in c.GENERAL_DETAILS if key != shown]
    buttons += [{"title": f"{kb.layers['detail_titles']['evidence']}: {concern.name}",
                 "payload": follow_up_payload("evidence", concern=concern.id)} for concern in concerns]
    if shown != c.SOURCES:
        buttons.append({"title": titles["sources"], "payload": follow_up_payload(c.SOURCES, topic=c.PROCEDURE)})
    return buttons


def concluding_messages(
    kb: KnowledgeBase, given: Dict[str, Any], found: Optional[Clinic],
    sender_id: Optional[str] = None, channel: Optional[str] = None,
) -> List[Message]:
    """After the last question: the notes that follow from the answers, the summary (and its PDF
    link, given the conversation's id), who to see, and the next step (a consultation).

    The rest (how well it works, what to expect, questions to ask, sources)
    comes on request, through the buttons under the recommendation.
    """
    concerns = [kb.concerns[i] for i in given.get(c.CONCERN_SLOT) or [] if i in kb.concerns]
    messages: List[Message] = [(text, []) for text in in_messages(explain_terms(kb, tailored_notes(kb, given))
                                                                   .splitlines())]
    summarised = summary(kb, given)
    messages.append((summarised or kb.questionnaire["summary"]["empty"], []))
    if sender_id is not None and summarised:
        messages.append(summary_download(kb, sender_id, channel))
    buttons = general_buttons(kb, concerns) + [delete_button(kb)]
    messages.append((closing_recommendation(kb, concerns), buttons))
    messages.append(next_step_message(kb, found))
    return messages


def summary_messages(
    kb: KnowledgeBase, given: Dict[str, Any], found: Optional[Clinic], sender_id: str, channel: Optional[str],
) -> List[Message]:
    """The summary again on request ("show my summary"), with its PDF link and the next step."""
    text = summary(kb, given)
    if text is None:
        return [(kb.questionnaire["summary"]["empty"],
                 [{"title": kb.questionnaire["start_button"], "payload": f"/{c.START_QUESTIONNAIRE}"}])]
    return [(text, [delete_button(kb)]), summary_download(kb, sender_id, channel), next_step_message(kb, found)]
