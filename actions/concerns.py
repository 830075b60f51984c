"""Actions that answer with general information about the visitor's concerns."""
from __future__ import annotations

from actions.decided import DecidedAction


class ActionConcernInfo(DecidedAction):
    """The message's cautions and concerns, a confirmation of the likeliest, or the list (`answer_concern`)."""

    action_name = "action_concern_info"


class ActionOfferConcerns(DecidedAction):
    """When the message was not understood (or a suggestion was declined), confirm or list the concerns."""

    action_name = "action_offer_concerns"


class ActionDefaultFallback(DecidedAction):
    """When no rule fits the conversation, offer the concerns (replaces Rasa's default).

    Like Rasa's own, it reverts the user message so that the conversation
    goes on from where it was; the message stays in the stored history.
    """

    action_name = "action_default_fallback"
