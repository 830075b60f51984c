"""Rasa's Socket.IO channel, accepting browser connections only from allowed origins.

Messages go through the guard of channels/guard.py, as on the REST channel.
Buttons keep their `url` (link buttons: "Book a consultation", "Download my
summary"), which Rasa's own Socket.IO output drops.

Rasa 3.6 creates its Socket.IO server with CORS handling switched off, so any
web page could open a WebSocket to the assistant (`--cors` only covers plain
HTTP). This channel restores the check: only pages served from the origins in
$CORS_ORIGINS (space-separated; default: the local demo page) may connect.

    channels.restricted_socketio.RestrictedSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""
from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.guard import guarded
from channels.server_tuning import freeze_after_start

DEFAULT_ORIGINS = "http://localhost:8080 http://127.0.0.1:8080"


def allowed_origins() -> List[str]:
    """The origins allowed to connect, from $CORS_ORIGINS."""
    return os.environ.get("CORS_ORIGINS", DEFAULT_ORIGINS).split()


class LinkingSocketIOOutput(SocketIOOutput):
    """Rasa's Socket.IO output, with each button's `url` (if any) passed on to the widget."""

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        parts = text.strip().split("\n\n") or [text]
        for part in parts[:-1]:
            await self._send_message(recipient_id, {"text": part})
        replies = [{"content_type": "text", "title": b["title"], "payload": b.get("payload", ""),
                    **({"url": b["url"]} if b.get("url") else {})} for b in buttons]
        await self._send_message(recipient_id, {"text": parts[-1], "quick_replies": replies})


def with_links(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Have the message's replies sent by LinkingSocketIOOutput."""

    async def handle(message: UserMessage) -> Any:
        output = message.output_channel
        if isinstance(output, SocketIOOutput):
            message.output_channel = LinkingSocketIOOutput(output.sio, output.bot_message_evt)
        return await on_new_message(message)

    return handle


class RestrictedSocketIOInput(SocketIOInput):
    """SocketIOInput whose server only accepts the allowed origins."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(with_links(guarded(on_new_message)))
        self.sio.eio.cors_allowed_origins = allowed_origins()
        return freeze_after_start(blueprint)
