"""Rasa NLU component: deterministic corrections of the classified intent.

Placed last in the pipeline, after DIET and the FallbackClassifier:

1. Red flags must never be missed. When the spaCy patterns from
   `assistant/knowledge/red_flags.yml` found a red flag, the intent becomes the
   intent of the most urgent red flag they found, whatever the classifier or
   the fallback said (the patterns name the symptom; DIET may confuse two
   kinds of red flag, for example swelling from infection and from allergy).
   A match is set aside when the message explains it: an accident it says
   how it happened ("I cut myself shaving"), or a harmless phrase that
   contains it ("hay fever"). A match that a question about a risk or a
   past history explains ("can it cause an allergic reaction?", "I once had
   an allergic reaction to a cream") is no evidence either way: it is set
   aside and the classifier decides as for a message without a phrase.
   A cold sore in a message that names the eye is an eye problem (the
   kind's `escalate_to`). When an explained match was all the evidence for the
   classifier's own red flag, its next-best intent is taken; a red flag the
   classifier found with no phrase behind it gives way when the message is a
   question the topic classifier knows with confidence, or when the
   classifier itself is unsure (under 0.7; self-harm always stands): such a
   message gets the likeliest question's answer, which names the warning
   signs where they matter ("a touch of swelling on day 1 is expected?").
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
    ASK_CAUTION, ASK_DIAGNOSIS, ASK_QUESTION, CONCERN_RANKING, DESCRIBE_CONCERN, FOLLOW_UP, INFORM, LEANING_MINIMUM,
    NLU_FALLBACK, NORMAL_RECOVERY_TOPIC, OUT_OF_SCOPE, SELF_HARM, TOPIC_MINIMUM, WHOLE_MESSAGE_EXTRACTOR,
)
from assistant.contract import CAUTION as CAUTION_LABEL
from assistant.contract import CONCERN as CONCERN_LABEL
from assistant.contract import QUESTION_RANKING as TOPIC_RANKING
from assistant.contract import RED_FLAG as RED_FLAG_LABEL
from assistant.knowledge_base import RedFlag, load_knowledge_base

GENERIC_INTENTS = {INFORM, NLU_FALLBACK}
# Intents under which a message the topic classifier is sure of is a question.
QUESTION_RESCUE_INTENTS = {NLU_FALLBACK, DESCRIBE_CONCERN, "help", OUT_OF_SCOPE, ASK_CAUTION}
QUESTION_RESCUE_CONFIDENCE = 0.5
# A message that names a concern is a question only when the topic classifier is surer.
QUESTION_WITH_CONCERN_CONFIDENCE = 0.8
# "Is this normal?" asks about recovery when the topic classifier says so with confidence.
NORMAL_QUESTION = re.compile(r"\b(normal|expected|supposed to|usual)\b", re.IGNORECASE)
# How a follow-up reads: short, or opening with "and", "what about"..., or "the same", "too".
FOLLOW_UP_CUES = re.compile(
    r"^\W*(and|what about|how about|what if|is it the same|is that|does that|would that|does the same)\b"
    r"|\b(same|as well|too|also|then)\b", re.IGNORECASE)
FOLLOW_UP_MAX_WORDS = 6
QUESTION_FORM = re.compile(
    r"\?|^\W*(how|what|when|where|why|which|who|can|could|is|are|am|do|does|did|will|would|should|shall|any|"
    r"may|might|has|have)\b", re.IGNORECASE)
# A red flag the classifier found without any red-flag phrase gives way to a question this sure,
# and stands only when the classifier is this sure of it (self-harm always stands).
UNFOUNDED_ALARM_CONFIDENCE = 0.6
SURE_ALARM = 0.7
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

    def __init__(self, red_flags: Sequence[RedFlag]) -> None:
        """The red-flag kinds, most urgent first."""
        self._intent_of = {flag.kind: flag.intent for flag in red_flags}
        self._flags = {flag.kind: flag for flag in red_flags}
        self._urgency = list(self._intent_of.values())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentGuard":
        return cls(load_knowledge_base().red_flags)

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
        entities = message.get(ENTITIES) or []
        text = str(message.get(TEXT) or "")
        flags = [e for e in entities if e["entity"] == RED_FLAG_LABEL and e["value"] in self._intent_of
                 and not self._asked_about(e, text)]
        real = [self._intent_of[self._escalated(e["value"], text)] for e in flags if not self._explained(e, text)]
        if real:
            return min(real, key=self._urgency.index)
        explained = {self._intent_of[e["value"]] for e in flags}
        if current in explained:
            return self._best_other(message)
        if current in self._urgency:
            return self._unfounded_alarm(message)
        return self._for_content(message, current, entities)

    def _unfounded_alarm(self, message: Message) -> Optional[str]:
        """A classifier red flag with no red-flag phrase behind it.

        In a message that asks a known question with confidence ("does having
        moles mean I'm not a good candidate?") it is that question. Otherwise
        it stands when the classifier is sure of it, and always for
        self-harm; an unsure one gives way to the likeliest question topic
        (whose answer names the warning signs where they matter, as normal
        recovery's does) or to the classifier's next intent.
        """
        text = str(message.get(TEXT) or "")
        if _is_question(text) and self._asks_a_known_question(message, UNFOUNDED_ALARM_CONFIDENCE):
            return ASK_QUESTION
        intent = message.get(INTENT) or {}
        if intent.get("name") == self._intent_of.get(SELF_HARM) or (intent.get("confidence") or 0) >= SURE_ALARM:
            return None
        if self._asks_a_known_question(message, TOPIC_MINIMUM):
            return ASK_QUESTION
        return self._best_other(message)

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
        if current in QUESTION_RESCUE_INTENTS and not cautions and _is_question(str(message.get(TEXT) or "")) \
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

    def _escalated(self, kind: str, text: str) -> str:
        """The kind a match stands for: a more urgent one when the message has its cue (a cold sore near the eye)."""
        flag = self._flags[kind]
        lowered = f" {' '.join(_words(text))} "
        if flag.escalate_to in self._intent_of and any(f" {cue} " in lowered for cue in flag.escalate_cues):
            return flag.escalate_to
        return kind

    def _asked_about(self, entity: Dict[str, Any], text: str) -> bool:
        """True when a match tells of a risk asked about or of the past ("could it cause
        hives?", "I once had an allergic reaction"), not of a red flag now."""
        flag = self._flags[entity["value"]]
        span = set(_words(text[entity.get("start", 0): entity.get("end", 0)]))
        lowered = f" {' '.join(_words(text))} "
        return bool(span & set(flag.question_words)) \
            and any(f" {' '.join(_words(cue))} " in lowered for cue in flag.question_cues)

    def _explained(self, entity: Dict[str, Any], text: str) -> bool:
        """True when a red-flag match is explained away: an accident the message describes
        ("I cut myself shaving"), a harmless phrase that contains it ("hay fever"), or a
        word with an everyday sense used without a procedure or a worsening ("red streaks
        since I gained weight")."""
        flag = self._flags[entity["value"]]
        matched = text[entity.get("start", 0): entity.get("end", 0)].lower()
        lowered = f" {' '.join(re.findall(r'[a-z]+', text.lower()))} "
        if any(matched in phrase and f" {phrase} " in lowered for phrase in flag.exceptions):
            return True
        span = set(re.findall(r"[a-z]+", matched))
        if span & set(flag.context_words) and not any(f" {cue} " in lowered for cue in flag.context_cues):
            return True
        return bool(span & set(flag.accident_words)) and any(f" {cue} " in lowered for cue in flag.accident_cues)


def _words(text: str) -> List[str]:
    """The lower-case words of a text, apostrophes and punctuation dropped ("I'm" -> "i", "m")."""
    return re.findall(r"[a-z]+", text.lower())


def _reads_as_follow_up(text: str) -> bool:
    return len(text.split()) <= FOLLOW_UP_MAX_WORDS or bool(FOLLOW_UP_CUES.search(text))


def _best_confidence(message: Message, ranking_key: str) -> float:
    """The confidence of the first entry of a ranking in the parse result (0 when there is none)."""
    ranking = message.get(ranking_key) or []
    return float(ranking[0].get("confidence") or 0) if ranking else 0.0


def _is_question(text: str) -> bool:
    return bool(QUESTION_FORM.search(text))
