"""The patches of channels/rasa_patches.py behave exactly like Rasa's own code, and refuse other versions."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.utils.common import all_subclasses

from channels import rasa_patches

rasa_patches.install()

VALID = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "body_area", "value": "face", "timestamp": None}],
     "responses": [{"text": "How long have you had it?", "buttons": [{"title": "Weeks", "payload": "/inform"}]}]},
    {},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"name": "no event type"}]},
    {"events": [{"event": "slot", "name": "body_area", "value": "face", "timestamp": "yesterday"}]},
    {"responses": "hello"},
]


@pytest.mark.parametrize("response", VALID)
def test_responses_rasa_accepts_are_accepted(response):
    jsonschema.validate(response, RemoteAction.action_response_format_spec())
    assert RemoteAction("action_x", None)._validate_action_result(response) is True


@pytest.mark.parametrize("response", INVALID)
def test_responses_rasa_rejects_are_rejected_with_rasas_message(response):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(response)


def test_every_event_type_resolves_to_rasas_class():
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is rasa_patches.RASA_RESOLVE_BY_TYPE(cls.type_name)
    assert Event.resolve_by_type("no such event", UserUttered) is UserUttered  # a default is not remembered
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no such event")
    assert Event.resolve_by_type("topic") is None


def test_the_timeout_for_action_calls_is_bounded():
    import rasa.core.actions.action as rasa_actions

    assert rasa_actions.DEFAULT_REQUEST_TIMEOUT == rasa_patches.ACTION_TIMEOUT_SECONDS <= 60


def test_the_patches_refuse_a_version_they_were_not_written_for(monkeypatch):
    monkeypatch.setattr(rasa_patches, "PINNED", {**rasa_patches.PINNED, "rasa": "3.7.0"})
    with pytest.raises(rasa_patches.UnpinnedVersion, match="3.7.0"):
        rasa_patches.install()
