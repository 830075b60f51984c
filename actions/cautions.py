"""Cautions asked about outside the questionnaire ("I'm pregnant, can I...?")."""
from __future__ import annotations

from actions.decided import DecidedAction


class ActionCautionInfo(DecidedAction):
    """Name the visitor's situation, explain why it matters, never say yes or no."""

    action_name = "action_caution_info"
