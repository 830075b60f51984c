"""What every input channel does before and after Rasa handles a message.

Before: a message that is empty, only white space or far too long gets a kind
reply without being processed; control characters are removed; and a message
typed like a button payload (`/intent{"entity": "value"}`) is only taken as
one when a button could have sent it (a known intent and known option ids),
otherwise it is read as plain text, so a visitor cannot set slots or trigger
internal intents. For a question where several answers apply (`multiple: true`
in questionnaire.yml, the safety check) the value may also be a list of option
ids: what the widget's checklist sends on "Done", several of that question's
buttons at once (`/inform{"caution": ["pregnancy", "isotretinoin", "none"]}`).

After: a turn that produced no reply at all (the action server down or too
slow, an unexpected error) gets a kind "having trouble" reply that still
points to help and to a qualified professional.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Tuple

from rasa.core.channels.channel import UserMessage

from assistant import contract as c
from assistant.knowledge_base import KnowledgeBase, knowledge_base

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000

PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)
# The option group whose ids each answer entity may carry (as the form's buttons send them).
ENTITY_GROUPS = {entity: group for group, entity in c.SLOT_GROUPS.values()}

Handler = Callable[[UserMessage], Awaitable[Any]]


def several_choice_entities(kb: KnowledgeBase) -> Set[str]:
    """The entities set by the buttons of questions where several answers apply (`multiple: true`)."""
    return {str(q["entity"]) for q in kb.questions.values() if q.get("multiple") and q.get("entity")}


def button_choice(payload: Any) -> Optional[Tuple[str, str, str]]:
    """(intent, entity, value) of a payload setting one entity to one value (`/inform{"caution": "none"}`)."""
    match = PAYLOAD.match(payload) if isinstance(payload, str) else None
    if not match or not match.group("entities"):
        return None
    try:
        entities = json.loads(match.group("entities"))
    except ValueError:
        return None
    if not isinstance(entities, dict) or len(entities) != 1:
        return None
    entity, value = next(iter(entities.items()))
    return (match.group("intent"), entity, value) if isinstance(value, str) else None


def is_several_choice(buttons: List[Dict[str, Any]], kb: KnowledgeBase) -> bool:
    """True when the buttons answer a question where several answers apply: every one sets the
    same entity, that of a `multiple: true` question, with the same intent."""
    choices = [button_choice(b.get("payload")) for b in buttons]
    kinds = {(choice[0], choice[1]) for choice in choices if choice}
    return len(buttons) > 1 and all(choices) and len(kinds) == 1 and \
        next(iter(kinds))[1] in several_choice_entities(kb)


def _allowed_value(kb: KnowledgeBase, entity: str, value: Any) -> bool:
    """A button's value for the entity; a list of distinct ones for a several-choice question's entity."""
    if isinstance(value, list) and entity in several_choice_entities(kb):
        ids = [v for v in value if isinstance(v, str)]
        return bool(value) and len(ids) == len(set(ids)) == len(value) and set(ids) <= _allowed_values(kb, entity)
    return isinstance(value, str) and value in _allowed_values(kb, entity)


def _allowed_values(kb: KnowledgeBase, entity: str) -> Set[str]:
    if entity == c.CONCERN:
        return set(kb.ids)
    if entity == c.DETAIL:
        return set(c.ALL_DETAILS)
    if entity == c.TOPIC:
        return {*kb.faq, c.PROCEDURE}
    if entity == c.LINK:
        return set(c.LINKS)
    group = ENTITY_GROUPS.get(entity)
    return {o.id for o in kb.options.get(group, ())} if group else set()


def is_button_payload(text: str, kb: KnowledgeBase) -> bool:
    """True when the text is exactly what one of the assistant's buttons sends."""
    match = PAYLOAD.match(text)
    if not match or match.group("intent") not in c.BUTTON_INTENTS:
        return False
    if not match.group("entities"):
        return True
    try:
        entities = json.loads(match.group("entities"))
    except ValueError:
        return False
    return isinstance(entities, dict) and all(_allowed_value(kb, key, value) for key, value in entities.items())


def clean_text(text: Optional[str]) -> str:
    """The text without control characters (new lines and tabs become spaces)."""
    text = (text or "").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == "\u200d").strip()


def prepare(text: Optional[str], kb: KnowledgeBase) -> tuple:
    """(text to process, None) or (None, kind reply) for a raw visitor message."""
    text = clean_text(text)
    if not text:
        return None, kb.general["empty_message"]
    if len(text) > MAX_MESSAGE_CHARS:
        return None, kb.general["long_message"].format(limit=f"{MAX_MESSAGE_CHARS:,}")
    if text.startswith("/") and not is_button_payload(text, kb):
        text = text.lstrip("/").strip() or text
        if not text or text.startswith("/"):
            return None, kb.general["empty_message"]
    return text, None


def checked(on_new_message: Handler) -> Handler:
    """Wrap a channel's message handler with the checks described above."""

    async def handle(message: UserMessage) -> None:
        kb = knowledge_base()
        text, reply = prepare(message.text, kb)
        output = message.output_channel
        if reply is not None:
            await output.send_response(message.sender_id, {"text": reply})
            return
        message.text = text
        sent: Dict[str, int] = {"count": 0}
        original_send = output.send_response

        async def counting_send(recipient_id: str, msg: Dict[str, Any]) -> None:
            sent["count"] += 1
            await original_send(recipient_id, msg)

        output.send_response = counting_send
        try:
            await on_new_message(message)
        except Exception:  # the visitor must never be left without an answer
            logger.exception("Handling a message failed.")
        if sent["count"] == 0:
            await original_send(message.sender_id, {"text": kb.general["trouble"]})

    return handle
