"""Answer visitors' questions and follow-ups (`assistant.decisions.answer_question`, `follow_up`)."""
from __future__ import annotations

from actions.decided import DecidedAction


class ActionAnswerFaq(DecidedAction):
    """A known FAQ topic, a passage of the knowledge base, or what it can talk about."""

    action_name = "action_answer_faq"


class ActionFollowUp(DecidedAction):
    """A follow-up that leans on the conversation: a detail, the last question for another concern, an area."""

    action_name = "action_follow_up"
