"""Rasa's Socket.IO channel, accepting browser connections only from allowed origins.

Messages go through the guard of channels/guard.py, as on the REST channel.

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
from typing import Any, Awaitable, Callable, List, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels.guard import guarded
from channels.server_tuning import freeze_after_start

DEFAULT_ORIGINS = "http://localhost:8080 http://127.0.0.1:8080"


def allowed_origins() -> List[str]:
    """The origins allowed to connect, from $CORS_ORIGINS."""
    return os.environ.get("CORS_ORIGINS", DEFAULT_ORIGINS).split()


class RestrictedSocketIOInput(SocketIOInput):
    """SocketIOInput whose server only accepts the allowed origins."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(guarded(on_new_message))
        self.sio.eio.cors_allowed_origins = allowed_origins()
        return freeze_after_start(blueprint)
