"""Patches of Rasa 3.6's internals that make its server fit for a busy web page.

`install()` applies them; this project's channels call it when the Rasa
server builds their routes at start-up (so they hold for every Rasa server
started with this project's credentials.yml), and it refuses to run on
another version of Rasa or python-socketio than the one pinned, whose
internals these patches (and `channels.restricted_socketio`'s overrides of
python-socketio's private `_handle_event` and `_handle_eio_message`) were
written against. Figures from bench/ and py-spy on this project's 2-core
machines.

- Action timeout: Rasa 3.6 waits 5 minutes for an action and has no setting for it;
  here it waits $ACTION_TIMEOUT seconds (default 10), after which the guard
  gives the visitor a kind "having trouble" reply.
- Action-response check: Rasa checks every action-server response with
  `jsonschema.validate`, which first re-checks the response schema itself
  against the JSON Schema 2020-12 meta-schema: about 14 ms of CPU per action
  call, more than half of the server's time under load. The same check with a
  validator built once takes under 1 ms and accepts and rejects exactly the
  same responses, with Rasa's own error message.
- Loading a conversation: for every stored event, Rasa looks its class up by
  walking the whole tree of event classes (about 8% of the server's time);
  here each event type's class is looked up once and remembered.
- Garbage-collector pauses: the loaded model is some 800,000 Python objects
  that live as long as the server, and every full collection walks them all
  (pauses of 250-570 ms, the slowest replies under load). Once the server has
  started, they are moved out of the collector's way with `gc.freeze()`.
"""
from __future__ import annotations

import gc
import logging
import os
from importlib.metadata import version
from typing import Any, Dict, Optional, Text, Type

import rasa.core.actions.action as rasa_actions
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from sanic import Blueprint, Sanic

logger = logging.getLogger(__name__)
# The versions whose internals the patches replace (requirements.txt pins them).
PINNED = {"rasa": "3.6.21", "python-socketio": "5.9.0"}
ACTION_TIMEOUT_SECONDS = float(os.environ.get("ACTION_TIMEOUT", "10"))
RESPONSE_SCHEMA = rasa_actions.RemoteAction.action_response_format_spec()
RESPONSE_VALIDATOR = validator_for(RESPONSE_SCHEMA)(RESPONSE_SCHEMA)


def validate_action_result(_action: rasa_actions.RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`, with the validator built once."""
    error = best_match(RESPONSE_VALIDATOR.iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


RASA_RESOLVE_BY_TYPE = Event.resolve_by_type
EVENT_CLASSES: Dict[Text, Type[Event]] = {}


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Rasa's `Event.resolve_by_type`, remembering each type's class once found."""
    if type_name in EVENT_CLASSES:
        return EVENT_CLASSES[type_name]
    found = RASA_RESOLVE_BY_TYPE(type_name, default)
    if found is not None and found is not default:
        EVENT_CLASSES[type_name] = found
    return found


async def freeze_loaded_objects(_app: Sanic, _loop: Any) -> None:
    """Exclude everything alive after start-up (the model) from garbage collection, once."""
    if gc.get_freeze_count():  # each channel registers this; the first one has done it
        return
    gc.collect()
    gc.freeze()
    logger.info("Moved %d start-up objects out of the garbage collector's way.", gc.get_freeze_count())


def freeze_after_start(blueprint: Blueprint) -> Blueprint:
    """Have the server freeze its start-up objects once it has started (and loaded the model)."""
    blueprint.after_server_start(freeze_loaded_objects)
    return blueprint


class UnpinnedVersion(RuntimeError):
    """Raised when a patched package is not at the version the patches were written for."""


def install() -> None:
    """Apply the action timeout, the action-response check and the event-class cache (once).

    The garbage-collector freeze is registered per blueprint (`freeze_after_start`).
    """
    found = {package: version(package) for package in PINNED}
    wrong = {package: v for package, v in found.items() if v != PINNED[package]}
    if wrong:
        raise UnpinnedVersion(f"channels.rasa_patches was written for {PINNED}, found {wrong}: "
                              "check each patch against the new version before changing the pins")
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT_SECONDS
    rasa_actions.RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
