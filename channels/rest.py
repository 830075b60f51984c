"""Rasa's REST channel with the checks of channels/checks.py and the limits of channels/.

Before Rasa sees a POST /webhooks/rest/webhook, the body must be at most
$MAX_REQUEST_BYTES (else 413, unread) and a JSON object whose `sender` is a
valid conversation id and whose `message` is a string (else 400); the client
address and the conversation must be within their rate limits (else 429, with
a kind reply in the body as Rasa's reply list). Metadata and `input_channel`
sent by the client are ignored: nothing but the message text is stored.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.checks import checked
from channels.rate_limit import rate_limiter, too_many_messages_reply
from channels.request_limits import client_address, valid_sender, with_request_limit
from channels import rasa_patches

BAD_BODY = 'The body must be a JSON object: {"sender": "...", "message": "..."}'
BAD_SENDER = '"sender" must be 1 to 64 of the characters A-Z a-z 0-9 _ - . :'
BAD_MESSAGE = '"message" must be a string'


def refusal(body: Any) -> Optional[str]:
    """Why a webhook body is refused, or None when it is well-formed."""
    if not isinstance(body, dict):
        return BAD_BODY
    if not valid_sender(body.get("sender")):
        return BAD_SENDER
    if not isinstance(body.get("message"), str):
        return BAD_MESSAGE
    return None


async def check_message(request: Request) -> Optional[HTTPResponse]:
    """400 for a malformed body, 429 over the rate limits; None lets the message through."""
    if request.method != "POST":
        return None
    body = request.json  # not JSON: Sanic answers 400
    reason = refusal(body)
    if reason is not None:
        return response.json({"error": reason}, status=400)
    if not await rate_limiter().allow(client_address(request), body["sender"]):
        reply = [{"recipient_id": body["sender"], "text": too_many_messages_reply()}]
        return response.json(reply, status=429, headers={"Retry-After": "60"})
    return None


class GuardedRestInput(RestInput):
    """POST /webhooks/rest/webhook {"sender": ..., "message": ...}, guarded and limited."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rasa_patches.install()
        blueprint = super().blueprint(checked(on_new_message))
        blueprint.middleware(check_message, "request")
        return rasa_patches.freeze_after_start(with_request_limit(blueprint))

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return None
