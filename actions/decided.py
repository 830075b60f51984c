"""An action whose reply is a decision of the core (`assistant.decisions`)."""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.tracking import decide


class DecidedAction(Action, metaclass=ABCMeta):
    """Runs the decision registered under the action's name on the latest message and sends its reply.

    Abstract (the action server registers only its subclasses): each names its action.
    """

    @property
    @abstractmethod
    def action_name(self) -> str:
        """The action's name in the domain, and its decision's key in `assistant.decisions.DECISIONS`."""

    def name(self) -> Text:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        return decide(self.action_name, dispatcher, tracker)
