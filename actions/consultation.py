"""The consultation buttons' action (the texts and buttons are in `assistant.next_step`)."""
from __future__ import annotations

from actions.decided import DecidedAction


class ActionOpenConsultation(DecidedAction):
    """A consultation button was clicked, or a visitor asked to book: where the link goes, or the details."""

    action_name = "action_open_consultation"
