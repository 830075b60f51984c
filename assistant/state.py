"""The conversation as the decisions see it: what the assistant keeps between messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from assistant import contract as c

Slots = Dict[str, Any]


@dataclass(frozen=True)
class State:
    """What a conversation holds before the latest message: its id, channel and slots."""

    sender_id: str = ""
    # The channel the latest message came in on ("socketio" is the widget).
    channel: Optional[str] = None
    slots: Slots = field(default_factory=dict)
    # The visitor's messages of this session, (timestamp, parse) oldest first, the latest included.
    messages: Tuple[Tuple[float, Dict[str, Any]], ...] = ()
    # The texts the assistant sent in this session, before its reply to the latest message.
    said: Tuple[str, ...] = ()

    def slot(self, name: str) -> Any:
        return self.slots.get(name)

    def concerns(self) -> List[str]:
        """The concern ids of the conversation so far (the `concern` slot)."""
        return list(self.slots.get(c.CONCERN_SLOT) or [])

    def suggested(self) -> List[str]:
        """The concerns offered for confirmation, if that question is open."""
        return list(self.slots.get(c.SUGGESTED_SLOT) or [])

    def answers(self) -> Slots:
        """The questionnaire answers held so far."""
        return {slot: self.slots.get(slot) for slot in c.ANSWER_SLOTS}
