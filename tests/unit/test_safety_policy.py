"""The safety policy on real Rasa trackers: a sign the conversation makes sure gets its reply, then the form stops."""
from __future__ import annotations

import time

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.safety.triage import Reading
from nlp.safety_policy import SafetyPolicy


@pytest.fixture(scope="module")
def policy(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("policy"))
    return SafetyPolicy({**SafetyPolicy.get_default_config()}, storage, Resource("safety_policy"),
                        ExecutionContext(GraphSchema({}), "test"))


def user(text: str, intent: str, reading: Reading, at: float) -> UserUttered:
    parse = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [], "safety": reading.as_dict()}
    return UserUttered(text, parse["intent"], [], parse, timestamp=at)


def conversation(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("visitor", [ActionExecuted("action_listen"), *events])


TOLD = Reading({"none": 1.0}, treatment_days=2)
VAGUE = Reading({"none": 0.55, "infection": 0.45})


def test_a_vague_sign_after_a_treatment_gets_its_reply_then_the_form_stops_then_it_listens(policy):
    now = time.time()
    tracker = conversation(user("I had microneedling on saturday", "inform", TOLD, now - 600),
                           ActionExecuted("action_concern_info"), BotUttered("..."), ActionExecuted("action_listen"),
                           ActiveLoop("questionnaire_form"),
                           user("and now there are little yellow crusty bits", "inform", VAGUE, now))
    assert policy.next_action(tracker) == "utter_red_flag_infection"
    tracker.update(ActionExecuted("utter_red_flag_infection"))
    assert policy.next_action(tracker) == "action_deactivate_loop"
    tracker.update(ActionExecuted("action_deactivate_loop"))
    tracker.update(ActiveLoop(None))
    assert policy.next_action(tracker) == "action_listen"


def test_without_the_treatment_the_same_words_are_left_to_the_rules(policy):
    tracker = conversation(user("and now there are little yellow crusty bits", "inform", VAGUE, time.time()))
    assert policy.next_action(tracker) is None


def test_a_red_flag_intent_is_left_to_its_rule(policy):
    sure = Reading({"none": 0.1, "infection": 0.9})
    tracker = conversation(user("pus everywhere", "red_flag_infection", sure, time.time()))
    assert policy.next_action(tracker) is None


def test_a_new_session_forgets_the_treatment(policy):
    from rasa.shared.core.events import SessionStarted

    now = time.time()
    tracker = conversation(user("I had microneedling on saturday", "inform", TOLD, now - 600), SessionStarted(),
                           ActionExecuted("action_listen"), user("yellow crusty bits", "inform", VAGUE, now))
    assert policy.next_action(tracker) is None


CALM = Reading({"none": 1.0})


@pytest.mark.parametrize("text, intent", [
    ("ok. they're closed today though, what do I do", "ask_question"),
    ("I'm by myself, can it wait till the morning?", "ask_question"),
    ("are you open today?", "ask_question"),
])
def test_a_red_flag_raised_stays_raised_for_the_next_message(policy, text, intent):
    now = time.time()
    tracker = conversation(user("pus and it's hot and spreading", "red_flag_infection", VAGUE, now - 60),
                           ActionExecuted("utter_red_flag_infection"), BotUttered("..."),
                           ActionExecuted("action_listen"), user(text, intent, CALM, now))
    assert policy.next_action(tracker) == "utter_red_flag_infection"
    tracker.update(ActionExecuted("utter_red_flag_infection"))
    assert policy.next_action(tracker) == "action_listen"


@pytest.mark.parametrize("text, intent", [("thanks, I'll call them now", "thank"), ("please delete my data",
                                                                                        "delete_my_data")])
def test_thanks_or_a_request_after_an_alarm_is_answered_as_such(policy, text, intent):
    now = time.time()
    tracker = conversation(user("pus and it's hot and spreading", "red_flag_infection", VAGUE, now - 60),
                           ActionExecuted("utter_red_flag_infection"), BotUttered("..."),
                           ActionExecuted("action_listen"), user(text, intent, CALM, now))
    assert policy.next_action(tracker) is None


def test_an_alarm_two_messages_ago_is_not_repeated(policy):
    now = time.time()
    tracker = conversation(user("pus and it's hot and spreading", "red_flag_infection", VAGUE, now - 120),
                           ActionExecuted("utter_red_flag_infection"), BotUttered("..."),
                           ActionExecuted("action_listen"), user("thanks", "thank", CALM, now - 60),
                           ActionExecuted("utter_youre_welcome"), ActionExecuted("action_listen"),
                           user("how much does it cost?", "ask_question", CALM, now))
    assert policy.next_action(tracker) is None


def test_a_repeated_alarm_is_not_repeated_again(policy):
    now = time.time()
    tracker = conversation(user("pus and it's hot and spreading", "red_flag_infection", VAGUE, now - 120),
                           ActionExecuted("utter_red_flag_infection"), BotUttered("..."),
                           ActionExecuted("action_listen"), user("what do I do?", "ask_question", CALM, now - 60),
                           ActionExecuted("utter_red_flag_infection"), BotUttered("..."),
                           ActionExecuted("action_listen"), user("and what else?", "ask_question", CALM, now))
    assert policy.next_action(tracker) is None


def test_a_frequent_question_after_an_alarm_gets_its_answer(policy):
    now = time.time()
    asked = UserUttered("how much does a session cost?", {"name": "ask_question", "confidence": 0.9}, [],
                        {"text": "how much does a session cost?", "intent": {"name": "ask_question"}, "entities": [],
                         "safety": CALM.as_dict(), "question_ranking": [{"topic": "cost", "confidence": 0.95}]},
                        timestamp=now)
    tracker = conversation(user("pus and it's hot and spreading", "red_flag_infection", VAGUE, now - 60),
                           ActionExecuted("utter_red_flag_infection"), BotUttered("..."),
                           ActionExecuted("action_listen"), asked)
    assert policy.next_action(tracker) is None
