"""Rasa policy: a warning sign that only the conversation makes sure gets its red-flag reply at once.

The intent guard answers a message that is dangerous by itself (a red-flag
intent, whose rule sends the reply). Some messages are dangerous only in the
light of what came before: "and now there are little yellow crusty bits"
after "I had microneedling on saturday". This policy reads the latest message
(its `safety` reading) with the conversation's earlier messages
(assistant.safety.triage.context_from: a treatment and when, earlier signs)
and, when the triage is then sure, predicts the kind's reply, then stops the
questionnaire if one is running, then listens. A red flag raised stays
raised: the message right after its reply ("they're shut today, what do I
do?", "I'm on my own, should I wait till the morning?") gets the same reply
again, once, unless the visitor closes (thanks, bye), asks for something
else (a request, the questions) or asks a frequent question the topic
classifier is sure of (other than the clinic's hours and contact). Its priority is above the
RulePolicy's, so it wins a tie with the rules; otherwise it predicts nothing.
The replies are the domain's responses: they need no action server.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_DEACTIVATE_LOOP_NAME, ACTION_EXTRACT_SLOTS, ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import contract as c
from assistant.knowledge_base import RedFlag, load_knowledge_base
from assistant.safety.triage import Assessment, assess_latest

# Above the RulePolicy (4) and the questionnaire policy (5): a tie of confidences goes to this policy.
PRIORITY = 6


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyPolicy(Policy):
    """Red-flag replies that the conversation makes sure (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": PRIORITY}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, **kwargs: Any) -> None:
        super().__init__(config, model_storage, resource, execution_context, **kwargs)
        self._flags: Tuple[RedFlag, ...] = load_knowledge_base().red_flags
        self._by_kind = {flag.kind: flag for flag in self._flags}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn: the safety reader is trained with the NLU."""
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)

    def next_action(self, tracker: DialogueStateTracker) -> Optional[str]:
        """The next action of a reply this policy gives in the current turn, or None."""
        intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
        if not intent or intent.startswith(c.RED_FLAG_PREFIX):
            return None  # a red-flag intent's own rule answers it
        found = self.assessment(tracker)
        if found is not None and found.sure and found.kind in self._by_kind:
            response = self._by_kind[found.kind].response
        elif self.stays_raised(tracker, intent):
            response = str(self.raised_in_turn(tracker, 1))
        else:
            return None
        taken = actions_this_turn(tracker)
        if not taken:
            return response
        if taken[-1] == response:
            return ACTION_DEACTIVATE_LOOP_NAME if tracker.active_loop_name else ACTION_LISTEN_NAME
        if taken[-1] == ACTION_DEACTIVATE_LOOP_NAME and response in taken:
            return ACTION_LISTEN_NAME
        return None

    def stays_raised(self, tracker: DialogueStateTracker, intent: str) -> bool:
        """True when the previous message got a red-flag reply of its own (not a repeat) and the latest
        neither closes, nor makes a request, nor asks a frequent question other than the clinic's contact."""
        raised = self.raised_in_turn(tracker, 1)
        if raised is None or self.raised_in_turn(tracker, 2) == raised or intent in c.LEAVES_AN_ALARM:
            return False
        ranking = (tracker.latest_message.parse_data or {}).get(c.QUESTION_RANKING) or [] \
            if tracker.latest_message else []
        known = bool(ranking) and float(ranking[0].get("confidence") or 0) >= c.UNDERSTOOD_CONFIDENCE
        return not known or ranking[0].get("topic") in c.CLINIC_TOPICS

    def raised_in_turn(self, tracker: DialogueStateTracker, turns_ago: int) -> Optional[str]:
        """The red-flag reply the assistant gave to the visitor's message `turns_ago` before the latest."""
        responses = {flag.response for flag in self._flags}
        users = 0
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                users += 1
                if users > turns_ago:
                    return None
            elif users == turns_ago and isinstance(event, ActionExecuted) and event.action_name in responses:
                return event.action_name
        return None

    def assessment(self, tracker: DialogueStateTracker) -> Optional[Assessment]:
        """The triage of the latest message in its conversation."""
        return assess_latest(user_messages(tracker), self._flags)


def user_messages(tracker: DialogueStateTracker) -> List[Tuple[float, Dict[str, Any]]]:
    """The (timestamp, parse) of each visitor message of the current session, oldest first."""
    found: List[Tuple[float, Dict[str, Any]]] = []
    for event in tracker.events:
        if isinstance(event, SessionStarted):
            found = []
        elif isinstance(event, UserUttered):
            found.append((event.timestamp, event.parse_data or {}))
    return found


def actions_this_turn(tracker: DialogueStateTracker) -> List[str]:
    """The actions run since the latest visitor message (the slot extraction left out)."""
    taken: List[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name and event.action_name != ACTION_EXTRACT_SLOTS:
            taken.append(event.action_name)
    return list(reversed(taken))
