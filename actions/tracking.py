"""The action server's side of the decisions: a tracker read as a `State`, a `Reply` sent."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from assistant import contract as c
from assistant.clinic import clinic
from assistant.decisions import Reply
from assistant.decisions import decide as decided
from assistant.knowledge_base import knowledge_base
from assistant.state import State


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent the latest user message was classified as (fallback included)."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def state_of(tracker: Tracker) -> State:
    """The conversation as the decisions see it."""
    return State(tracker.sender_id, tracker.get_latest_input_channel(), dict(tracker.slots),
                 tuple(user_messages(tracker.events)), tuple(bot_texts(tracker.events)))


def session_events(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The events of the current session (after its latest `session_started`)."""
    starts = [i for i, event in enumerate(events) if event.get("event") == "session_started"]
    return events[starts[-1] + 1:] if starts else list(events)


def user_messages(events: List[Dict[str, Any]]) -> List[Tuple[float, Dict[str, Any]]]:
    """The (timestamp, parse) of each visitor message of the current session, oldest first."""
    return [(float(event.get("timestamp") or 0.0), event.get("parse_data") or {})
            for event in session_events(events) if event.get("event") == "user"]


def bot_texts(events: List[Dict[str, Any]]) -> List[str]:
    """The texts the assistant sent in the current session, oldest first."""
    return [str(event["text"]) for event in session_events(events)
            if event.get("event") == "bot" and event.get("text")]


def dispatch(dispatcher: CollectingDispatcher, reply: Reply) -> List[EventType]:
    """Send a reply's messages; the events that set its slots (and forget the message, if it says so).

    Each message carries the reply's source in its metadata: kept in the
    conversation's events (what the clinic's review and the evaluation read),
    never shown by a channel.
    """
    for text, buttons in reply.messages:
        dispatcher.utter_message(text=text, buttons=buttons, **{c.REPLY_SOURCE: reply.source})
    events: List[EventType] = [SlotSet(name, value) for name, value in reply.slots.items()]
    return events + ([UserUtteranceReverted()] if reply.revert else [])


def decide(action: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Run the decision behind an action on the latest message and send its reply."""
    return dispatch(dispatcher, decided(action, tracker.latest_message, state_of(tracker), knowledge_base(), clinic()))
