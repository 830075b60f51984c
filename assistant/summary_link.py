"""The link to a conversation's summary PDF: an unguessable token per conversation.

The token is the conversation id (base64url) and an HMAC-SHA256 of it with
a server secret, so only the server can make a valid link and a link opens
only its own conversation. The action server makes the links and the Rasa
server (channels/consultation.py) checks them, so both need the same
secret: $SUMMARY_SECRET, or, when it is unset, a random secret generated
once and kept in .run/summary-secret (readable by its owner only), which
every process started from this folder shares. Several machines need the
same $SUMMARY_SECRET.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Optional

SECRET_FILE = Path(__file__).resolve().parent.parent / ".run" / "summary-secret"
DEFAULT_PUBLIC_URL = "http://localhost:5005"
ROUTE = "/webhooks/consultation/summary"
SIGNATURE_BYTES = 24


@lru_cache(maxsize=1)
def secret() -> bytes:
    """$SUMMARY_SECRET, or the secret shared by the processes of this folder (made on first use)."""
    configured = os.environ.get("SUMMARY_SECRET")
    if configured:
        return configured.encode("utf-8")
    SECRET_FILE.parent.mkdir(exist_ok=True)
    try:
        descriptor = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_hex(32))
    return SECRET_FILE.read_text(encoding="ascii").strip().encode("ascii")


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(sender_id: str) -> bytes:
    return hmac.new(secret(), b"summary:" + sender_id.encode("utf-8"), hashlib.sha256).digest()[:SIGNATURE_BYTES]


def token(sender_id: str) -> str:
    """The token of a conversation's summary link."""
    return f"{_encode(sender_id.encode('utf-8'))}.{_encode(_signature(sender_id))}"


def sender_of(token_text: str) -> Optional[str]:
    """The conversation a token opens, or None when it is not one this server made."""
    sender_part, _, signature_part = token_text.partition(".")
    try:
        sender_id = _decode(sender_part).decode("utf-8")
        signature = _decode(signature_part)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return sender_id if sender_id and hmac.compare_digest(signature, _signature(sender_id)) else None


def summary_path(sender_id: str) -> str:
    """The summary's path on the Rasa server."""
    return f"{ROUTE}/{token(sender_id)}.pdf"


def summary_url(sender_id: str) -> str:
    """The absolute link for REST and terminal replies: $PUBLIC_URL (the Rasa server as visitors reach it)."""
    return os.environ.get("PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/") + summary_path(sender_id)
