"""Understand a free-text or button answer as questionnaire option ids."""
from __future__ import annotations

import difflib
import re
from typing import Iterable, List

from assistant.knowledge_base import KnowledgeBase, Option

FUZZY_CUTOFF = 0.75
MAX_ANSWER_CHARS = 200


def normalise(text: str) -> str:
    """Lower case, apostrophes unified, other punctuation turned into spaces."""
    text = text.lower().replace("’", "'")
    return " ".join(re.sub(r"[^\w' -]+", " ", text).split())


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", text) is not None


def match_options(options: Iterable[Option], answer: str) -> List[str]:
    """Ids of the options an answer names, in option order.

    An option matches when its id, title or a synonym appears as whole words
    (longest phrases first, so "none of these" is not also read as "no"), or
    when a short answer is a close typo of one of them.
    """
    options = list(options)
    text = normalise(str(answer))[:MAX_ANSWER_CHARS]
    if not text:
        return []
    phrases = sorted(
        ((normalise(p), o.id) for o in options for p in (o.id.replace("_", " "), o.title, *o.synonyms)),
        key=lambda item: -len(item[0]),
    )
    found: List[str] = []
    remaining = text
    for phrase, option_id in phrases:
        if phrase and _contains(remaining, phrase):
            found.append(option_id)
            remaining = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", " ", remaining)
    if not found and len(text) <= 40:
        close = difflib.get_close_matches(text, [p for p, _ in phrases], n=1, cutoff=FUZZY_CUTOFF)
        found = [dict(phrases)[close[0]]] if close else []
    order = [o.id for o in options]
    return sorted(set(found), key=order.index)


def is_skip(kb: KnowledgeBase, answer: str) -> bool:
    """True when the answer asks to skip the question."""
    text = normalise(str(answer))
    return any(_contains(text, normalise(w)) for w in kb.questionnaire["skip_words"])


DURATION_WORDS = re.compile(
    r"\b(day|week|month|year|decade|yr|since|ever|always|teen|child|kid|young|recent|ago|"
    r"pregnan|birth|baby|babies|puberty|forever|ages|long time|a while)"
)


def looks_like_duration(answer: str) -> bool:
    """True when a free-text answer plausibly says how long."""
    return bool(DURATION_WORDS.search(normalise(str(answer))))


# A duration said outright ("6 years ago", "since I was 12", "for about two months"), strong enough
# to be taken from an answer to another question.
TOLD_DURATION = re.compile(
    r"\b(\d+\+?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|couple of|several|many)\s+"
    r"(days?|weeks?|months?|years?|yrs?|decades?)\b|\bsince (i was|my|the|last|about|around|\d)|"
    r"\b(years?|months?|weeks?) ago\b"
)


def told_duration(answer: str) -> bool:
    """True when a message says outright how long something has been there."""
    return bool(TOLD_DURATION.search(normalise(str(answer))))


def answers_question(kb: KnowledgeBase, slot: str, answer: str) -> bool:
    """True when a free-text message can be read as an answer to one of the questionnaire's questions.

    The concern's question is answered by naming a concern (its entities), not here.
    """
    text = str(answer)
    if slot == "concern":
        return False
    if is_skip(kb, text):
        return True
    if slot == "duration":
        return bool(match_options(kb.options["duration"], text)) or looks_like_duration(text)
    group = "cautions" if slot == "cautions_done" else slot
    return group in kb.options and bool(match_options(kb.options[group], text))


def first_named(options: Iterable[Option], answer: str, ids: List[str]) -> str:
    """Of several options an answer names, the one it names first ("the belly and hips, my face too")."""
    text = normalise(str(answer))[:MAX_ANSWER_CHARS]

    def position(option: Option) -> int:
        found = [m.start() for p in (option.id.replace("_", " "), option.title, *option.synonyms)
                 for m in [re.search(rf"(?<![\w']){re.escape(normalise(p))}(?![\w'])", text)] if p and m]
        return min(found, default=len(text))

    named = [o for o in options if o.id in ids]
    return min(named, key=position).id if named else ids[0]
