"""Rasa's REST channel with the guard of channels/guard.py."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from channels.guard import guarded
from channels.server_tuning import freeze_after_start


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook {"sender": ..., "message": ...}, guarded."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return freeze_after_start(super().blueprint(guarded(on_new_message)))

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        """The sender, after checking that the body is a JSON object (else 400, not 500)."""
        if not isinstance(req.json, dict):
            raise InvalidUsage('The body must be a JSON object: {"sender": "...", "message": "..."}')
        return await super()._extract_sender(req)
