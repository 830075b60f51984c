"""Rasa NLU component: deterministic corrections of the classified intent.

Placed last in the pipeline, after DIET and the FallbackClassifier:

1. Red flags must never be missed, and must not be raised for nothing. The
   safety reader (nlp/safety_reader.py, assistant/safety/) has read the
   message: when it is sure of a kind of red flag, the intent becomes that
   kind's intent, whatever the classifier or the fallback said (when a phrase
   and the classifier name different kinds, the more urgent). A red flag
   the intent classifier found that the safety reader is not sure of gives
   way to the likeliest question, or to its next-best intent (with the rules below applied to it). A
   message the safety reader finds possibly dangerous that the classifier
   took for small talk is answered as a question, so that its answer comes
   with the warning signs (safety-netting).
2. A message that names a known concern but was classified only as a generic
   answer (`inform`) or not understood (`nlu_fallback`) is a description of
   that concern (`describe_concern`). So is one classified as out of scope
   in which the whole-message concern classifier was sure of a concern.
3. A message that names a caution (pregnancy, isotretinoin, active acne...)
   but was classified only as generic, or as a request for a diagnosis ("is
   microneedling a bad idea for me? I'm diabetic"), is a question about it
   (`ask_caution`): the caution's answer must not be lost.
   A request for a diagnosis that asks whether something is normal and that
   the topic classifier takes for the normal-recovery question with
   confidence ("my skin is peeling, is this normal?") is that question: its
   answer says what is expected after microneedling and what is not.
4. A caution question that also names a concern ("I'm on isotretinoin, can
   it help my acne scars?") is a description of the concern: its answer
   addresses the caution first, and the questionnaire offer follows.
5. A question that names no caution, classified as not understood, a
   concern, a caution question, help or out of scope, but whose whole text
   the topic classifier recognises as a frequent question with confidence
   (more when it names a concern), is that question (`ask_question`): "my
   face is red the day after, is that normal?", "do men get it too? my skin
   is rough". The answer then covers the concern named.
6. A question that names a concern and that no frequent question fits ("tiger
   stripes after my twins, can microneedling do anything?") is about that
   concern; so is a question whether it helps with something ("will
   microneedling help my skin look brighter?") that no frequent question
   fits well and that leans to a concern (its guesses are confirmed).
7. A follow-up must read like one (short, or "and...", "what about...", "the
   same for..."); "is microneedling good for sagging skin?" is a concern or
   a question of its own.
8. Checked right after rule 1: a request made anywhere in the message
   ("ok thanks. actually I don't want you keeping anything, please delete my
   data") is that request (assistant/requests.py): deletion, stopping the
   questions, starting again, the summary, booking, doing the questions.
   Then "yes or no??", "does it or not" demand an answer: never a yes or a
   no, they are a question.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.contract import (
    AFFIRM, DENY,
    ASK_CAUTION, ASK_DIAGNOSIS, ASK_QUESTION, CONCERN_RANKING, DESCRIBE_CONCERN, FOLLOW_UP, INFORM, LEANING_MINIMUM,
    NLU_FALLBACK, NORMAL_RECOVERY_TOPIC, OUT_OF_SCOPE, SAFETY, TOPIC_MINIMUM, WHOLE_MESSAGE_EXTRACTOR,
)
from assistant.contract import CAUTION as CAUTION_LABEL
from assistant.contract import CONCERN as CONCERN_LABEL
from assistant.contract import QUESTION_RANKING as TOPIC_RANKING
from assistant.knowledge_base import RedFlag, Request, load_knowledge_base
from assistant.requests import requested
from assistant.understanding import is_question
from assistant.safety.triage import Reading, assess

GENERIC_INTENTS = {INFORM, NLU_FALLBACK}
# Intents under which a message the topic classifier is sure of is a question.
QUESTION_RESCUE_INTENTS = {NLU_FALLBACK, DESCRIBE_CONCERN, "help", OUT_OF_SCOPE, ASK_CAUTION}
QUESTION_RESCUE_CONFIDENCE = 0.5
# A message that names a concern is a question only when the topic classifier is surer.
QUESTION_WITH_CONCERN_CONFIDENCE = 0.8
# "Is this normal?" asks about recovery when the topic classifier says so with confidence.
NORMAL_QUESTION = re.compile(r"\b(normal|expected|supposed to|usual)\b", re.IGNORECASE)
# A message that demands an answer ("yes or no??", "does it or not"): it says neither yes nor no.
DEMANDS_AN_ANSWER = re.compile(r"\byes or no\b|\bor not\b")
# How a follow-up reads: short, or opening with "and", "what about"..., or "the same", "too".
FOLLOW_UP_CUES = re.compile(
    r"^\W*(and|what about|how about|what if|is it the same|is that|does that|would that|does the same)\b"
    r"|\b(same|as well|too|also|then)\b", re.IGNORECASE)
FOLLOW_UP_MAX_WORDS = 6
# Fixed replies a possibly dangerous message must not get alone (it is answered as a question instead).
SMALL_TALK = {"greet", "goodbye", "thank", "bot_challenge", "help", OUT_OF_SCOPE, "affirm", "deny", ASK_DIAGNOSIS,
              "ask_prescription"}
# "Will microneedling help my skin look brighter?": a question whether it helps with something
# about the skin is a concern question when no frequent question fits it well.
HELPS_WITH = re.compile(r"\b(help|helps|work for|works for|good for|do anything|fix|improve|get rid of|treat)\b",
                        re.IGNORECASE)
WEAK_TOPIC = 0.5
# Under this, no frequent question fits a message at all.
NO_TOPIC = 0.1
# A yes or a no is short: a longer message read as one, that leans to a concern, describes it.
SHORT_REPLIES = {"affirm", "deny"}
SHORT_REPLY_MAX_WORDS = 12


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentGuard(GraphComponent):
    """Deterministic intent corrections (see module docstring)."""

    def __init__(self, red_flags: Sequence[RedFlag], requests: Sequence[Request] = ()) -> None:
        """The red-flag kinds, in the order they win, and the requests said anywhere in a sentence."""
        self._flags = tuple(red_flags)
        self._requests = tuple(requests)
        self._intent_of = {flag.kind: flag.intent for flag in red_flags}
        self._urgency = list(self._intent_of.values())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentGuard":
        kb = load_knowledge_base()
        return cls(kb.red_flags, kb.requests)

    def process(self, messages: List[Message]) -> List[Message]:
        """Correct the intent of each message where a rule applies."""
        for message in messages:
            current = (message.get(INTENT) or {}).get("name")
            corrected = self.corrected_intent(message, current)
            if corrected and corrected != current:
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != corrected]
                override = {"name": corrected, "confidence": 1.0}
                message.set(INTENT, override, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [override] + ranking, add_to_output=True)
        return messages

    def corrected_intent(self, message: Message, current: Optional[str]) -> Optional[str]:
        """The intent the message should have, or None to keep the classifier's."""
        reading = Reading.from_dict(message.get(SAFETY))
        assessment = assess(reading, self._flags) if reading is not None else None
        if assessment is not None and assessment.sure and assessment.kind in self._intent_of:
            return self._intent_of[assessment.kind]
        request = requested(str(message.get(TEXT) or ""), self._requests)
        if request is not None:
            return request
        if current in (AFFIRM, DENY) and DEMANDS_AN_ANSWER.search(str(message.get(TEXT) or "").lower()):
            return ASK_QUESTION  # "ugh. yes or no??" asks for an answer; it says neither
        if current in self._urgency:  # the classifier's red flag, which the safety reader is not sure of
            return ASK_QUESTION if self._asks_a_known_question(message, TOPIC_MINIMUM) else self._best_other(message)
        if assessment is not None and assessment.possible and current in SMALL_TALK:
            return ASK_QUESTION
        return self._for_content(message, current, message.get(ENTITIES) or [])

    def _for_content(self, message: Message, current: Optional[str], entities: List[Dict[str, Any]]) -> Optional[str]:
        """Rules 2 to 7: concerns, cautions and questions the classifier's intent does not fit."""
        concerns = [e for e in entities if e["entity"] == CONCERN_LABEL]
        cautions = [e for e in entities if e["entity"] == CAUTION_LABEL]
        if current in SHORT_REPLIES and len(_words(str(message.get(TEXT) or ""))) > SHORT_REPLY_MAX_WORDS \
                and _best_confidence(message, CONCERN_RANKING) >= LEANING_MINIMUM:
            return DESCRIBE_CONCERN
        if current == ASK_DIAGNOSIS and cautions:
            return DESCRIBE_CONCERN if concerns else ASK_CAUTION
        if current == ASK_DIAGNOSIS and self._asks_if_recovery_is_normal(message):
            return ASK_QUESTION
        if current == ASK_QUESTION and (concerns and self._no_topic_fits(message)
                                        or not concerns and self._helps_with_a_concern(message)):
            return DESCRIBE_CONCERN
        if current == FOLLOW_UP and not _reads_as_follow_up(str(message.get(TEXT) or "")):
            if concerns:
                return DESCRIBE_CONCERN
            if self._asks_a_known_question(message, QUESTION_RESCUE_CONFIDENCE):
                return ASK_QUESTION
        if current in QUESTION_RESCUE_INTENTS and not cautions and is_question(str(message.get(TEXT) or "")) \
                and self._asks_a_known_question(
                    message, QUESTION_WITH_CONCERN_CONFIDENCE if concerns else QUESTION_RESCUE_CONFIDENCE):
            return ASK_QUESTION
        if (current in GENERIC_INTENTS or current == ASK_CAUTION) and concerns:
            return DESCRIBE_CONCERN
        if current == OUT_OF_SCOPE and any(e.get("extractor") == WHOLE_MESSAGE_EXTRACTOR for e in concerns):
            return DESCRIBE_CONCERN
        if current in GENERIC_INTENTS and cautions:
            return ASK_CAUTION
        return None

    @staticmethod
    def _asks_if_recovery_is_normal(message: Message) -> bool:
        """True for "is this normal?" that the topic classifier confidently reads as the recovery question."""
        ranking = message.get(TOPIC_RANKING) or []
        return bool(NORMAL_QUESTION.search(str(message.get(TEXT) or ""))) and bool(ranking) \
            and ranking[0].get("topic") == NORMAL_RECOVERY_TOPIC \
            and float(ranking[0].get("confidence") or 0) >= QUESTION_RESCUE_CONFIDENCE

    @staticmethod
    def _no_topic_fits(message: Message) -> bool:
        return _best_confidence(message, TOPIC_RANKING) < NO_TOPIC

    @staticmethod
    def _helps_with_a_concern(message: Message) -> bool:
        """True for "will it help my ...?" when no frequent question fits well and a concern leans."""
        return bool(HELPS_WITH.search(str(message.get(TEXT) or ""))) \
            and _best_confidence(message, TOPIC_RANKING) < WEAK_TOPIC \
            and _best_confidence(message, CONCERN_RANKING) >= LEANING_MINIMUM

    @staticmethod
    def _asks_a_known_question(message: Message, confidence: float) -> bool:
        return _best_confidence(message, TOPIC_RANKING) >= confidence

    def _best_other(self, message: Message) -> str:
        """The classifier's best intent that is no red flag (its red flag rested on an explained phrase),
        with the content rules applied to it as to any intent of the classifier."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        others = [r["name"] for r in ranking if r.get("name") not in self._urgency and r.get("name") != NLU_FALLBACK]
        other = others[0] if others else NLU_FALLBACK
        return self._for_content(message, other, message.get(ENTITIES) or []) or other


def _words(text: str) -> List[str]:
    """The lower-case words of a text, apostrophes and punctuation dropped ("I'm" -> "i", "m")."""
    return re.findall(r"[a-z]+", text.lower())


def _reads_as_follow_up(text: str) -> bool:
    return len(text.split()) <= FOLLOW_UP_MAX_WORDS or bool(FOLLOW_UP_CUES.search(text))


def _best_confidence(message: Message, ranking_key: str) -> float:
    """The confidence of the first entry of a ranking in the parse result (0 when there is none)."""
    ranking = message.get(ranking_key) or []
    return float(ranking[0].get("confidence") or 0) if ranking else 0.0
