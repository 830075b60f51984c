"""Rasa policy: while the questionnaire waits for an answer, a message that gives one goes to the form.

People answer in their own words: "mainly belly and the sides of my hips",
"I go dark easily", "bio oil and a cream off instagram", "epilepsy, I take
tablets for it". The intent classifier reads many of these as a concern
described, a question or a caution, and the rules would then answer them as
such and leave the question unanswered. This policy predicts the form when
the questionnaire is active, nothing has run yet this turn, and the core's
reader can read the message as an answer to the question asked
(assistant.answering.gives_answer: never a red flag, a request or a question
with a question mark); the form then takes it (its `extract_<slot>` methods,
which apply the same test) and asks the next question. Its priority is above
the RulePolicy's and below the safety policy's.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import contract as c
from assistant.knowledge_base import load_knowledge_base
from assistant.answering import gives_answer
from assistant.state import State
from nlp.safety_policy import actions_this_turn, user_messages

# Above the RulePolicy (4), below the safety policy (6).
PRIORITY = 5


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class QuestionnairePolicy(Policy):
    """Answers in the visitor's words go to the questionnaire (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": PRIORITY}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, **kwargs: Any) -> None:
        super().__init__(config, model_storage, resource, execution_context, **kwargs)
        self._kb = load_knowledge_base()

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn: the reader is the knowledge base's options."""
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if self.takes_answer(tracker):
            probabilities[domain.index_for_action(c.FORM)] = 1.0
        return self._prediction(probabilities)

    def takes_answer(self, tracker: DialogueStateTracker) -> bool:
        """True when the latest message answers the question the questionnaire asked."""
        slot = tracker.get_slot(c.REQUESTED_SLOT)
        message = tracker.latest_message
        if tracker.active_loop_name != c.FORM or not slot or message is None or actions_this_turn(tracker):
            return False
        intent = str((message.intent or {}).get("name") or "")
        state = State(messages=tuple(user_messages(tracker)))
        return gives_answer(self._kb, str(slot), str(message.text or ""), intent, state)
