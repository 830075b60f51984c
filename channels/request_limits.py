"""What a channel reads from a visitor at most: request size and sender ids.

- $MAX_REQUEST_BYTES (default 16384): the largest HTTP request body, and the
  largest Socket.IO message, the Rasa server reads. A chat message is at most
  2,000 characters (channels/checks.py), under 12 KB even when every character
  is JSON-escaped. Sanic refuses a larger body with 413 from its
  Content-Length, before reading it; engine.io closes a Socket.IO connection
  that sends a larger message.
- Sender ids (REST `sender`, Socket.IO `session_id`): a string of 1 to 64 of
  the characters A-Z a-z 0-9 _ - . : (the widget's ids are UUIDs), else the
  request is refused and nothing is stored.
- The client address used for rate limits: the connection's peer address, or
  the address a trusted reverse proxy forwards when Sanic is told to trust it
  ($SANIC_PROXIES_COUNT or $SANIC_REAL_IP_HEADER, read by Sanic itself).
"""
from __future__ import annotations

import os
import re
from typing import Any

from sanic import Blueprint, Sanic
from sanic.request import Request

MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", "16384"))
SENDER_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def valid_sender(sender: Any) -> bool:
    """True when `sender` may name a conversation."""
    return isinstance(sender, str) and SENDER_ID.fullmatch(sender) is not None


def client_address(request: Request) -> str:
    """The visitor's address: as forwarded by a trusted proxy, else the peer's."""
    return request.remote_addr or request.ip or "unknown"


async def limit_request_size(app: Sanic, _loop: Any) -> None:
    """Have the server refuse request bodies over MAX_REQUEST_BYTES (read per connection)."""
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES


def with_request_limit(blueprint: Blueprint) -> Blueprint:
    """Set the server's request-size limit when the blueprint's server starts."""
    blueprint.before_server_start(limit_request_size)
    return blueprint
