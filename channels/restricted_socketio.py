"""Rasa's Socket.IO channel, restricted: allowed origins, bounded messages, one conversation a connection.

Messages go through the checks of channels/checks.py, as on the REST channel.
Buttons keep their `url` (link buttons: "Book a consultation", "Download my
summary"), which Rasa's own Socket.IO output drops.

The buttons of a question where several answers apply (the safety check,
`multiple: true` in assistant/knowledge/questionnaire.yml) are marked, so the
widget can show them as a checklist: the message gets `"multiple": true` and
the "None of these" button `"exclusive": true`. The bot sends them as ordinary
buttons (REST and `rasa shell` show them as such); the mark is worked out here
from their payloads, all setting the entity of such a question
(`checks.is_several_choice`). Rasa's Socket.IO output sends no message
metadata, and the payloads alone do not say which questions take several
answers.

Rasa 3.6 creates its Socket.IO server with CORS handling switched off, so any
web page could open a WebSocket to the assistant (`--cors` only covers plain
HTTP). This channel restores the check: only pages served from the origins in
$CORS_ORIGINS (space-separated; default: the local demo page) may connect.

It also holds the limits of channels/request_limits.py and rate_limit.py:
messages over $MAX_REQUEST_BYTES close the connection (engine.io and Sanic's
WebSocket limit); a `session_id` must be a valid conversation id, and a
connection talks in one conversation only (the one of its `session_request`,
or of its first message); malformed events are ignored with a `refused` event
saying why, and nothing is stored; a message over the rate limits gets a kind
reply instead of being processed, and a connection over the address's limit
is refused (each connection counts as one request of its address).

    channels.restricted_socketio.RestrictedSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""
from __future__ import annotations

import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from assistant import contract as c
from assistant.knowledge_base import knowledge_base
from channels.checks import button_choice, checked, is_several_choice
from channels.rate_limit import rate_limiter, too_many_messages_reply
from channels.request_limits import MAX_REQUEST_BYTES, client_address, valid_sender
from channels import rasa_patches

logger = logging.getLogger(__name__)
DEFAULT_ORIGINS = "http://localhost:8080 http://127.0.0.1:8080"
BAD_SESSION = "session_id must be 1 to 64 of the characters A-Z a-z 0-9 _ - . :"
OTHER_SESSION = "this connection belongs to another session; reconnect to change session"
BAD_MESSAGE = 'the event must be an object {"message": "...", "session_id": "..."}'


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
        message: Dict[str, Any] = {"text": parts[-1], "quick_replies": replies}
        if is_several_choice(buttons, knowledge_base()):
            message["multiple"] = True
            for reply in replies:  # "None of these": ticking it clears the other ticks
                choice = button_choice(reply["payload"])
                if choice and choice[2] == c.NONE_OF_THESE:
                    reply["exclusive"] = True
        await self._send_message(recipient_id, message)


class MalformedPacketsClosingServer(AsyncServer):
    """A Socket.IO server that closes a connection sending a malformed packet.

    python-socketio 5.9.0 (pinned) logs a traceback for each packet it cannot
    decode (invalid UTF-8, broken or too deeply nested JSON, an event without a
    name or named by a list) and keeps the connection, and it lets a client
    emit `connect` and `disconnect` events to the server's own handlers; no
    browser client sends such packets, so here the connection is closed with a
    one-line log instead.
    """

    async def _handle_event(self, eio_sid: str, namespace: Optional[str], id: Any, data: Any) -> None:
        """An event, if named by a string other than the server's own `connect` and `disconnect`."""
        if not isinstance(data, list) or not data or not isinstance(data[0], str) or \
                data[0] in ("connect", "disconnect"):
            raise ValueError("not a client event")
        await super()._handle_event(eio_sid, namespace, id, data)

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except (ValueError, TypeError, IndexError, KeyError, RecursionError) as error:
            logger.info("Closed a Socket.IO connection that sent a malformed packet (%s).", type(error).__name__)
            await self.eio.disconnect(eio_sid)


class LimitedSocketBlueprint(SocketBlueprint):
    """Rasa's Socket.IO blueprint, also setting the server's size limits when registered.

    Registration comes before the server starts, when Sanic reads its WebSocket
    frame limit (it reads the request-body limit per connection).
    """

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        app.config.WEBSOCKET_MAX_SIZE = MAX_REQUEST_BYTES
        app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
        super().register(app, options)


class RestrictedSocketIOInput(SocketIOInput):
    """SocketIOInput accepting allowed origins only, with the limits above."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rasa_patches.install()
        sio = MalformedPacketsClosingServer(async_mode="sanic", cors_allowed_origins=allowed_origins(),
                                            max_http_buffer_size=MAX_REQUEST_BYTES)
        self.sio = sio
        blueprint = LimitedSocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        handle = checked(on_new_message)
        addresses: Dict[str, str] = {}  # connection id -> client address
        sessions: Dict[str, str] = {}  # connection id -> its conversation

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if self.jwt_key and not (isinstance(auth, dict) and auth.get("token") and decode_bearer_token(
                    auth["token"], self.jwt_key, self.jwt_algorithm)):
                return False
            address = client_address(environ["sanic.request"])
            if not await rate_limiter().allow_address(address):
                return False
            addresses[sid] = address
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            addresses.pop(sid, None)
            sessions.pop(sid, None)

        async def refuse(sid: Text, reason: str) -> None:
            await sio.emit("refused", {"error": reason}, room=sid, namespace=self.namespace)

        def join(sid: Text, session_id: Any) -> Optional[str]:
            """Why the connection may not talk in `session_id`, or None once it is its session."""
            if not valid_sender(session_id):
                return BAD_SESSION
            if sessions.setdefault(sid, session_id) != session_id:
                return OTHER_SESSION
            if self.session_persistence:
                sio.enter_room(sid, session_id, namespace=self.namespace)
            return None

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None, *_extra: Any) -> None:
            if data is None:
                data = {}
            if not isinstance(data, dict):
                return await refuse(sid, BAD_SESSION)
            session_id = data.get("session_id") or uuid.uuid4().hex
            reason = join(sid, session_id)
            if reason:
                return await refuse(sid, reason)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None, *_extra: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return await refuse(sid, BAD_MESSAGE)
            sender_id = data.get("session_id") if self.session_persistence else sid
            reason = join(sid, sender_id)
            if reason or not isinstance(sender_id, str):
                return await refuse(sid, reason or BAD_SESSION)
            output = LinkingSocketIOOutput(sio, self.bot_message_evt)
            if not await rate_limiter().allow(addresses.get(sid, "unknown"), sender_id):
                return await output.send_text_message(sender_id, too_many_messages_reply())
            await handle(UserMessage(data.get("message", ""), output, sender_id, input_channel=self.name()))

        return rasa_patches.freeze_after_start(blueprint)
